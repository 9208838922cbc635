/** The JSON API under /api: one router per resource, each checking who is asking. */
import { Router } from 'express';
import { auditRouter } from './audit.js';
import { assessmentsRouter } from './assessments.js';
import type { ApiContext } from './context.js';
import { countriesRouter } from './countries.js';
import { exchangeRouter } from './exchange.js';
import { missionsRouter } from './missions.js';
import { reportDraftsRouter } from './reportDrafts.js';
import { reportsRouter } from './reports.js';
import { sessionRouter } from './session.js';
import { usersRouter } from './users.js';

export function apiRouter(context: ApiContext): Router {
  const router = Router();
  // Answers describe weaknesses of real states: no shared cache may keep them.
  router.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  // Autosaves are most of the traffic: their router is asked first (no two routers share a path).
  router.use(assessmentsRouter(context));
  router.use(sessionRouter(context));
  router.use(countriesRouter(context));
  router.use(missionsRouter(context));
  router.use(usersRouter(context));
  router.use(auditRouter(context));
  router.use(exchangeRouter(context));
  router.use(reportsRouter(context));
  router.use(reportDraftsRouter(context));
  return router;
}
