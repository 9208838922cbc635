/**
 * Builds the Express application from its parts. Routers live in their own modules; this file only
 * decides the order: security headers, logging, body limits, routes, 404, errors.
 */
import express, { type Express } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import type { Logger } from 'pino';
import type { Config } from '../config/env.js';
import type { LoadResult } from '../questionnaire/load.js';
import { errorHandler, notFoundHandler } from './errors.js';

export interface AppContext {
  config: Config;
  questionnaires: LoadResult;
  logger: Logger;
}

export const JSON_BODY_LIMIT = '256kb';

export function createApp(context: AppContext): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(helmet({
    contentSecurityPolicy: { directives: { defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'"], imgSrc: ["'self'", 'data:'], objectSrc: ["'none'"], frameAncestors: ["'none'"] } },
  }));
  app.use(pinoHttp({
    logger: context.logger,
    // Never log bodies (passwords, answer text) or cookies.
    serializers: { req: (req: { method: string; url: string }) => ({ method: req.method, url: req.url }), res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }) },
  }));
  app.use(express.json({ limit: JSON_BODY_LIMIT }));

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', questionnaires: context.questionnaires.questionnaires.map((q) => ({ id: q.id, version: q.version })) });
  });
  app.get('/', (_req, res) => {
    res.type('html').send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>ENA</title></head><body><h1>ENA — e-Evidence Needs Assessment</h1><p>${context.questionnaires.questionnaires.length} questionnaires loaded.</p></body></html>`);
  });

  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
