/**
 * CSRF protection for every state-changing request made with a session cookie: a synchroniser token.
 * Each session row stores a random csrf_token (returned by POST /api/session and available to pages as
 * req.csrfToken); POST/PUT/PATCH/DELETE must echo it in the `x-csrf-token` header or a `_csrf` form
 * field. Chosen over csrf-csrf's signed double-submit cookie because the session is already server-side:
 * the token is bound to the session by construction, needs no second cookie and no signing secret, and
 * dies with the session. Requests the browser marks as cross-site (Sec-Fetch-Site) are refused outright.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { Problem } from '../../shared/problem.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function submittedToken(req: Request): string | undefined {
  const header = req.get('x-csrf-token');
  if (header) return header;
  const body: unknown = req.body;
  if (body && typeof body === 'object' && '_csrf' in body && typeof body._csrf === 'string') return body._csrf;
  return undefined;
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The form field is consumed here, so that handlers validating the body strictly never see it. */
function dropFormToken(req: Request): void {
  const body: unknown = req.body;
  if (body && typeof body === 'object' && '_csrf' in body) delete (body as Record<string, unknown>)._csrf;
}

/**
 * `exempt` lists "METHOD /path" entries that need no token (sign-in: there is no session yet to bind to,
 * and SameSite=Lax keeps a cross-site form from carrying an existing cookie).
 */
export function verifyCsrf(options: { exempt?: readonly string[] } = {}): RequestHandler {
  const exempt = new Set(options.exempt ?? []);
  return (req, _res, next) => {
    if (SAFE_METHODS.has(req.method)) return next();
    if (req.get('sec-fetch-site') === 'cross-site') {
      return next(new Problem('csrf_failed', 'Cross-site requests may not change data. Open ENA itself and try again.'));
    }
    const token = submittedToken(req);
    dropFormToken(req);
    if (!req.user || !req.csrfToken || exempt.has(`${req.method} ${req.path}`)) return next();
    if (!token || !sameToken(token, req.csrfToken)) {
      return next(new Problem('csrf_failed', 'The CSRF token is missing or does not match this session. Reload the page (or sign in again) and retry.',
        [{ path: 'x-csrf-token', message: token ? 'does not match the session' : 'missing: send the csrfToken from POST /api/session as header x-csrf-token or form field _csrf' }]));
    }
    next();
  };
}
