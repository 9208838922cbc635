import type { Config } from '../../config/env.js';
import type { QuestionnaireSource } from '../../storage/assessmentView.js';
import type { Store } from '../../storage/db.js';

/** What every API router needs. */
export interface ApiContext {
  config: Config;
  store: Store;
  questionnaires: QuestionnaireSource;
}
