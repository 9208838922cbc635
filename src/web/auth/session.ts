/**
 * Session cookie → req.user. The cookie carries a random token; the database holds its SHA-256
 * (src/storage/sessions.ts). Exported helpers for every router (API and pages):
 * - authenticate(db, config): reads the cookie, sets req.user, req.csrfToken and req.sessionToken;
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
import { createSession, deleteSession, findSession, SESSION_HOURS } from '../../storage/sessions.js';
import { findUserByEmail } from '../../storage/users.js';
import { inTransaction } from '../../storage/transaction.js';
import { decoyHash, verifyPassword } from './passwords.js';
import { can, type Action, type SessionUser } from './permissions.js';

declare module 'express-serve-static-core' {
  interface Request {
    /** The signed-in user, set by authenticate(); undefined for anonymous requests. */
    user?: SessionUser;
    /** The CSRF token of the session: pages put it in forms (_csrf), the client sends it as x-csrf-token. */
    csrfToken?: string;
    /** The raw session token from the cookie (for logout). */
    sessionToken?: string;
  }
}

export interface CookieSettings {
  secureCookies: boolean;
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

export function setSessionCookie(res: Response, settings: CookieSettings, token: string): void {
  res.cookie(sessionCookieName(settings), token, { ...cookieOptions(settings), maxAge: SESSION_HOURS * 3_600_000 });
}

export function clearSessionCookie(res: Response, settings: CookieSettings): void {
  res.clearCookie(sessionCookieName(settings), cookieOptions(settings));
}

export function authenticate(db: Kysely<Database>, settings: CookieSettings): RequestHandler {
  const name = sessionCookieName(settings);
  return (req, res, next) => {
    const token = readCookie(req, name);
    if (!token) return next();
    findSession(db, token).then((session) => {
      if (session) {
        req.user = session.user;
        req.csrfToken = session.csrfToken;
        req.sessionToken = token;
        if (session.extended) setSessionCookie(res, settings, token);
      }
      next();
    }, next);
  };
}

export interface SignedIn {
  user: SessionUser;
  token: string;
  csrfToken: string;
  expiresAt: string;
}

/**
 * Checks e-mail and password and opens a session. The same message for an unknown e-mail, a wrong
 * password and a disabled account, and a password check in every case, so neither the answer nor its
 * timing tells which e-mails exist.
 */
export async function signIn(db: Kysely<Database>, email: string, password: string): Promise<SignedIn> {
  const user = await findUserByEmail(db, email);
  const ok = await verifyPassword(password, user?.password_hash ?? (await decoyHash()));
  if (!user || !ok || user.disabled_at !== null) {
    throw new Problem('unauthenticated', 'The e-mail or password is not correct.', [{ path: 'password', message: 'e-mail or password not correct' }]);
  }
  const session = await inTransaction(db, async (trx) => {
    const created = await createSession(trx, user.id);
    await writeAudit(trx, { id: user.id }, 'session.create', { type: 'user', id: user.id }, null, { expiresAt: created.expiresAt });
    return created;
  });
  const found = await findSession(db, session.token);
  if (!found) throw new Problem('internal', 'The new session could not be read back.');
  return { user: found.user, token: session.token, csrfToken: session.csrfToken, expiresAt: session.expiresAt };
}

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
