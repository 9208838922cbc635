/**
 * Builds the Express application from its parts. Routers live in their own modules; this file only
 * decides the order: security headers, logging, body limits, session, CSRF, routes, 404, errors.
 */
import compression from 'compression';
import express, { type Express, type Request } from 'express';
import { sql } from 'kysely';
import helmet from 'helmet';
import type { Logger } from 'pino';
import type { Config } from '../config/env.js';
import type { LoadResult } from '../questionnaire/load.js';
import type { Store } from '../storage/db.js';
import { apiRouter } from './api/index.js';
import type { Store as RateLimitStore } from 'express-rate-limit';
import { verifyCsrf } from './auth/csrf.js';
import { DatabaseRateLimitStore } from '../storage/rateLimits.js';
import { loginRateLimit } from './auth/rateLimit.js';
import { bodyParsers } from './bodies.js';
import { authenticate } from './auth/session.js';
import { requestLog } from './requestLog.js';
import { errorHandler, notFoundHandler } from './errors.js';
import { pageErrorHandler, pageNotFound, pagesRouter, serviceWorkerScript, staticAssets } from './pages/index.js';
import { createPageRenderer } from './pages/view.js';
import type { LazyPdfPool } from './reportPool.js';

export interface AppContext {
  config: Config;
  questionnaires: LoadResult;
  logger: Logger;
  store: Store;
  /** One PDF renderer per server (Chromium starts on the first report). */
  pdf: LazyPdfPool;
  /** Where failed sign-ins are counted; default the database, so that every instance on it shares one budget. */
  signInStore?: RateLimitStore;
}

export { JSON_BODY_LIMIT } from './bodies.js';

/** Sign-in needs no CSRF token: there is no session yet to bind it to (see auth/csrf.ts). */
export const CSRF_EXEMPT = ['POST /api/session', 'POST /login'];
/** Routes that read their body as raw bytes themselves (see bodies.ts). */
export const RAW_BODY_ROUTES = ['POST /api/bundles'];
/** Page forms that upload a file (multipart/form-data, see bodies.ts). */
export const UPLOAD_ROUTES = ['POST /bundles/import'];

/**
 * An autosave (PUT of one answer) is answered with a few dozen bytes of JSON, far below compression's
 * 1 kB threshold, yet the middleware's wrapping of the response was ~3 % of the server's CPU under the
 * autosave benchmark: that route skips it.
 */
const AUTOSAVE_PATH = /^\/api\/assessments\/[^/]+\/answers\/[^/]+$/;
const isAutosave = (req: Request): boolean => req.method === 'PUT' && AUTOSAVE_PATH.test(req.path);

export function createApp(context: AppContext): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  // HSTS and upgrade-insecure-requests only make sense behind TLS; on plain HTTP they would break the app.
  const behindTls = context.config.secureCookies;
  app.use(helmet({
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'"], imgSrc: ["'self'", 'data:'], objectSrc: ["'none'"], frameAncestors: ["'none'"],
        upgradeInsecureRequests: behindTls ? [] : null,
      },
    },
    strictTransportSecurity: behindTls,
  }));
  // Never bodies (passwords, answer text) or cookies; the user id says who did it.
  app.use(requestLog(context.logger));
  // Pages are large, repetitive HTML (a questionnaire's fill-in page is ~200 KB, ~25 KB compressed):
  // on a slow mission link compression is the difference between one second and six.
  const compress = compression();
  app.use((req, res, next) => (isAutosave(req) ? next() : compress(req, res, next)));
  // Static files need no session: served before the session lookup.
  app.use('/static', staticAssets());
  app.get('/sw.js', serviceWorkerScript);
  app.use(bodyParsers({ rawBodyRoutes: RAW_BODY_ROUTES, uploadRoutes: UPLOAD_ROUTES }));
  app.use(authenticate(context.store, context.config));
  app.use(verifyCsrf({ exempt: CSRF_EXEMPT }));

  app.get('/healthz', async (_req, res) => {
    // A one-row read proves the database (file or server) is open and readable.
    const database = await sql<{ ok: number }>`select 1 as ok`.execute(context.store.db).then((r) => r.rows[0], () => undefined);
    res.json({ status: 'ok', database: database?.ok === 1 ? 'ok' : 'unavailable', questionnaires: context.questionnaires.questionnaires.map((q) => ({ id: q.id, version: q.version })) });
  });
  const signInLimit = loginRateLimit({ ...context.config.signInLimit, store: context.signInStore ?? new DatabaseRateLimitStore(context.store.db) });
  app.use('/api', apiRouter({ config: context.config, store: context.store, questionnaires: context.questionnaires, pdf: context.pdf, signInLimit }));
  const renderer = createPageRenderer();
  app.use(pagesRouter({ config: context.config, store: context.store, questionnaires: context.questionnaires, renderer, pdf: context.pdf, signInLimit }));

  app.use(pageNotFound(renderer));
  app.use(notFoundHandler);
  app.use(pageErrorHandler(renderer));
  app.use(errorHandler);
  return app;
}
