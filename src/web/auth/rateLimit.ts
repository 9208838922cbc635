/**
 * Limits failed sign-ins per client address: guessing passwords must be slow. ONE limiter per server
 * guards both doors (POST /api/session and the POST /login form), so alternating them gains nothing.
 * The counter store is pluggable (express-rate-limit's Store): the default keeps counts in this process;
 * several ENA instances behind one address pass a shared store (e.g. one backed by the database).
 */
import type { RequestHandler } from 'express';
import { rateLimit, type Store } from 'express-rate-limit';
import { Problem } from '../../shared/problem.js';

export interface SignInLimitOptions {
  /** Failed sign-ins allowed per address and window (ENA_SIGNIN_FAILURES, default 10). */
  failures: number;
  /** The window in minutes (ENA_SIGNIN_WINDOW_MINUTES, default 15). */
  windowMinutes: number;
  /** Where counts are kept; default: in memory, this process only. */
  store?: Store | undefined;
}

export const LOGIN_WINDOW_MINUTES = 15;
export const LOGIN_FAILURES_ALLOWED = 10;

export function loginRateLimit(options: SignInLimitOptions = { failures: LOGIN_FAILURES_ALLOWED, windowMinutes: LOGIN_WINDOW_MINUTES }): RequestHandler {
  const { windowMinutes } = options;
  return rateLimit({
    windowMs: windowMinutes * 60_000,
    limit: options.failures,
    // Only failures count: a team signing in from one hotel address is not locked out.
    skipSuccessfulRequests: true,
    // The key is the address alone (IPv6 by /56), whatever the path: one counter for both doors.
    ...(options.store && { store: options.store }),
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, _res, next) => {
      next(new Problem('rate_limited', `Too many failed sign-ins from this address. Wait ${windowMinutes} minutes, then try again, or ask an administrator to reset your password.`));
    },
  });
}
