/**
 * Limits failed sign-ins per client address: guessing passwords must be slow. The counts live in the
 * database (storage/rateLimits.ts) when a store is given, so several ENA instances share one budget.
 */
import type { RequestHandler } from 'express';
import { rateLimit, type Store } from 'express-rate-limit';
import { Problem } from '../../shared/problem.js';

export const LOGIN_WINDOW_MINUTES = 15;
export const LOGIN_FAILURES_ALLOWED = 10;

export function loginRateLimit(options: { limit?: number; windowMinutes?: number; store?: Store } = {}): RequestHandler {
  const windowMinutes = options.windowMinutes ?? LOGIN_WINDOW_MINUTES;
  return rateLimit({
    windowMs: windowMinutes * 60_000,
    limit: options.limit ?? LOGIN_FAILURES_ALLOWED,
    // Only failures count: a team signing in from one hotel address is not locked out.
    skipSuccessfulRequests: true,
    ...(options.store && { store: options.store }),
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, _res, next) => {
      next(new Problem('rate_limited', `Too many failed sign-ins from this address. Wait ${windowMinutes} minutes, then try again, or ask an administrator to reset your password.`));
    },
  });
}
