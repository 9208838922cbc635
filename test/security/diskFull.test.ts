/**
 * A full disk (issue 14 row 14): saves, sign-ins and form posts get a 507 that says what to do, nothing
 * stored changes, a report's `.pdf.part` is removed, and everything works again once space is freed.
 *
 * The disks are real: a 12 MB tmpfs for the database and a 1 MB one for the reports, mounted for the
 * test and filled with a file until ENOSPC. Mounting needs root (as on the project's machine); where it
 * is not allowed the tests say so and check nothing.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, open, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM, verifyAuditChain } from '../../src/storage/audit.js';
import { createCountry } from '../../src/storage/countries.js';
import type { RunningServer } from '../../src/web/server.js';
import { Client, seedUser, startTestServer } from '../api/helpers.js';
import { sqliteOf } from '../support/engines.js';
import { send } from './http.js';

async function mountTmpfs(megabytes: number): Promise<string | undefined> {
  const dir = await mkdtemp(join(tmpdir(), 'ena-full-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${megabytes}m`, 'tmpfs', dir], { stdio: 'ignore' });
    return dir;
  } catch {
    return undefined;
  }
}

/** Writes zeros into `dir/filler` until the file system refuses (ENOSPC). */
async function fillDisk(dir: string): Promise<string> {
  const file = join(dir, 'filler');
  const handle = await open(file, 'w');
  const chunk = Buffer.alloc(64 * 1024);
  try {
    for (;;) await handle.write(chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    await handle.close().catch(() => undefined);
  }
  return file;
}

let running: RunningServer & { dbFile: string };
let mounted: string | undefined;
/** A second, tiny disk for the reports, so the render succeeds and only the PDF write meets a full disk. */
let reportsDisk: string | undefined;
let manager: Client;
let assessmentId: number;
let missionId: number;

beforeAll(async () => {
  mounted = await mountTmpfs(12);
  reportsDisk = mounted ? await mountTmpfs(1) : undefined;
  const dir = mounted ?? (await mkdtemp(join(tmpdir(), 'ena-full-')));
  const reports = reportsDisk ?? join(dir, 'reports');
  await mkdir(reports, { recursive: true });
  running = await startTestServer({ dbFile: join(dir, 'ena.sqlite'), env: { ENA_REPORTS: reports } });
  const { db } = running.store;
  await createCountry(db, SYSTEM, { code: 'KZ', name: { en: 'Kazakhstan', ru: 'Казахстан' } });
  await seedUser(db, 'manager@example.org', 'manager');
  manager = new Client(running.url);
  expect((await manager.login('manager@example.org')).status).toBe(201);
  const created = await manager.request<{ mission: { id: number }; assessments: { id: number }[] }>('POST', '/api/missions', { countryCode: 'KZ', title: 'Mission', startsOn: '2025-06-11', endsOn: '2025-06-13' });
  missionId = created.body.mission.id;
  assessmentId = created.body.assessments[0]?.id as number;
  expect((await manager.request('PUT', `/api/assessments/${assessmentId}/answers/preservation-power`, { value: 1, baseRevision: 0, opId: 'before-full' })).status).toBe(200);
}, 120_000);

afterAll(async () => {
  await running?.close();
  for (const dir of [mounted, reportsDisk]) if (dir) execFileSync('umount', [dir], { stdio: 'ignore' });
});

async function makeFull(disk: string): Promise<() => Promise<void>> {
  // The WAL is emptied first, so the next commit must grow a file on the full disk.
  sqliteOf(running.store).pragma('wal_checkpoint(TRUNCATE)');
  const filler = await fillDisk(disk);
  return () => rm(filler, { force: true });
}

describe('a full disk', () => {
  it('refuses saves, sign-ins and form posts with a 507 the user can act on, and nothing stored changes', async () => {
    const { db } = running.store;
    const answerBefore = await db.selectFrom('answers').selectAll().execute();
    const auditBefore = await db.selectFrom('audit_log').select('id').execute();
    if (!mounted) {
      console.log('no tmpfs here (mount needs root): the full-disk tests did not run');
      return;
    }
    const release = await makeFull(mounted);
    try {
      const save = await manager.request<{ error: { code: string; message: string } }>('PUT', `/api/assessments/${assessmentId}/answers/preservation-power`, { value: 3, baseRevision: 1, opId: 'while-full' });
      expect(save.status).toBe(507);
      expect(save.body.error.code).toBe('insufficient_storage');
      expect(save.body.error.message).toMatch(/disk is full\. Nothing was changed\. Ask the administrator to free disk space/);

      const signIn = await new Client(running.url).login('manager@example.org');
      expect(signIn.status).toBe(507);

      const form = await send(running.url, {
        method: 'POST', path: '/missions', headers: { cookie: manager.cookie ?? '', accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: manager.csrfToken ?? '', countryCode: 'KZ', title: 'While full', startsOn: '2025-07-01', endsOn: '2025-07-02', team: '', institutionsMet: '' }).toString(),
      });
      expect(form.status).toBe(507);
      expect(form.text).toContain('disk is full');

      expect(await db.selectFrom('answers').selectAll().execute()).toEqual(answerBefore);
      expect(await db.selectFrom('audit_log').select('id').execute()).toEqual(auditBefore);
    } finally {
      await release();
    }
    // Space freed: the same save goes through, and the database is intact.
    expect((await manager.request('PUT', `/api/assessments/${assessmentId}/answers/preservation-power`, { value: 3, baseRevision: 1, opId: 'after-full' })).status).toBe(200);
    expect((await new Client(running.url).login('manager@example.org')).status).toBe(201);
    expect(sqliteOf(running.store).pragma('integrity_check', { simple: true })).toBe('ok');
    expect((await verifyAuditChain(db)).ok).toBe(true);
  }, 180_000);

  it('a report rendered onto a full disk: 507, no .pdf.part left, nothing recorded', async () => {
    if (!reportsDisk) {
      console.log('no tmpfs here (mount needs root): the full-disk tests did not run');
      return;
    }
    const filler = await fillDisk(reportsDisk);
    try {
      const recorded = await running.store.db.selectFrom('generated_reports').select('id').execute();
      // A real render in Chromium, then the write onto the full disk.
      const report = await manager.request<{ error: { code: string; message: string } }>('POST', `/api/missions/${missionId}/reports`, { language: 'en' });
      expect(report.status).toBe(507);
      expect(report.body.error).toMatchObject({ code: 'insufficient_storage', message: expect.stringMatching(/^The report was not saved: the server's disk is full/) });
      expect((await readdir(reportsDisk)).filter((name) => name !== 'filler')).toEqual([]);
      expect(await running.store.db.selectFrom('generated_reports').select('id').execute()).toEqual(recorded);
    } finally {
      await rm(filler, { force: true });
    }
    expect((await manager.request('POST', `/api/missions/${missionId}/reports`, { language: 'en' })).status).toBe(201);
  }, 180_000);
});
