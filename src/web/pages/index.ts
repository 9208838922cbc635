/**
 * The server-rendered pages: one router per area, the static assets, and HTML error pages. API
 * routes keep their JSON errors; everything else that fails becomes a page in the reader's language.
 */
import { Router } from 'express';
import type { PagesContext } from './context.js';
import { startPageTimer } from './frame.js';
import { accountPages, requireOwnPassword } from './routes/account.js';
import { adminPages } from './routes/admin.js';
import { bundlePages } from './routes/bundles.js';
import { assessmentPages } from './routes/assessments.js';
import { dashboardPages } from './routes/dashboard.js';
import { missionPages } from './routes/missions.js';
import { reportWorkspacePages } from './routes/reportWorkspace.js';
import { managerReportPages } from './routes/managerReports.js';
import { offlinePages } from './routes/offline.js';
import { sessionPages } from './routes/session.js';

export { buildClientBundle, serviceWorkerScript, staticAssets } from './assets.js';
export { pageErrorHandler, pageNotFound } from './errors.js';
export type { PagesContext } from './context.js';

export function pagesRouter(context: PagesContext): Router {
  const router = Router();
  router.use(startPageTimer);
  router.use(requireOwnPassword);
  router.use(sessionPages(context));
  router.use(offlinePages(context));
  router.use(dashboardPages(context));
  router.use(missionPages(context));
  router.use(reportWorkspacePages(context));
  router.use(managerReportPages(context));
  router.use(bundlePages(context));
  router.use(assessmentPages(context));
  router.use(adminPages(context));
  router.use(accountPages(context));
  return router;
}
