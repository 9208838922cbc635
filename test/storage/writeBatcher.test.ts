/** Group commit: saves that arrive together share one commit; a failing save rolls back alone. */
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { listAnswers, saveAnswer } from '../../src/storage/answers.js';
import { createAssessment } from '../../src/storage/assessments.js';
import { SYSTEM, verifyAuditChain } from '../../src/storage/audit.js';
import { createCountry } from '../../src/storage/countries.js';
import { createMission } from '../../src/storage/missions.js';
import { Problem } from '../../src/shared/problem.js';
import { withStore } from '../api/helpers.js';
import { ENGINES, testLocation } from '../support/engines.js';

describe.each(ENGINES)('write batcher on %s', (engine) => {
  it('commits concurrent saves together and isolates the one that fails', async () => {
    await withStore(await testLocation(engine, 'ena-batch-'), async (store) => {
      await createCountry(store.db, SYSTEM, { code: 'KZ', name: { en: 'Kazakhstan', ru: 'Казахстан' } });
      const mission = await createMission(store.db, SYSTEM, { countryCode: 'KZ', title: 'M', startsOn: '2025-06-11', endsOn: '2025-06-13' });
      const assessmentId = (await createAssessment(store.db, SYSTEM, { missionId: mission.id, questionnaireId: 'q', questionnaireVersion: 1 })).id;
      const saves = Array.from({ length: 20 }, (_, i) => store.writes.run((trx) => saveAnswer(trx, SYSTEM, {
        assessmentId, questionId: `q${i % 10}`, value: i, baseRevision: 0, opId: `op-${i}`,
      })));
      const outcomes = await Promise.allSettled(saves);
      // q0…q9 are saved by the first ten; the second ten find revision 1 already there: 409 each, alone.
      expect(outcomes.slice(0, 10).every((o) => o.status === 'fulfilled')).toBe(true);
      expect(outcomes.slice(10).map((o) => o.status === 'rejected' && o.reason instanceof Problem && o.reason.code)).toEqual(Array(10).fill('conflict'));
      expect(store.writes.largestBatch).toBe(20);
      expect((await listAnswers(store.db, assessmentId)).map((a) => [a.questionId, a.value]).sort()).toEqual(Array.from({ length: 10 }, (_, i) => [`q${i}`, i]).sort());
      expect(await store.db.selectFrom('answer_history').select('id').execute()).toHaveLength(10);
      expect((await verifyAuditChain(store.db)).ok).toBe(true);
    });
  });

  it('fails every save of a batch whose commit fails, so nothing unstored is acknowledged', async () => {
    await withStore(await testLocation(engine, 'ena-batch-'), async (store) => {
      await createCountry(store.db, SYSTEM, { code: 'KZ', name: { en: 'Kazakhstan', ru: 'Казахстан' } });
      const mission = await createMission(store.db, SYSTEM, { countryCode: 'KZ', title: 'M', startsOn: '2025-06-11', endsOn: '2025-06-13' });
      const assessmentId = (await createAssessment(store.db, SYSTEM, { missionId: mission.id, questionnaireId: 'q', questionnaireVersion: 1 })).id;
      const auditRows = (await store.db.selectFrom('audit_log').select('id').execute()).length;
      // A deferred check passes its savepoint but makes the COMMIT fail: SQLite's deferred foreign keys;
      // on PostgreSQL (whose foreign keys are not deferrable) a deferred constraint trigger.
      if (engine === 'postgres') {
        await sql`create function ena_test_refuse() returns trigger language plpgsql as $$ begin raise exception 'commit refused by the test trigger'; end $$`.execute(store.db);
        await sql`create constraint trigger ena_test_refuse after insert on answers deferrable initially deferred for each row when (new.question_id = 'boom') execute function ena_test_refuse()`.execute(store.db);
      }
      const saves = [
        store.writes.run(async (trx) => {
          if (engine === 'sqlite') await sql`pragma defer_foreign_keys = on`.execute(trx);
          return engine === 'sqlite'
            ? saveAnswer(trx, SYSTEM, { assessmentId: 999, questionId: 'q', value: 1, baseRevision: 0, opId: 'a' })
            : saveAnswer(trx, SYSTEM, { assessmentId, questionId: 'boom', value: 1, baseRevision: 0, opId: 'a' });
        }),
        store.writes.run((trx) => saveAnswer(trx, SYSTEM, { assessmentId, questionId: 'q', value: 1, baseRevision: 0, opId: 'b' })),
      ];
      const outcomes = await Promise.allSettled(saves);
      expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
      expect(String((outcomes[1] as PromiseRejectedResult).reason)).toMatch(engine === 'sqlite' ? /FOREIGN KEY/ : /commit refused by the test trigger/);
      expect(await store.db.selectFrom('answers').select('question_id').execute()).toEqual([]);
      expect(await store.db.selectFrom('audit_log').select('id').execute()).toHaveLength(auditRows);
      // The batcher keeps working after a failed commit.
      expect(await store.writes.run((trx) => saveAnswer(trx, SYSTEM, { assessmentId, questionId: 'q', value: 2, baseRevision: 0, opId: 'c' }))).toEqual({ revision: 1, replayed: false });
    });
  });

  it('rolls back a save that runs alone (no savepoint) when it fails after writing', async () => {
    await withStore(await testLocation(engine, 'ena-batch-'), async (store) => {
      await createCountry(store.db, SYSTEM, { code: 'KZ', name: { en: 'Kazakhstan', ru: 'Казахстан' } });
      const mission = await createMission(store.db, SYSTEM, { countryCode: 'KZ', title: 'M', startsOn: '2025-06-11', endsOn: '2025-06-13' });
      const assessmentId = (await createAssessment(store.db, SYSTEM, { missionId: mission.id, questionnaireId: 'q', questionnaireVersion: 1 })).id;
      const auditRows = (await store.db.selectFrom('audit_log').select('id').execute()).length;
      const failing = store.writes.run(async (trx) => {
        await saveAnswer(trx, SYSTEM, { assessmentId, questionId: 'q', value: 1, baseRevision: 0, opId: 'written-then-failed' });
        throw new Error('failed after its writes');
      });
      await expect(failing).rejects.toThrow('failed after its writes');
      expect(store.writes.largestBatch).toBe(1);
      expect(await store.db.selectFrom('answers').select('question_id').execute()).toEqual([]);
      expect(await store.db.selectFrom('answer_history').select('id').execute()).toEqual([]);
      expect(await store.db.selectFrom('audit_log').select('id').execute()).toHaveLength(auditRows);
      expect(await store.writes.run((trx) => saveAnswer(trx, SYSTEM, { assessmentId, questionId: 'q', value: 2, baseRevision: 0, opId: 'next' }))).toEqual({ revision: 1, replayed: false });
    });
  });
});
