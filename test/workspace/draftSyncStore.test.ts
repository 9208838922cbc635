/**
 * The draft's synchronisation against a real SQLite file with the demo missions: a report of unchanged
 * data does not synchronise again, and any change of data, questionnaires or draft makes it.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoData } from '../../src/demo/loadDemo.js';
import { loadQuestionnaires, type LoadResult } from '../../src/questionnaire/load.js';
import { syncNeeded } from '../../src/report/draft/store.js';
import { configuredMarking } from '../../src/report/model/common.js';
import { storeReportSource } from '../../src/report/storeSource.js';
import { SYSTEM } from '../../src/storage/audit.js';
import { openStore, type Store } from '../../src/storage/db.js';
import { recordSnapshots } from '../../src/storage/questionnaireVersions.js';
import { setTargetOverride } from '../../src/storage/targets.js';

let store: Store;
let questionnaires: LoadResult;

beforeAll(async () => {
  const file = join(await mkdtemp(join(tmpdir(), 'ena-draft-sync-')), 'ena.sqlite');
  questionnaires = await loadQuestionnaires([resolve('questionnaires')]);
  store = await openStore(file);
  await recordSnapshots(store.db, questionnaires.questionnaires);
  await loadDemoData(store.db, questionnaires, { file });
}, 120_000);

afterAll(async () => {
  await store?.close();
});

describe('draft synchronisation on a real database', () => {
  it('keeps the draft as it is while nothing changed, and follows a target change at once', async () => {
    const source = storeReportSource(store.db, questionnaires, { marking: configuredMarking('For official use') });
    const first = (await source.countryReport('KZ')).draft;
    const again = (await source.countryReport('KZ')).draft;
    if (!first || !again) throw new Error('a country report from the store carries its draft');
    expect(again.revision).toBe(first.revision);
    expect(again.recommendations).toEqual(first.recommendations);

    // A target of 0 closes the gap behind a generated recommendation: the untouched recommendation goes.
    const generated = first.recommendations.find((rec) => rec.origin === 'generated' && rec.status === 'accepted' && rec.indicators.length === 1);
    const [questionnaireId, questionId] = generated?.indicators[0]?.split('/') ?? [];
    if (!generated || !questionnaireId || !questionId) throw new Error('the demo draft has no generated recommendation on one indicator');
    await setTargetOverride(store.db, SYSTEM, { countryCode: 'KZ', questionnaireId, questionId, target: 0 });
    const after = (await source.countryReport('KZ')).draft;
    expect(after?.revision).toBeGreaterThan(first.revision);
    expect(after?.recommendations.map((rec) => rec.sourceKey)).not.toContain(generated.sourceKey);
  }, 60_000);
});

describe('whether a synchronisation could change anything', () => {
  const catalogue = {} as Parameters<typeof syncNeeded>[1]['catalogue'];
  const last = { dataRevision: '41', catalogue, draftRevision: 3 };

  it('is not needed only when data, questionnaires and draft are all as the last one left them', () => {
    expect(syncNeeded(last, { dataRevision: '41', catalogue }, { revision: 3 })).toBe(false);
    expect(syncNeeded(last, { dataRevision: '42', catalogue }, { revision: 3 })).toBe(true);
    expect(syncNeeded(last, { dataRevision: '41', catalogue: { ...catalogue } }, { revision: 3 })).toBe(true);
    expect(syncNeeded(last, { dataRevision: '41', catalogue }, { revision: 4 })).toBe(true);
    expect(syncNeeded(undefined, { dataRevision: '41', catalogue }, { revision: 3 })).toBe(true);
    expect(syncNeeded(last, { dataRevision: '41', catalogue }, null)).toBe(true);
  });
});
