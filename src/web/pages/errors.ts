/**
 * Errors on page requests become a page in the reader's language (400, 401, 403, 404, 409, 413, 415, 429, 500, 503, 507);
 * API requests keep the JSON error shape (src/web/errors.ts).
 */
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import { Problem } from '../../shared/problem.js';
import { toProblem } from '../errors.js';
import { frameFor, sendPage } from './frame.js';
import type { PageRenderer } from './view.js';

const KNOWN_STATUSES = new Set([400, 401, 403, 404, 409, 413, 415, 429, 500, 503, 507]);

/**
 * A request a person makes in a browser: outside /api, asking for HTML (browsers send text/html in
 * Accept for every navigation and form post). Scripts and API clients that do not ask for HTML get the
 * JSON error shape everywhere.
 */
export function isPageRequest(req: Request): boolean {
  if (req.path === '/api' || req.path.startsWith('/api/') || req.path === '/healthz') return false;
  return /\btext\/html\b/.test(req.get('accept') ?? '');
}

/** `reason` picks a more precise text than the status's own (web:errors.<reason>.title / .message). */
export function renderError(renderer: PageRenderer, req: Request, res: Parameters<RequestHandler>[1], status: number, reason?: string): void {
  const shown = KNOWN_STATUSES.has(status) ? status : status >= 500 ? 500 : 400;
  const key = reason ?? String(shown);
  const frame = frameFor(req, { title: frameFor(req, { title: '', pageId: 'error' }).t(`web:errors.${key}.title`), pageId: 'error' });
  sendPage(res, renderer, 'error', frame, { status: shown, key, signIn: shown === 401, next: frame.returnTo }, shown);
}

export function pageNotFound(renderer: PageRenderer): RequestHandler {
  return (req, res, next) => {
    if (!isPageRequest(req)) return next();
    renderError(renderer, req, res, 404);
  };
}

export function pageErrorHandler(renderer: PageRenderer): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (!isPageRequest(req) || res.headersSent) return next(error);
    const status = toProblem(error).httpStatus;
    if (status >= 500) req.log.error({ err: error }, 'page failed');
    // The front door sends a signed-out visitor to the sign-in form rather than to an error.
    if (status === 401 && req.method === 'GET' && req.path === '/') return res.redirect(303, '/login');
    // A form from a tab whose session was replaced (signed in again elsewhere) is not "access denied".
    renderError(renderer, req, res, status, error instanceof Problem && error.code === 'csrf_failed' ? 'csrf' : undefined);
  };
}
