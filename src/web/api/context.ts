import type { RequestHandler } from 'express';
import type { Config } from '../../config/env.js';
import type { QuestionnaireSource } from '../../assessment/assessmentView.js';
import type { Store } from '../../storage/db.js';
import type { LazyPdfPool } from '../reportPool.js';

/** What every API router needs. */
export interface ApiContext {
  config: Config;
  store: Store;
  questionnaires: QuestionnaireSource;
  /** The server's PDF renderer, started on first use. */
  pdf: LazyPdfPool;
  /** The server's one failed-sign-in limiter, shared by the API and the form (auth/rateLimit.ts). */
  signInLimit: RequestHandler;
}
