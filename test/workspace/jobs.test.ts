/**
 * Report jobs: the claim is one conditional UPDATE, so of several workers exactly one wins; a lease that
 * runs out lets another worker take the job over; over HTTP a job reports progress and an unchanged
 * report is served from its stored file at once.
 */
import { createHash } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/storage/audit.js';
import { createCountry } from '../../src/storage/countries.js';
import { openStore, type Store } from '../../src/storage/db.js';
import { createMission } from '../../src/storage/missions.js';
import { claimJob, completeJob, enqueueJob, failAbandonedJobs, failJob, findJob, getJob, hasClaimableJob, MAX_ATTEMPTS, renewJob } from '../../src/storage/reportJobs.js';
import { Client, PASSWORD, seedUser, startTestServer } from '../api/helpers.js';
import { ENGINES, testLocation } from '../support/engines.js';

describe.each(ENGINES)('job claims on a real database (%s)', (engine) => {
  let store: Store;
  let missionId = 0;
  beforeAll(async () => {
    store = await openStore(await testLocation(engine, 'ena-jobs-'));
    await createCountry(store.db, SYSTEM, { code: 'KZ', name: { en: 'Kazakhstan', ru: 'Казахстан' } });
    missionId = (await createMission(store.db, SYSTEM, { countryCode: 'KZ', title: 'KZ 2026', startsOn: '2026-01-01', endsOn: '2026-01-03' })).id;
  });
  afterAll(() => store?.close());

  it('lets exactly one of several workers claim a job, and the same report is queued once', async () => {
    const key = { missionId, format: 'pdf' as const, language: 'en' as const, dataRevision: 5, draftRevision: 2 };
    const job = await enqueueJob(store.db, SYSTEM, key);
    expect((await enqueueJob(store.db, SYSTEM, key)).id).toBe(job.id);
    const claims = await Promise.all(['a', 'b', 'c', 'd'].map((worker) => claimJob(store.db, worker, 60_000)));
    const winners = claims.filter((claim) => claim !== null);
    expect(winners).toHaveLength(1);
    expect(winners[0]).toMatchObject({ id: job.id, status: 'running', attempts: 1 });
    const owner = ['a', 'b', 'c', 'd'][claims.findIndex((claim) => claim !== null)] as string;
    expect(await renewJob(store.db, job.id, 'someone-else', 60_000, { pagesDone: 3 })).toBe(false);
    expect(await renewJob(store.db, job.id, owner, 60_000, { pagesDone: 3 })).toBe(true);
    expect((await getJob(store.db, job.id)).pagesDone).toBe(3);
    expect(await completeJob(store.db, job.id, owner, { filePath: '/tmp/x.pdf', sha256: 'ab', pageCount: 9, dataRevision: 5, draftRevision: 2 })).toBe(true);
    expect(await findJob(store.db, key)).toMatchObject({ id: job.id, status: 'done', pageCount: 9 });
  });

  it('gives a job whose lease ran out to another worker; a job that keeps failing stops after the last attempt', async () => {
    const job = await enqueueJob(store.db, SYSTEM, { missionId, format: 'docx', language: 'ru', dataRevision: 6, draftRevision: 2 });
    expect(await hasClaimableJob(store.db)).toBe(true);
    const first = await claimJob(store.db, 'dies', 1_000, new Date('2020-01-01T00:00:00Z'));
    expect(first?.id).toBe(job.id);
    // Still leased (from the point of view of a clock before the lease ends): nobody else gets it, and
    // the poll of idle instances sees nothing to do.
    expect(await hasClaimableJob(store.db, new Date('2020-01-01T00:00:00.500Z'))).toBe(false);
    expect(await claimJob(store.db, 'other', 60_000, new Date('2020-01-01T00:00:00.500Z'))).toBeNull();
    expect(await hasClaimableJob(store.db)).toBe(true);
    const second = await claimJob(store.db, 'other', 60_000);
    expect(second).toMatchObject({ id: job.id, attempts: 2 });
    // The first worker wakes up: its writes are refused.
    expect(await completeJob(store.db, job.id, 'dies', { filePath: '/tmp/y', sha256: 'cd', pageCount: 1, dataRevision: 6, draftRevision: 2 })).toBe(false);
    await failJob(store.db, job.id, 'other', 'Chromium crashed');
    expect(await getJob(store.db, job.id)).toMatchObject({ status: 'queued', error: 'Chromium crashed' });
    for (let attempt = 3; attempt <= MAX_ATTEMPTS; attempt++) {
      expect(await claimJob(store.db, 'w', 60_000)).toMatchObject({ attempts: attempt });
      await failJob(store.db, job.id, 'w', 'again');
    }
    expect(await getJob(store.db, job.id)).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS });
    expect(await claimJob(store.db, 'w', 60_000)).toBeNull();
    expect(await hasClaimableJob(store.db)).toBe(false);
  });

  it('fails a job whose worker died during its last attempt, instead of leaving it running', async () => {
    const job = await enqueueJob(store.db, SYSTEM, { missionId, format: 'pdf', language: 'ru', dataRevision: 7, draftRevision: 2 });
    for (let attempt = 1; attempt < MAX_ATTEMPTS; attempt++) {
      await claimJob(store.db, 'w', 60_000);
      await failJob(store.db, job.id, 'w', 'again');
    }
    expect(await claimJob(store.db, 'dies', 1_000, new Date('2020-01-01T00:00:00Z'))).toMatchObject({ id: job.id, attempts: MAX_ATTEMPTS });
    // Nobody may claim it again, but the poll of idle instances sees work: failing it.
    expect(await claimJob(store.db, 'other', 60_000)).toBeNull();
    expect(await hasClaimableJob(store.db)).toBe(true);
    expect(await failAbandonedJobs(store.db, new Date('2020-01-01T00:00:00.500Z'))).toBe(0);
    expect(await failAbandonedJobs(store.db)).toBe(1);
    expect(await getJob(store.db, job.id)).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS, error: expect.stringMatching(/stopped during attempt 3 of 3: generate it again/) });
    expect(await hasClaimableJob(store.db)).toBe(false);
  });
});

describe('report jobs over HTTP', () => {
  type Server = Awaited<ReturnType<typeof startTestServer>>;
  interface JobView { id: number; status: string; pagesDone: number; pageCount: number | null; elapsedMs: number; statusUrl: string; downloadUrl: string | null }
  let server: Server;
  let manager: Client;
  let kz = 0;

  beforeAll(async () => {
    const reportsDir = join(await mkdtemp(join(tmpdir(), 'ena-jobs-http-')), 'reports');
    server = await startTestServer({ demo: true, demoDir: resolve('data/demo'), env: { ENA_QUESTIONNAIRES: resolve('questionnaires'), ENA_REPORTS: reportsDir } });
    await seedUser(server.store, 'manager@test', 'manager');
    await seedUser(server.store, 'viewer.kz@test', 'viewer', ['KZ']);
    manager = new Client(server.url);
    expect((await manager.login('manager@test', PASSWORD)).status).toBe(201);
    const missions = await manager.get<{ missions: { id: number; countryCode: string }[] }>('/api/missions');
    kz = missions.body.missions.find((mission) => mission.countryCode === 'KZ')?.id ?? 0;
  }, 180_000);
  afterAll(() => server?.close());

  it('queues the report (202), reports progress until done, and serves an unchanged report at once from its file', async () => {
    const started = await manager.request<{ job: JobView; reused: boolean }>('POST', `/api/missions/${kz}/report-draft/jobs`, { language: 'ru', format: 'pdf' });
    expect(started.status).toBe(202);
    expect(started.body.reused).toBe(false);
    let job = started.body.job;
    const seen = new Set<string>();
    for (let i = 0; i < 240 && job.status !== 'done' && job.status !== 'failed'; i++) {
      await new Promise((done) => setTimeout(done, 250));
      job = (await manager.get<{ job: JobView }>(job.statusUrl)).body.job;
      seen.add(job.status);
    }
    expect(job.status).toBe('done');
    expect(job.pageCount).toBeGreaterThan(5);
    expect(job.pagesDone).toBe(job.pageCount);
    expect(job.elapsedMs).toBeGreaterThan(0);
    const file = await fetch(server.url + (job.downloadUrl as string), { headers: { cookie: manager.cookie ?? '' } });
    expect(file.status).toBe(200);
    const bytes = new Uint8Array(await file.arrayBuffer());
    expect(Buffer.from(bytes.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    expect(file.headers.get('x-content-sha256')).toBe(createHash('sha256').update(bytes).digest('hex'));

    const again = await manager.request<{ job: JobView; reused: boolean }>('POST', `/api/missions/${kz}/report-draft/jobs`, { language: 'ru', format: 'pdf' });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ reused: true, job: { id: job.id, status: 'done' } });
    // Another language is another report.
    const english = await manager.request<{ job: JobView }>('POST', `/api/missions/${kz}/report-draft/jobs`, { language: 'en', format: 'docx' });
    expect(english.status).toBe(202);
    expect(english.body.job.id).not.toBe(job.id);
  }, 240_000);

  it('refuses viewers and names a bad format', async () => {
    const viewer = new Client(server.url);
    await viewer.login('viewer.kz@test', PASSWORD);
    expect((await viewer.request('POST', `/api/missions/${kz}/report-draft/jobs`, { language: 'en' })).status).toBe(403);
    const bad = await manager.request<{ error: { details: { path: string }[] } }>('POST', `/api/missions/${kz}/report-draft/jobs`, { language: 'en', format: 'odt' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0]?.path).toBe('format');
  });
});
