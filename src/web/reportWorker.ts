/**
 * The server's one report job worker, shared by the API and the pages: made with the server's PDF
 * renderer on first use, and stopped (its current job finished) before that renderer closes.
 */
import type { Config } from '../config/env.js';
import type { QuestionnaireSource } from '../assessment/assessmentView.js';
import { ReportWorker } from '../report/jobs/worker.js';
import { configuredMarking } from '../report/model/common.js';
import type { Store } from '../storage/db.js';
import type { LazyPdfPool } from './reportPool.js';

const workers = new WeakMap<LazyPdfPool, ReportWorker>();

export function reportWorkerFor(context: { config: Config; store: Store; questionnaires: QuestionnaireSource; pdf: LazyPdfPool }): ReportWorker {
  let worker = workers.get(context.pdf);
  if (!worker) {
    const created = new ReportWorker({
      db: context.store.db, questionnaires: context.questionnaires, pool: () => context.pdf.get(), reportsDir: context.config.reportsDir,
      marking: configuredMarking(context.config.reportMarking), leaseMs: context.config.jobLeaseMs,
    });
    context.pdf.beforeClose(() => created.stop());
    workers.set(context.pdf, created);
    worker = created;
  }
  return worker;
}
