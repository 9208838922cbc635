/**
 * The autosave path (storage/autosave.ts): on SQLite prepared statements in the SqliteWriter's group
 * commit, on PostgreSQL Kysely in the WriteBatcher. Same rules on both: saves that arrive together share
 * one commit, a failing save rolls back alone, a failed commit acknowledges nothing.
 */
import { describe, expect, it } from 'vitest';
import { listAnswers } from '../../src/storage/answers.js';
import { createAssessment } from '../../src/storage/assessments.js';
import { autosaveAnswer } from '../../src/storage/autosave.js';
import { SYSTEM, verifyAuditChain } from '../../src/storage/audit.js';
import { createCountry } from '../../src/storage/countries.js';
import type { Store } from '../../src/storage/db.js';
import { createMission } from '../../src/storage/missions.js';
import { saveAnswerNow } from '../../src/storage/sqliteAnswers.js';
import { createUser } from '../../src/storage/users.js';
import { Problem } from '../../src/shared/problem.js';
import { withStore } from '../api/helpers.js';
import { ENGINES, testLocation } from '../support/engines.js';

async function anAssessment(store: Store): Promise<number> {
  await createCountry(store.db, SYSTEM, { code: 'KZ', name: { en: 'Kazakhstan', ru: 'Казахстан' } });
  const mission = await createMission(store.db, SYSTEM, { countryCode: 'KZ', title: 'M', startsOn: '2025-06-11', endsOn: '2025-06-13' });
  return (await createAssessment(store.db, SYSTEM, { missionId: mission.id, questionnaireId: 'q', questionnaireVersion: 1 })).id;
}

const largestBatch = (store: Store): number => (store.engine === 'sqlite' ? store.sqliteWrites.largestBatch : store.writes.largestBatch);

describe.each(ENGINES)('autosave on %s', (engine) => {
  it('commits saves that arrive together in one batch; a stale one gets its 409 alone, with the current answer and its author', async () => {
    await withStore(await testLocation(engine, 'ena-autosave-'), async (store) => {
      const assessmentId = await anAssessment(store);
      const author = await createUser(store.db, SYSTEM, { email: 'a@example.org', name: 'Aigerim', passwordHash: 'x', role: 'expert', countries: ['KZ'] });
      const saves = Array.from({ length: 20 }, (_, i) => autosaveAnswer(store, { id: author.id }, {
        assessmentId, questionId: `q${i % 10}`, value: i, note: `note ${i}`, evidence: 'documented', baseRevision: 0, opId: `op-${i}`,
      }));
      const outcomes = await Promise.allSettled(saves);
      expect(outcomes.slice(0, 10).map((o) => o.status === 'fulfilled' && o.value)).toEqual(Array(10).fill({ revision: 1, replayed: false }));
      const conflicts = outcomes.slice(10).map((o) => (o.status === 'rejected' ? o.reason : undefined));
      expect(conflicts.every((c) => c instanceof Problem && c.code === 'conflict')).toBe(true);
      expect((conflicts[0] as Problem).extra).toMatchObject({ current: { questionId: 'q0', value: 0, note: 'note 0', revision: 1, authorId: author.id }, currentAuthor: { name: 'Aigerim', role: 'expert' } });
      expect(largestBatch(store)).toBe(20);
      expect((await listAnswers(store.db, assessmentId)).map((a) => [a.questionId, a.value, a.evidence]).sort()).toEqual(Array.from({ length: 10 }, (_, i) => [`q${i}`, i, 'documented']).sort());
      expect(await store.db.selectFrom('answer_history').select(['question_id', 'op_id', 'author_id']).orderBy('id').execute())
        .toEqual(Array.from({ length: 10 }, (_, i) => ({ question_id: `q${i}`, op_id: `op-${i}`, author_id: author.id })));
      const audit = await store.db.selectFrom('audit_log').select(['action', 'entity_id', 'before', 'after']).where('action', '=', 'answer.save').orderBy('id').execute();
      expect(audit[0]).toEqual({ action: 'answer.save', entity_id: `${assessmentId}/q0`, before: null, after: '{"revision":1,"evidence":"documented"}' });
      expect((await verifyAuditChain(store.db)).ok).toBe(true);

      // A retry (same opId) is answered from history; the same opId on another answer is refused.
      expect(await autosaveAnswer(store, SYSTEM, { assessmentId, questionId: 'q3', value: 3, baseRevision: 0, opId: 'op-3' })).toEqual({ revision: 1, replayed: true });
      await expect(autosaveAnswer(store, SYSTEM, { assessmentId, questionId: 'q4', value: 3, baseRevision: 0, opId: 'op-3' })).rejects.toMatchObject({ code: 'conflict' });
      expect(await autosaveAnswer(store, SYSTEM, { assessmentId, questionId: 'q3', value: 4, baseRevision: 1, opId: 'op-next' })).toEqual({ revision: 2, replayed: false });
      const [updated] = await store.db.selectFrom('audit_log').select(['before', 'after']).where('entity_id', '=', `${assessmentId}/q3`).orderBy('id', 'desc').limit(1).execute();
      expect(updated).toEqual({ before: '{"revision":1}', after: '{"revision":2,"evidence":null}' });
    });
  });

  it('waits for a transaction that holds the connection instead of writing inside it', async () => {
    await withStore(await testLocation(engine, 'ena-autosave-'), async (store) => {
      const assessmentId = await anAssessment(store);
      let save: Promise<unknown> | undefined;
      await store.db.transaction().execute(async (trx) => {
        await trx.insertInto('countries').values({ code: 'KG', name_en: 'Kyrgyzstan', name_ru: 'Кыргызстан' }).execute();
        save = autosaveAnswer(store, SYSTEM, { assessmentId, questionId: 'q', value: 1, baseRevision: 0, opId: 'during' });
        await new Promise((resolve) => setTimeout(resolve, 50));
        throw new Error('rolled back');
      }).catch(() => undefined);
      expect(await save).toEqual({ revision: 1, replayed: false });
      expect(await store.db.selectFrom('countries').select('code').where('code', '=', 'KG').execute()).toEqual([]);
      expect((await listAnswers(store.db, assessmentId)).map((a) => a.questionId)).toEqual(['q']);
    });
  });
});

describe('autosave batch on SQLite', () => {
  it('fails every save of a batch whose commit fails, and keeps working after', async () => {
    await withStore(await testLocation('sqlite', 'ena-autosave-'), async (store) => {
      if (store.engine !== 'sqlite') throw new Error('an SQLite store');
      const assessmentId = await anAssessment(store);
      const auditRows = (await store.db.selectFrom('audit_log').select('id').execute()).length;
      // A deferred foreign key passes its savepoint and fails the COMMIT.
      const saves = [
        store.sqliteWrites.run((sqlite) => {
          sqlite.pragma('defer_foreign_keys = on');
          return saveAnswerNow(sqlite, SYSTEM, { assessmentId: 999, questionId: 'q', value: 1, baseRevision: 0, opId: 'a' });
        }),
        autosaveAnswer(store, SYSTEM, { assessmentId, questionId: 'q', value: 1, baseRevision: 0, opId: 'b' }),
      ];
      const outcomes = await Promise.allSettled(saves);
      expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
      expect(String((outcomes[1] as PromiseRejectedResult).reason)).toMatch(/FOREIGN KEY/);
      expect(await store.db.selectFrom('answers').select('question_id').execute()).toEqual([]);
      expect(await store.db.selectFrom('audit_log').select('id').execute()).toHaveLength(auditRows);
      expect(await autosaveAnswer(store, SYSTEM, { assessmentId, questionId: 'q', value: 2, baseRevision: 0, opId: 'c' })).toEqual({ revision: 1, replayed: false });
    });
  });
});
