import type { RequestHandler } from 'express';
import type { Config } from '../../config/env.js';
import type { QuestionnaireSource } from '../../assessment/assessmentView.js';
import type { Store } from '../../storage/db.js';
import type { LazyPdfPool } from '../reportPool.js';
import type { PageRenderer } from './view.js';

/** What every page router needs. */
export interface PagesContext {
  config: Config;
  store: Store;
  questionnaires: QuestionnaireSource;
  renderer: PageRenderer;
  pdf: LazyPdfPool;
  /** The server's one failed-sign-in limiter, shared by the API and the form (auth/rateLimit.ts). */
  signInLimit: RequestHandler;
}
