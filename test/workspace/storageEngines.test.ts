/**
 * The report workspace's storage on both engines (SQLite file, throw-away PostgreSQL cluster): migration
 * 0220 runs, draft edits keep their revision rules (409 with the current version, idempotent opId), a
 * version is recorded with its files, and report jobs are claimed exactly once by workers on two
 * instances, a lapsed lease being taken over.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/storage/audit.js';
import { createCountry } from '../../src/storage/countries.js';
import { openStore, type Store } from '../../src/storage/db.js';
import { createMission } from '../../src/storage/missions.js';
import { applySyncPlan, getDraft, saveDraftText } from '../../src/storage/reportDrafts.js';
import { claimJob, completeJob, enqueueJob, getJob } from '../../src/storage/reportJobs.js';
import { createVersion, listVersions } from '../../src/storage/reportVersions.js';
import { Problem } from '../../src/shared/problem.js';
import { ENGINES, testLocation } from '../support/engines.js';

describe.each(ENGINES)('report workspace storage on %s', (engine) => {
  const stores: Store[] = [];
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
  });

  async function twoInstances(): Promise<[Store, Store, number]> {
    const location = await testLocation(engine, 'ena-workspace-');
    const first = await openStore(location);
    const second = await openStore(location);
    stores.push(first, second);
    await createCountry(first.db, SYSTEM, { code: 'KZ', name: { en: 'Kazakhstan', ru: 'Казахстан' } });
    const mission = await createMission(first.db, SYSTEM, { countryCode: 'KZ', title: 'KZ', startsOn: '2026-01-01', endsOn: '2026-01-02' });
    return [first, second, mission.id];
  }

  it('keeps draft revisions, conflicts and retries, and records a version', async () => {
    const [store, , missionId] = await twoInstances();
    await applySyncPlan(store.db, SYSTEM, missionId, {
      insertTexts: [{ key: 'executive-summary', text: { en: 'Generated.', ru: 'Сформировано.' } }], refreshTexts: [],
      insertRecommendations: [], refreshRecommendations: [], removeRecommendations: [], closeRecommendations: [], reopenRecommendations: [],
    });
    const saved = await saveDraftText(store.db, { id: null }, { missionId, key: 'executive-summary', en: 'Edited.', baseRevision: 1, opId: 'op-1' });
    expect(saved.text).toMatchObject({ revision: 2, origin: 'edited', translation: { en: 'current', ru: 'needs-update' } });
    expect((await saveDraftText(store.db, { id: null }, { missionId, key: 'executive-summary', en: 'Edited.', baseRevision: 1, opId: 'op-1' })).replayed).toBe(true);
    const stale = await saveDraftText(store.db, { id: null }, { missionId, key: 'executive-summary', en: 'Other.', baseRevision: 1 }).catch((error: unknown) => error);
    expect(stale).toBeInstanceOf(Problem);
    expect((stale as Problem).extra?.current).toMatchObject({ en: 'Edited.', revision: 2 });
    const draft = await getDraft(store.db, missionId);
    const version = await createVersion(store.db, SYSTEM, {
      missionId, version: 1, approvedAt: new Date().toISOString(), draftRevision: draft?.revision ?? 0, dataRevision: 7, changeNote: null, content: { draft },
      files: [{ format: 'pdf', language: 'en', filePath: '/tmp/x.pdf', sha256: 'a'.repeat(64), size: 123 }],
    });
    expect(version).toMatchObject({ version: 1, files: [{ format: 'pdf', size: 123 }] });
    expect((await getDraft(store.db, missionId))?.state).toBe('final');
    expect((await listVersions(store.db, missionId)).map((entry) => entry.version)).toEqual([1]);
  });

  it('gives each report job to exactly one worker on two instances, and a lapsed lease to another', async () => {
    const [first, second, missionId] = await twoInstances();
    for (let i = 0; i < 12; i++) await enqueueJob(first.db, SYSTEM, { missionId, format: 'pdf', language: 'en', dataRevision: i, draftRevision: 1 });
    const claimed: number[] = [];
    const worker = async (name: string, store: Store): Promise<void> => {
      for (let job = await claimJob(store.db, name, 60_000); job !== null; job = await claimJob(store.db, name, 60_000)) {
        claimed.push(job.id);
        expect(await completeJob(store.db, job.id, name, { filePath: `/tmp/${job.id}`, sha256: 'x', pageCount: 1, dataRevision: job.dataRevision, draftRevision: 1 })).toBe(true);
      }
    };
    await Promise.all(Array.from({ length: 6 }, (_, i) => worker(`w${i}`, i % 2 === 0 ? first : second)));
    expect(claimed.sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));

    const lapsed = await enqueueJob(first.db, SYSTEM, { missionId, format: 'docx', language: 'ru', dataRevision: 99, draftRevision: 1 });
    expect((await claimJob(first.db, 'dies', 1_000, new Date('2020-01-01T00:00:00Z')))?.id).toBe(lapsed.id);
    expect((await claimJob(second.db, 'takes-over', 60_000))?.id).toBe(lapsed.id);
    expect(await getJob(first.db, lapsed.id)).toMatchObject({ status: 'running', attempts: 2 });
  });
});
