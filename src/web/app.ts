/**
 * Builds the Express application from its parts. Routers live in their own modules; this file only
 * decides the order: security headers, logging, body limits, session, CSRF, routes, 404, errors.
 */
import express, { type Express, type Request } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import type { Logger } from 'pino';
import type { Config } from '../config/env.js';
import type { LoadResult } from '../questionnaire/load.js';
import type { Store } from '../storage/db.js';
import { apiRouter } from './api/index.js';
import { verifyCsrf } from './auth/csrf.js';
import { authenticate } from './auth/session.js';
import { errorHandler, notFoundHandler } from './errors.js';

export interface AppContext {
  config: Config;
  questionnaires: LoadResult;
  logger: Logger;
  store: Store;
}

export const JSON_BODY_LIMIT = '256kb';

/** Sign-in needs no CSRF token: there is no session yet to bind it to (see auth/csrf.ts). */
export const CSRF_EXEMPT = ['POST /api/session', 'POST /login'];

export function createApp(context: AppContext): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(helmet({
    contentSecurityPolicy: { directives: { defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'"], imgSrc: ["'self'", 'data:'], objectSrc: ["'none'"], frameAncestors: ["'none'"] } },
  }));
  app.use(pinoHttp({
    logger: context.logger,
    // Never log bodies (passwords, answer text) or cookies; the user id says who did it.
    serializers: { req: (req: { method: string; url: string }) => ({ method: req.method, url: req.url }), res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }) },
    customProps: (req) => ({ userId: (req as Request).user?.id }),
  }));
  app.use(express.json({ limit: JSON_BODY_LIMIT }));
  app.use(express.urlencoded({ extended: false, limit: JSON_BODY_LIMIT }));
  app.use(authenticate(context.store.db, context.config));
  app.use(verifyCsrf({ exempt: CSRF_EXEMPT }));

  app.get('/healthz', (_req, res) => {
    // A synchronous one-row read proves the database file is open and readable.
    const database = context.store.sqlite.prepare('select 1 as ok').get() as { ok: number } | undefined;
    res.json({ status: 'ok', database: database?.ok === 1 ? 'ok' : 'unavailable', questionnaires: context.questionnaires.questionnaires.map((q) => ({ id: q.id, version: q.version })) });
  });
  app.use('/api', apiRouter({ config: context.config, store: context.store, questionnaires: context.questionnaires }));
  app.get('/', (_req, res) => {
    res.type('html').send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>ENA</title></head><body><h1>ENA — e-Evidence Needs Assessment</h1><p>${context.questionnaires.questionnaires.length} questionnaires loaded.</p></body></html>`);
  });

  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
