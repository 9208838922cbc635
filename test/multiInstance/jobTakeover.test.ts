/**
 * A report job whose instance dies is retried by another: two `ena serve` processes on one PostgreSQL
 * database and one shared reports folder; the instance that claimed a PDF job is killed (SIGKILL, with
 * its Chromium) while the job runs, and the other instance, which nobody asked about the job, takes it
 * over once the lease runs out, finishes it once and serves the file.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAssessment } from '../../src/storage/assessments.js';
import { SYSTEM } from '../../src/storage/audit.js';
import { createCountry } from '../../src/storage/countries.js';
import { openStore, type Store } from '../../src/storage/db.js';
import { createMission } from '../../src/storage/missions.js';
import { withDraftTables, type ReportJobRow } from '../../src/storage/reportDraftTables.js';
import { Client, FIXTURES, PASSWORD, seedUser } from '../api/helpers.js';
import { testLocation } from '../support/engines.js';
import { killInstance, spawnServer, type ServerProcess } from '../support/serverProcess.js';

/** Short, so that the test waits seconds, not the default two minutes; renewals come every third of it. */
const LEASE_SECONDS = 5;

let database: string;
let reportsDir: string;
let store: Store;
let a: ServerProcess;
let b: ServerProcess;
let missionId: number;

beforeAll(async () => {
  database = await testLocation('postgres');
  reportsDir = join(await mkdtemp(join(tmpdir(), 'ena-takeover-')), 'reports');
  store = await openStore(database);
  await createCountry(store.db, SYSTEM, { code: 'KZ', name: { en: 'Kazakhstan', ru: 'Казахстан' } });
  await seedUser(store.db, 'manager@example.org', 'manager');
  const mission = await createMission(store.db, SYSTEM, { countryCode: 'KZ', title: 'Mission', startsOn: '2025-06-11', endsOn: '2025-06-13' });
  await createAssessment(store.db, SYSTEM, { missionId: mission.id, questionnaireId: 'preservation-demo', questionnaireVersion: 1 });
  missionId = mission.id;
  // Each instance leads its own process group, so that killing it also kills the Chromium it renders with.
  const env = { ENA_QUESTIONNAIRES: FIXTURES, ENA_REPORTS: reportsDir, ENA_JOB_LEASE_SECONDS: String(LEASE_SECONDS) };
  [a, b] = await Promise.all([spawnServer(database, env, { processGroup: true }), spawnServer(database, env, { processGroup: true })]);
});

afterAll(async () => {
  await Promise.all([a && killInstance(a), b && killInstance(b)]);
  await store?.close();
});

async function jobRow(id: number): Promise<ReportJobRow> {
  return withDraftTables(store.db).selectFrom('report_jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

/** Polls the database until `probe` returns a value, or fails after `timeoutMs` naming what it waited for. */
async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The instance whose worker holds a job: worker ids name the process (worker-<host>-<pid>-<random>). */
const instanceOf = (worker: string | null): ServerProcess | undefined => [a, b].find((server) => worker?.includes(`-${server.child.pid}-`));

describe('a report job whose instance dies', () => {
  it('is taken over by the other instance after the lease runs out, finished once, and downloads through it', async () => {
    const manager = new Client(a.url);
    expect((await manager.login('manager@example.org', PASSWORD)).status).toBe(201);
    const started = await manager.request<{ job: { id: number } }>('POST', `/api/missions/${missionId}/report-draft/jobs`, { format: 'pdf', language: 'en' });
    expect(started.status).toBe(202);
    const jobId = started.body.job.id;

    // A was asked, so A's worker claims it at once (kicked in the request). Should B's poll win that
    // millisecond race instead, the instance holding the job is the one that dies: the point stands.
    const claimed = await waitFor('the first claim', async () => {
      const row = await jobRow(jobId);
      return row.status === 'running' && row.worker !== null ? row : undefined;
    }, 60_000);
    expect(claimed.attempts).toBe(1);
    const dying = instanceOf(claimed.worker);
    expect(dying, `worker ${claimed.worker} belongs to neither instance (pids ${a.child.pid}, ${b.child.pid})`).toBeDefined();
    const survivor = dying === a ? b : a;

    await killInstance(dying as ServerProcess);
    const afterKill = await jobRow(jobId);
    // Killed mid-job: the render had not been recorded, and the job is still leased to the dead worker.
    expect(afterKill, 'the job finished before its instance could be killed').toMatchObject({ status: 'running', worker: claimed.worker, attempts: 1, file_path: null });
    const firstLeaseEnds = Date.parse(afterKill.lease_until as string);

    // Nobody tells the survivor: its periodic poll finds the expired lease and claims the job again.
    const retried = await waitFor('the job to be taken over', async () => {
      const row = await jobRow(jobId);
      return row.worker !== claimed.worker && row.worker !== null ? row : undefined;
    }, 60_000);
    expect(instanceOf(retried.worker)).toBe(survivor);
    expect(retried.attempts).toBe(2);
    // Not before the lease ran out: a live worker's job is never taken from it.
    expect(Date.parse(retried.started_at as string)).toBeGreaterThanOrEqual(firstLeaseEnds);

    const done = await waitFor('the retried job to finish', async () => {
      const row = await jobRow(jobId);
      return row.status === 'done' || row.status === 'failed' ? row : undefined;
    }, 240_000);
    expect(done).toMatchObject({ status: 'done', worker: retried.worker, attempts: 2, error: null });
    expect(done.page_count).toBeGreaterThan(0);

    // Done exactly once: one job for this report, one finished PDF in the shared folder.
    const jobs = await withDraftTables(store.db).selectFrom('report_jobs').select(['id', 'status']).where('mission_id', '=', missionId).execute();
    expect(jobs).toEqual([{ id: jobId, status: 'done' }]);
    const files = (await readdir(join(reportsDir, 'jobs'))).filter((name) => name.endsWith('.pdf'));
    expect(files).toEqual([done.file_path?.split('/').pop()]);
    const onDisk = await readFile(done.file_path as string);
    expect(createHash('sha256').update(onDisk).digest('hex')).toBe(done.sha256);

    // The same browser session, moved by the load balancer to the survivor, sees the retry and downloads the file.
    const moved = new Client(survivor.url);
    moved.cookie = manager.cookie;
    moved.csrfToken = manager.csrfToken;
    const status = await moved.get<{ job: { status: string; attempts: number; downloadUrl: string | null } }>(`/api/report-jobs/${jobId}`);
    expect(status.body.job).toMatchObject({ status: 'done', attempts: 2 });
    const file = await fetch(survivor.url + (status.body.job.downloadUrl as string), { headers: { cookie: manager.cookie ?? '' } });
    expect(file.status).toBe(200);
    const bytes = Buffer.from(await file.arrayBuffer());
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(done.sha256);
  }, 360_000);
});
