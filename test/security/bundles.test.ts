/**
 * Bundle import under hostile input (issue 14 rows 5, 9, 10): the API's field limits apply to bundles
 * too, a crafted pair of imports cannot collide in answer_conflicts, and a large import neither blocks
 * the event loop nor keeps another user's save waiting for long.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { exportMissionBundle, importMissionBundle } from '../../src/exchange/bundle/bundles.js';
import { encodeBundle } from '../../src/exchange/bundle/format.js';
import type { MissionBundleBody } from '../../src/exchange/bundle/model.js';
import { Problem } from '../../src/shared/problem.js';
import { SYSTEM } from '../../src/storage/audit.js';
import type { Store } from '../../src/storage/db.js';
import { addUser, answer, dump, seedMission, tempStore } from '../exchange/helpers.js';
import { createCountry } from '../../src/storage/countries.js';
import { Client, seedUser, startTestServer } from '../api/helpers.js';
import { send } from './http.js';
import { largeBundle, largeBundleBody } from './largeBundle.js';
import { sqliteOf } from '../support/engines.js';

const stores: Store[] = [];
async function store(): Promise<Store> {
  const s = await tempStore();
  stores.push(s);
  return s;
}
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
});

async function refusal(work: Promise<unknown>): Promise<Problem> {
  const error = await work.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(Problem);
  return error as Problem;
}

describe('bundle import keeps the API field limits (row 10)', () => {
  const variants: [string, (body: MissionBundleBody) => void, string][] = [
    ['a 2,000,000-character country name', (b) => { b.country.name.en = 'x'.repeat(2_000_000); }, 'bundle.country.name.en'],
    ['a mission that ends before it starts', (b) => { b.mission.endsOn = '2025-06-01'; }, 'bundle.mission.endsOn'],
    ['a 1,000-character mission title', (b) => { b.mission.title = 'x'.repeat(1_000); }, 'bundle.mission.title'],
    ['300 team members', (b) => { b.mission.team = Array.from({ length: 300 }, (_, i) => `member ${i}`); }, 'bundle.mission.team'],
    ['a 50,000-character note', (b) => { (b.assessments[0]?.answers[0]?.history[0] as { note: string }).note = 'n'.repeat(50_000); }, 'bundle.assessments.0.answers.0.history.0.note'],
  ];
  for (const [what, spoil, path] of variants) {
    it(`refuses ${what}, naming the field, and stores nothing`, async () => {
      const s = await store();
      await seedMission(s);
      const before = await dump(s);
      const body = largeBundleBody(10_000);
      spoil(body);
      const problem = await refusal(importMissionBundle(s.db, SYSTEM, encodeBundle(body)));
      expect(problem.code).toBe('validation_failed');
      expect(problem.details.map((d) => d.path)).toContain(path);
      expect(await dump(s)).toEqual(before);
    });
  }

  it('refuses demo data into a database with real missions, and accepts it into an empty one', async () => {
    const real = await store();
    await seedMission(real);
    const before = await dump(real);
    const demo = encodeBundle(largeBundleBody(10_000, { isDemo: true }));
    const problem = await refusal(importMissionBundle(real.db, SYSTEM, demo));
    expect(problem.details).toEqual([{ path: 'bundle.mission.isDemo', message: 'demo data cannot be imported into a database with real missions' }]);
    expect(await dump(real)).toEqual(before);
    const empty = await store();
    expect((await importMissionBundle(empty.db, SYSTEM, demo)).changed).toBe(true);
  });
});

describe('a crafted pair of imports (row 5)', () => {
  it('does not record the same incoming revisions twice when a bundle already brought them as a conflict record', async () => {
    // Home and a laptop edit the same answer on top of the shared revision 1.
    const home = await store();
    const john = await addUser(home, 'john@example.org', 'John Smith');
    const { missionId, assessments } = await seedMission(home);
    const a = assessments['preservation-demo'] as number;
    await answer(home, john, a, 'preservation-power', 2);
    const laptop = await store();
    const outbound = await importMissionBundle(laptop.db, SYSTEM, (await exportMissionBundle(home.db, missionId)).file);
    const laptopA = (await laptop.db.selectFrom('assessments').select('id').where('mission_id', '=', outbound.missionId).executeTakeFirstOrThrow()).id;
    await answer(laptop, await addUser(laptop, 'dana@example.org', 'Dana Omarova'), laptopA, 'preservation-power', 3, { note: 'Order 45' });
    await answer(home, john, a, 'preservation-power', 1, { note: 'repealed' });
    const ours = (await exportMissionBundle(home.db, missionId)).body;
    const genuine = encodeBundle((await exportMissionBundle(laptop.db, outbound.missionId)).body);

    // The conflict record an import of the laptop's bundle makes (on a copy of home).
    const copy = await store();
    await importMissionBundle(copy.db, SYSTEM, encodeBundle(ours));
    expect((await importMissionBundle(copy.db, SYSTEM, genuine)).summary.conflicts).toBe(1);
    const copyMission = (await copy.db.selectFrom('missions').select('id').executeTakeFirstOrThrow()).id;
    const record = (await exportMissionBundle(copy.db, copyMission)).body.assessments[0]?.conflicts[0];
    expect(record).toMatchObject({ questionId: 'preservation-power', baseRevision: 1, status: 'open' });

    // Crafted first import: home's own data carrying that record under another base. Then the genuine bundle, twice.
    const target = await store();
    await importMissionBundle(target.db, SYSTEM, encodeBundle(ours));
    const crafted = structuredClone(ours);
    (crafted.assessments[0] as { conflicts: unknown[] }).conflicts = [{ ...record, baseRevision: 0 }];
    expect((await importMissionBundle(target.db, SYSTEM, encodeBundle(crafted))).summary.conflictRecordsImported).toBe(1);
    // Before the fix: UNIQUE constraint failed: answer_conflicts… → 500, rolled back.
    const second = await importMissionBundle(target.db, SYSTEM, genuine);
    expect(second.summary).toMatchObject({ conflicts: 0, conflictsAlreadyRecorded: 1 });
    const snapshot = await dump(target);
    expect((await importMissionBundle(target.db, SYSTEM, genuine)).changed).toBe(false);
    expect(await dump(target)).toEqual(snapshot);
    expect(sqliteOf(target).prepare('select count(*) as n from answer_conflicts').get()).toEqual({ n: 1 });
  });
});

describe('a large import over HTTP (row 9)', () => {
  it('keeps the server answering while a 13 MB bundle is checked and applied', async () => {
    const running = await startTestServer();
    try {
      const { db } = running.store;
      await createCountry(db, SYSTEM, { code: 'KZ', name: { en: 'Kazakhstan', ru: 'Казахстан' } });
      await seedUser(db, 'manager@example.org', 'manager');
      const manager = new Client(running.url);
      await manager.login('manager@example.org');
      const other = new Client(running.url);
      await other.login('manager@example.org');
      const created = await other.request<{ assessments: { id: number }[] }>('POST', '/api/missions', { countryCode: 'KZ', title: 'Other', startsOn: '2025-06-11', endsOn: '2025-06-13' });
      const assessmentId = created.body.assessments[0]?.id as number;
      const file = largeBundle(16_000_000);
      expect(file.length).toBeGreaterThan(12_000_000);

      // Before the fix the event loop stopped for the whole import (11.6 s for 16 MB): nothing was answered.
      // The probe asks for a static file, which needs no database: it measures the event loop alone
      // (requests that need the database wait for the import's commit, as writers do in SQLite).
      let importing = true;
      const probeTimes: number[] = [];
      const probe = (async () => {
        while (importing) {
          const started = performance.now();
          const reply = await send(running.url, { method: 'GET', path: '/static/ena.css' });
          if (reply.status !== 200) throw new Error(`static file answered ${reply.status}`);
          probeTimes.push(performance.now() - started);
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
      })();
      const started = performance.now();
      let reply: Awaited<ReturnType<typeof send>>;
      let save: Awaited<ReturnType<typeof other.request>>;
      let saveMs = 0;
      try {
        const imported = send(running.url, { method: 'POST', path: '/api/bundles', headers: { cookie: manager.cookie ?? '', 'x-csrf-token': manager.csrfToken ?? '', 'content-type': 'application/octet-stream' }, body: file });
        await new Promise((resolve) => setTimeout(resolve, 300));
        // Another user's save during the import is answered and stored.
        const saveStarted = performance.now();
        save = await other.request('PUT', `/api/assessments/${assessmentId}/answers/preservation-power`, { value: 2, baseRevision: 0, opId: 'during-import' });
        saveMs = performance.now() - saveStarted;
        reply = await imported;
      } finally {
        importing = false;
        await probe;
      }
      const importMs = performance.now() - started;
      expect(reply.status).toBe(201);
      expect(save.status).toBe(200);
      const slowest = Math.max(...probeTimes);
      console.log(`large import: ${(file.length / 1e6).toFixed(1)} MB in ${(importMs / 1000).toFixed(1)} s; ${probeTimes.length} static requests meanwhile, slowest ${slowest.toFixed(0)} ms; a concurrent save took ${saveMs.toFixed(0)} ms`);
      expect(probeTimes.length).toBeGreaterThan(10);
      expect(slowest).toBeLessThan(2_000);
      expect(sqliteOf(running.store).pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      await running.close();
    }
  }, 180_000);

  it('reports progress: the check, then answers applied up to the total', async () => {
    const s = await store();
    const seen: { phase: string; done: number; total: number }[] = [];
    const result = await importMissionBundle(s.db, SYSTEM, largeBundle(4_000_000), { onProgress: (progress) => seen.push(progress) });
    expect(result.changed).toBe(true);
    expect(seen[0]).toMatchObject({ phase: 'checking', done: 0 });
    const applying = seen.filter((p) => p.phase === 'applying');
    expect(applying.length).toBeGreaterThan(1);
    expect(applying.map((p) => p.done)).toEqual([...applying.map((p) => p.done)].sort((a, b) => a - b));
    expect(applying[applying.length - 1]).toEqual({ phase: 'applying', done: result.summary.answersAdded, total: result.summary.answersAdded });
  }, 60_000);
});
