import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/storage/db.js';
import { saveAnswer, listAnswers } from '../../src/storage/answers.js';
import { SYSTEM, verifyAuditChain } from '../../src/storage/audit.js';
import { Problem } from '../../src/shared/problem.js';
import { ENGINES, testLocation } from '../support/engines.js';

describe.each(ENGINES)('answers on %s', (engine) => {
  let store: Store;
  let assessmentId: number;

  beforeEach(async () => {
    store = await openStore(await testLocation(engine, 'ena-db-'));
    const now = new Date().toISOString();
    await store.db.insertInto('countries').values({ code: 'KZ', name_en: 'Kazakhstan', name_ru: 'Казахстан' }).execute();
    const mission = await store.db.insertInto('missions').values({ country_code: 'KZ', title: 'Mission', starts_on: '2025-06-11', ends_on: '2025-06-13', team: '[]', institutions_met: '[]', status: 'in_progress', created_at: now, updated_at: now }).returning('id').executeTakeFirstOrThrow();
    const assessment = await store.db.insertInto('assessments').values({ mission_id: mission.id, questionnaire_id: 'legal-framework', questionnaire_version: 1, created_at: now }).returning('id').executeTakeFirstOrThrow();
    assessmentId = assessment.id;
  });
  afterEach(async () => store.close());

  describe('saving answers', () => {
    it('keeps every revision and rejects a stale base revision with the current answer', async () => {
      expect(await saveAnswer(store.db, SYSTEM, { assessmentId, questionId: 'q1', value: 2, baseRevision: 0, opId: 'a' })).toEqual({ revision: 1, replayed: false });
      expect(await saveAnswer(store.db, SYSTEM, { assessmentId, questionId: 'q1', value: 3, note: 'after meeting', baseRevision: 1, opId: 'b' })).toEqual({ revision: 2, replayed: false });
      const stale = await saveAnswer(store.db, SYSTEM, { assessmentId, questionId: 'q1', value: 0, baseRevision: 1, opId: 'c' }).catch((e: unknown) => e);
      expect(stale).toBeInstanceOf(Problem);
      expect((stale as Problem).code).toBe('conflict');
      expect((stale as Problem).extra).toMatchObject({ current: { value: 3, note: 'after meeting', revision: 2 } });
      expect((await listAnswers(store.db, assessmentId)).map((a) => [a.questionId, a.value, a.revision])).toEqual([['q1', 3, 2]]);
      expect(await store.db.selectFrom('answer_history').select('revision').orderBy('revision').execute()).toEqual([{ revision: 1 }, { revision: 2 }]);
    });

    it('answers a retried operation with its first result instead of a conflict', async () => {
      await saveAnswer(store.db, SYSTEM, { assessmentId, questionId: 'q1', value: 1, baseRevision: 0, opId: 'same' });
      expect(await saveAnswer(store.db, SYSTEM, { assessmentId, questionId: 'q1', value: 1, baseRevision: 0, opId: 'same' })).toEqual({ revision: 1, replayed: true });
      expect(await store.db.selectFrom('answer_history').select('id').execute()).toHaveLength(1);
    });

    it('chains audit rows so that a changed row is detected', async () => {
      for (let i = 0; i < 3; i++) await saveAnswer(store.db, SYSTEM, { assessmentId, questionId: 'q1', value: i, baseRevision: i });
      expect(await verifyAuditChain(store.db)).toEqual({ ok: true, rows: 3 });
      await store.db.updateTable('audit_log').set({ action: 'answer.delete' }).where('id', '=', 2).execute();
      expect(await verifyAuditChain(store.db)).toMatchObject({ ok: false, rows: 1, brokenAt: { id: 2 } });
    });
  });
});
