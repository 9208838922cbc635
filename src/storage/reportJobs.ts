/**
 * Report generation jobs: one per (mission, format, language, data revision, draft revision). Workers
 * claim a job with one conditional UPDATE that re-checks the status in its own WHERE, so two workers
 * (in one process or in several instances on one PostgreSQL) never both win; the winner holds a lease
 * and renews it while it renders, and a job whose lease ran out (its worker died) is claimed again.
 */
import { sql, type ExpressionBuilder, type Kysely } from 'kysely';
import { Problem } from '../shared/problem.js';
import { writeAudit, type Actor } from './audit.js';
import { skipLockedOnPostgres } from './dialect.js';
import { withDraftTables, type DraftDatabase, type OutputFormat, type ReportJobRow } from './reportDraftTables.js';
import type { Database } from './schema.js';
import { inTransaction } from './transaction.js';

/** A job is tried at most this often before it is marked failed. */
export const MAX_ATTEMPTS = 3;

export interface ReportJobKey {
  missionId: number;
  format: OutputFormat;
  language: 'en' | 'ru' | 'bilingual';
  dataRevision: number;
  draftRevision: number;
}

export interface ReportJobDto extends ReportJobKey {
  id: number;
  status: ReportJobRow['status'];
  attempts: number;
  pagesDone: number;
  pageCount: number | null;
  filePath: string | null;
  sha256: string | null;
  error: string | null;
  createdBy: number | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export const toJobDto = (row: ReportJobRow): ReportJobDto => ({
  id: row.id, missionId: row.mission_id, format: row.format, language: row.language, dataRevision: row.data_revision, draftRevision: row.draft_revision,
  status: row.status, attempts: row.attempts, pagesDone: row.pages_done, pageCount: row.page_count, filePath: row.file_path, sha256: row.sha256,
  error: row.error, createdBy: row.created_by, createdAt: row.created_at, startedAt: row.started_at, finishedAt: row.finished_at,
});

export async function getJob(db: Kysely<Database>, id: number): Promise<ReportJobDto> {
  const row = await withDraftTables(db).selectFrom('report_jobs').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw Problem.notFound(`Report job ${id}`);
  return toJobDto(row);
}

/** The newest job for exactly this report that is done, queued or running: an unchanged report is not made twice. */
export async function findJob(db: Kysely<Database>, key: ReportJobKey): Promise<ReportJobDto | null> {
  const row = await withDraftTables(db).selectFrom('report_jobs').selectAll()
    .where('mission_id', '=', key.missionId).where('format', '=', key.format).where('language', '=', key.language)
    .where('data_revision', '=', key.dataRevision).where('draft_revision', '=', key.draftRevision)
    .where('status', 'in', ['done', 'queued', 'running']).orderBy('id', 'desc').limit(1).executeTakeFirst();
  return row ? toJobDto(row) : null;
}

export async function enqueueJob(db: Kysely<Database>, actor: Actor, key: ReportJobKey): Promise<ReportJobDto> {
  return inTransaction(db, async (plain) => {
    const existing = await findJob(plain, key);
    if (existing) return existing;
    const row = await withDraftTables(plain).insertInto('report_jobs').values({
      mission_id: key.missionId, format: key.format, language: key.language, data_revision: key.dataRevision, draft_revision: key.draftRevision,
      status: 'queued', worker: null, lease_until: null, page_count: null, file_path: null, sha256: null, error: null, created_by: actor.id,
      created_at: new Date().toISOString(), started_at: null, finished_at: null,
    }).returningAll().executeTakeFirstOrThrow();
    await writeAudit(plain, actor, 'report.job.enqueue', { type: 'report_job', id: row.id }, null, key);
    return toJobDto(row);
  });
}

/** Queued, or running on a lease that ran out at `at` (its worker died or hung). */
const claimableAt = (at: string) => (eb: ExpressionBuilder<DraftDatabase, 'report_jobs'>) =>
  eb.or([eb('status', '=', 'queued'), eb.and([eb('status', '=', 'running'), eb('lease_until', '<', at)])]);

/**
 * Whether some job waits for a worker (to claim it, or to fail it: see failAbandonedJobs): a plain read,
 * cheap enough to ask every few seconds.
 */
export async function hasClaimableJob(db: Kysely<Database>, now = new Date()): Promise<boolean> {
  const row = await withDraftTables(db).selectFrom('report_jobs').select('id').where(claimableAt(now.toISOString())).limit(1).executeTakeFirst();
  return row !== undefined;
}

/**
 * Jobs whose worker died during their last attempt: no worker may claim them again, so they are marked
 * failed (with the reason) instead of showing `running` for ever. Returns how many.
 */
export async function failAbandonedJobs(db: Kysely<Database>, now = new Date()): Promise<number> {
  const at = now.toISOString();
  const result = await withDraftTables(db).updateTable('report_jobs')
    .set({ status: 'failed', error: `The instance rendering this report stopped during attempt ${MAX_ATTEMPTS} of ${MAX_ATTEMPTS}: generate it again.`, lease_until: null, finished_at: at })
    .where('status', '=', 'running').where('lease_until', '<', at).where('attempts', '>=', MAX_ATTEMPTS).executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Claims the oldest claimable job for `worker`, or returns null. One statement: safe against other workers. */
export async function claimJob(db: Kysely<Database>, worker: string, leaseMs: number, now = new Date()): Promise<ReportJobDto | null> {
  const ddb = withDraftTables(db);
  const at = now.toISOString();
  const claimable = claimableAt(at);
  const row = await ddb.updateTable('report_jobs')
    .set((eb) => ({ status: 'running', worker, lease_until: new Date(now.getTime() + leaseMs).toISOString(), attempts: eb('attempts', '+', 1), started_at: at, error: null }))
    // On PostgreSQL the sub-select skips rows another instance is claiming right now (see dialect.ts).
    .where('id', '=', (eb) => skipLockedOnPostgres(ddb, eb.selectFrom('report_jobs').select('id').where(claimable).where('attempts', '<', MAX_ATTEMPTS).orderBy('id').limit(1)))
    // Re-checked here: between the sub-select and the update another worker may have won.
    .where(claimable)
    .returningAll().executeTakeFirst();
  return row ? toJobDto(row) : null;
}

/** Extends the lease and records progress; false when the job is no longer this worker's. */
export async function renewJob(db: Kysely<Database>, id: number, worker: string, leaseMs: number, progress: { pagesDone?: number } = {}): Promise<boolean> {
  const result = await withDraftTables(db).updateTable('report_jobs')
    .set({ lease_until: new Date(Date.now() + leaseMs).toISOString(), ...(progress.pagesDone === undefined ? {} : { pages_done: progress.pagesDone }) })
    .where('id', '=', id).where('worker', '=', worker).where('status', '=', 'running').executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Records the file; the revisions are the ones actually printed (the data may have moved on since the job was asked for). */
export async function completeJob(db: Kysely<Database>, id: number, worker: string, result: { filePath: string; sha256: string; pageCount: number | null; dataRevision: number; draftRevision: number }): Promise<boolean> {
  const done = await withDraftTables(db).updateTable('report_jobs')
    .set({ status: 'done', data_revision: result.dataRevision, draft_revision: result.draftRevision, file_path: result.filePath, sha256: result.sha256, page_count: result.pageCount, pages_done: result.pageCount ?? 0, lease_until: null, finished_at: new Date().toISOString() })
    .where('id', '=', id).where('worker', '=', worker).where('status', '=', 'running').executeTakeFirst();
  return Number(done.numUpdatedRows) === 1;
}

/** A failed attempt: queued again while attempts remain, else failed with the message. */
export async function failJob(db: Kysely<Database>, id: number, worker: string, message: string): Promise<void> {
  await withDraftTables(db).updateTable('report_jobs')
    .set({ status: sql<'queued' | 'failed'>`case when attempts < ${MAX_ATTEMPTS} then 'queued' else 'failed' end`, error: message.slice(0, 2_000), lease_until: null, worker: null, finished_at: new Date().toISOString() })
    .where('id', '=', id).where('worker', '=', worker).where('status', '=', 'running').execute();
}
