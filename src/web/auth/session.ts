/**
 * Session cookie → req.user. The cookie carries a random token; the database holds its SHA-256
 * (src/storage/sessions.ts). Exported helpers for every router (API and pages):
 * - authenticate(store, config): reads the cookie, sets req.user, req.csrfToken and req.sessionToken;
 * - requireUser: 401 unless signed in;
 * - requireRole(...roles): 401 / 403 unless the user has one of the roles;
 * - requirePermission(action): 403 unless can(user, action) holds without a country (global actions);
 * - signIn(db, email, password) and setSessionCookie / clearSessionCookie for login and logout forms.
 */
import type { CookieOptions, Request, RequestHandler, Response } from 'express';
import type { Kysely } from 'kysely';
import { Problem } from '../../shared/problem.js';
import { writeAudit } from '../../storage/audit.js';
import type { Database, Role } from '../../storage/schema.js';
import type { Store } from '../../storage/db.js';
import { deleteSession, type SessionPolicy } from '../../storage/sessions.js';
import { findSessionIn } from '../../storage/sqliteReads.js';
import { inTransaction } from '../../storage/transaction.js';
import { can, type Action, type SessionUser } from './permissions.js';

declare module 'express-serve-static-core' {
  interface Request {
    /** The signed-in user, set by authenticate(); undefined for anonymous requests. */
    user?: SessionUser;
    /** The CSRF token of the session: pages put it in forms (_csrf), the client sends it as x-csrf-token. */
    csrfToken?: string;
    /** The raw session token from the cookie (for logout). */
    sessionToken?: string;
    /** The signed-in user's password is temporary: pages send them to /account/password first. */
    mustChangePassword?: boolean;
  }
}

export interface CookieSettings {
  secureCookies: boolean;
}

export interface SessionSettings extends CookieSettings {
  sessionPolicy: SessionPolicy;
}

/** `__Host-` cookies are only accepted over HTTPS, bound to this host and path /: used behind TLS. */
export const sessionCookieName = (settings: CookieSettings): string => (settings.secureCookies ? '__Host-ena_session' : 'ena_session');

export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

function cookieOptions(settings: CookieSettings): CookieOptions {
  return { httpOnly: true, sameSite: 'lax', secure: settings.secureCookies, path: '/' };
}

/** The cookie ends when the session does (`expiresAt`), so the browser drops it by itself (Max-Age: no clock skew). */
export function setSessionCookie(res: Response, settings: CookieSettings, token: string, expiresAt: string): void {
  res.cookie(sessionCookieName(settings), token, { ...cookieOptions(settings), maxAge: Math.max(0, Date.parse(expiresAt) - Date.now()) });
}

export function clearSessionCookie(res: Response, settings: CookieSettings): void {
  res.clearCookie(sessionCookieName(settings), cookieOptions(settings));
}

export function authenticate(store: Store, settings: SessionSettings): RequestHandler {
  const name = sessionCookieName(settings);
  return (req, res, next) => {
    const token = readCookie(req, name);
    if (!token) return next();
    findSessionIn(store, token, settings.sessionPolicy).then((session) => {
      if (session) {
        req.user = session.user;
        req.csrfToken = session.csrfToken;
        req.sessionToken = token;
        req.mustChangePassword = session.mustChangePassword;
        if (session.extended) setSessionCookie(res, settings, token, session.expiresAt);
      }
      next();
    }, next);
  };
}

/** Credentials → session lives in src/accounts (the CLI and tests use it without the web layer). */
export { signIn, type SignedIn } from '../../accounts/signIn.js';

export async function signOut(db: Kysely<Database>, req: Request): Promise<void> {
  if (!req.sessionToken) return;
  const token = req.sessionToken;
  await inTransaction(db, async (trx) => {
    await deleteSession(trx, token);
    if (req.user) await writeAudit(trx, { id: req.user.id }, 'session.delete', { type: 'user', id: req.user.id }, null, null);
  });
}

/** The signed-in user, or a 401 Problem: use inside handlers after requireUser. */
export function userOf(req: Request): SessionUser {
  if (!req.user) throw new Problem('unauthenticated', 'Sign in first: this needs a session (POST /api/session).');
  return req.user;
}

export const requireUser: RequestHandler = (req, _res, next) => {
  next(req.user ? undefined : new Problem('unauthenticated', 'Sign in first: this needs a session (POST /api/session).'));
};

export function requireRole(...roles: Role[]): RequestHandler {
  return (req, _res, next) => {
    if (!req.user) return next(new Problem('unauthenticated', 'Sign in first: this needs a session (POST /api/session).'));
    next(roles.includes(req.user.role) ? undefined : Problem.forbidden(`This needs the role ${roles.join(' or ')}; you are signed in as ${req.user.role}.`));
  };
}

/** For actions that do not concern one country (user.manage, country.create, audit.read…). */
export function requirePermission(action: Action): RequestHandler {
  return (req, _res, next) => {
    if (!req.user) return next(new Problem('unauthenticated', 'Sign in first: this needs a session (POST /api/session).'));
    next(can(req.user, action) ? undefined : Problem.forbidden(`Your role (${req.user.role}) does not allow ${action}.`));
  };
}

/** Throws 403 unless `user` may do `action` in `countryCode`. The second line of every country-scoped handler. */
export function authorize(user: SessionUser, action: Action, countryCode?: string): void {
  if (!can(user, action, countryCode)) {
    throw Problem.forbidden(countryCode === undefined
      ? `Your role (${user.role}) does not allow ${action}.`
      : `Your role (${user.role}) and country assignment do not allow ${action} for ${countryCode}.`);
  }
}
