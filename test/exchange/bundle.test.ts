import { sql, type RawBuilder } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { exportMissionBundle, importMissionBundle } from '../../src/exchange/bundle/bundles.js';
import { decodeBundle } from '../../src/exchange/bundle/format.js';
import { SYSTEM, verifyAuditChain, type Actor } from '../../src/storage/audit.js';
import type { Store } from '../../src/storage/db.js';
import { Problem } from '../../src/shared/problem.js';
import { ENGINES } from '../support/engines.js';
import { addUser, answer, dump, engineStore, missionRows, seedMission, tableCounts } from './helpers.js';

async function rows<T = Record<string, unknown>>(s: Store, query: RawBuilder<unknown>): Promise<T[]> {
  return (await query.execute(s.db)).rows as T[];
}

describe.each(ENGINES)('bundles on %s', (engine) => {
  const stores: Store[] = [];
  async function store(): Promise<Store> {
    const s = await engineStore(engine);
    stores.push(s);
    return s;
  }
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close();
  });

  /** A server with one mission: two experts, several revisions, a review state and a comment. */
  async function server() {
    const s = await store();
    const aigerim = await addUser(s, 'aigerim@example.org', 'Айгерим Сапарова');
    const john = await addUser(s, 'john@example.org', 'John Smith');
    const { missionId, assessments } = await seedMission(s, { 'preservation-demo': 1, 'legal-framework': 2 });
    const a = assessments['preservation-demo'] as number;
    await answer(s, aigerim, a, 'preservation-power', 1, { note: 'Статья 16 УПК', evidence: 'testimonial' });
    await answer(s, john, a, 'preservation-power', 2, { note: 'After the meeting with the prosecutor', evidence: 'documented', source: 'Order No. 12' });
    await answer(s, john, a, 'preservation-days', 14);
    await answer(s, aigerim, a, 'documents-received', 'Закон «Об электронных доказательствах»');
    await answer(s, SYSTEM, assessments['legal-framework'] as number, 'retired-question', 'yes');
    const now = '2025-06-12T10:00:00.000Z';
    await s.db.insertInto('section_reviews').values({ assessment_id: a, section_id: 'powers', state: 'in_review', updated_by: john.id, updated_at: now }).execute();
    await s.db.insertInto('review_comments').values({ assessment_id: a, section_id: 'powers', author_id: aigerim.id, body: 'Проверить перевод ст. 16', created_at: now }).execute();
    return { s, missionId, a, aigerim, john };
  }

  async function reviewRows(s: Store, missionId: number) {
    return s.db.selectFrom('section_reviews').innerJoin('assessments', 'assessments.id', 'section_reviews.assessment_id').leftJoin('users', 'users.id', 'section_reviews.updated_by')
      .select(['assessments.questionnaire_id', 'section_id', 'state', 'updated_at', 'users.email']).where('assessments.mission_id', '=', missionId).execute();
  }

  async function commentRows(s: Store, missionId: number) {
    return s.db.selectFrom('review_comments').innerJoin('assessments', 'assessments.id', 'review_comments.assessment_id').leftJoin('users', 'users.id', 'review_comments.author_id')
      .select(['assessments.questionnaire_id', 'section_id', 'body', 'review_comments.created_at', 'users.email']).where('assessments.mission_id', '=', missionId).orderBy('review_comments.id').execute();
  }

  describe('mission bundle round trip', () => {
    it('carries every answer and every history row to a fresh database', async () => {
      const { s, missionId } = await server();
      const { file } = await exportMissionBundle(s.db, missionId, { exportedBy: 'manager@example.org' });

      const fresh = await store();
      const result = await importMissionBundle(fresh.db, SYSTEM, file, { via: 'test' });
      expect(result.changed).toBe(true);
      expect(result.summary).toMatchObject({ missionCreated: true, assessmentsCreated: 2, answersAdded: 4, conflicts: 0 });

      const before = await missionRows(s, missionId);
      const after = await missionRows(fresh, result.missionId);
      expect(before.history).toHaveLength(5);
      expect(after).toEqual(before);
      expect(await reviewRows(fresh, result.missionId)).toEqual(await reviewRows(s, missionId));
      expect(await commentRows(fresh, result.missionId)).toEqual(await commentRows(s, missionId));

      const mission = await fresh.db.selectFrom('missions').selectAll().where('id', '=', result.missionId).executeTakeFirstOrThrow();
      const original = await s.db.selectFrom('missions').selectAll().where('id', '=', missionId).executeTakeFirstOrThrow();
      expect({ ...mission, id: 0 }).toEqual({ ...original, id: 0 });
      expect(await fresh.db.selectFrom('countries').selectAll().execute()).toEqual([{ code: 'KZ', name_en: 'Kazakhstan', name_ru: 'Казахстан' }]);

      // Authors unknown here get disabled placeholder accounts that nobody can sign in to.
      const people = await fresh.db.selectFrom('users').select(['email', 'name', 'role', 'disabled_at', 'password_hash']).orderBy('email').execute();
      expect(people.map((p) => [p.email, p.name, p.role, p.disabled_at !== null, p.password_hash])).toEqual([
        ['aigerim@example.org', 'Айгерим Сапарова', 'viewer', true, '!'],
        ['john@example.org', 'John Smith', 'viewer', true, '!'],
      ]);
      expect(await verifyAuditChain(fresh.db)).toMatchObject({ ok: true });
      const actions = (await fresh.db.selectFrom('audit_log').select('action').execute()).map((r) => r.action);
      expect(actions).toContain('bundle.import');
      expect(actions.filter((a) => a === 'answer.import')).toHaveLength(4);
    });

    it('carries the mission scope (core or full), and reads a bundle written before scopes as full', async () => {
      const { s, missionId } = await server();
      await s.db.updateTable('missions').set({ scope: 'core' }).where('id', '=', missionId).execute();
      const { file } = await exportMissionBundle(s.db, missionId, { exportedBy: 'manager@example.org' });
      expect(decodeBundle(file).body.mission.scope).toBe('core');
      const fresh = await store();
      const result = await importMissionBundle(fresh.db, SYSTEM, file, { via: 'test' });
      expect((await fresh.db.selectFrom('missions').select('scope').where('id', '=', result.missionId).executeTakeFirstOrThrow()).scope).toBe('core');
      const { missionSchema } = await import('../../src/exchange/bundle/model.js');
      const { scope: _scope, ...older } = decodeBundle(file).body.mission;
      expect(missionSchema.parse(older).scope).toBe('full');
    });

    it('changes nothing when the same bundle is imported twice, here or back where it came from', async () => {
      const { s, missionId } = await server();
      const { file } = await exportMissionBundle(s.db, missionId);
      const fresh = await store();
      await importMissionBundle(fresh.db, SYSTEM, file);
      const once = await dump(fresh);
      const again = await importMissionBundle(fresh.db, SYSTEM, file);
      expect(again.changed).toBe(false);
      expect(again.summary).toMatchObject({ answersUnchanged: 4, answersAdded: 0, conflicts: 0 });
      expect(await dump(fresh)).toEqual(once);

      const home = await dump(s);
      const back = await importMissionBundle(s.db, SYSTEM, file);
      expect(back).toMatchObject({ changed: false, missionId });
      expect(await dump(s)).toEqual(home);
    });

    it('keeps the same mission identity on every export', async () => {
      const { s, missionId } = await server();
      const first = await exportMissionBundle(s.db, missionId);
      const second = await exportMissionBundle(s.db, missionId);
      expect(second.body.mission.uid).toBe(first.body.mission.uid);
      expect(decodeBundle(second.file).body.mission.uid).toBe(first.body.mission.uid);
    });
  });

  /** The visit: the server's mission goes to a laptop; both sides edit; the laptop's bundle comes back. */
  async function visit() {
    const home = await server();
    const laptop = await store();
    const outbound = await importMissionBundle(laptop.db, SYSTEM, (await exportMissionBundle(home.s.db, home.missionId)).file);
    const laptopA = (await laptop.db.selectFrom('assessments').select('id').where('mission_id', '=', outbound.missionId).where('questionnaire_id', '=', 'preservation-demo').executeTakeFirstOrThrow()).id;
    const expert = await addUser(laptop, 'dana@example.org', 'Дана Омарова');
    return { ...home, laptop, laptopMission: outbound.missionId, laptopA, expert };
  }

  describe('merging a bundle into a mission that changed here too', () => {
    it('takes the newer revisions when one side only added to the other', async () => {
      const v = await visit();
      await answer(v.laptop, v.expert, v.laptopA, 'preservation-days', 5, { note: 'Статистика за 2024 год' });
      await answer(v.laptop, v.expert, v.laptopA, 'preservation-days', 4, { note: 'Уточнено' });
      await answer(v.laptop, v.expert, v.laptopA, 'new-question', 'no');
      await answer(v.s, v.john, v.a, 'documents-received', 'Закон и два приказа');

      const result = await importMissionBundle(v.s.db, SYSTEM, (await exportMissionBundle(v.laptop.db, v.laptopMission)).file);
      expect(result.summary).toMatchObject({ answersAdded: 1, answersUpdated: 1, answersNewerHere: 1, answersUnchanged: 2, conflicts: 0 });
      const rows = await missionRows(v.s, v.missionId);
      const days = rows.history.filter((h) => h.question_id === 'preservation-days');
      expect(days.map((h) => [h.revision, h.value, h.author])).toEqual([[1, '14', 'john@example.org'], [2, '5', 'dana@example.org'], [3, '4', 'dana@example.org']]);
      expect(rows.answers.find((r) => r.question_id === 'preservation-days')).toMatchObject({ value: '4', revision: 3, note: 'Уточнено', author: 'dana@example.org' });
      // The server's own newer answer stays.
      expect(rows.answers.find((r) => r.question_id === 'documents-received')).toMatchObject({ value: JSON.stringify('Закон и два приказа'), revision: 2 });

      // And the other way round, the laptop catches up with the server: both hold the same history now.
      await importMissionBundle(v.laptop.db, SYSTEM, (await exportMissionBundle(v.s.db, v.missionId)).file);
      expect(await missionRows(v.laptop, v.laptopMission)).toEqual(await missionRows(v.s, v.missionId));
    });

    it('keeps both sides of a true conflict and loses nothing', async () => {
      const v = await visit();
      // Both edit preservation-power on top of the shared revision 2.
      await answer(v.laptop, v.expert, v.laptopA, 'preservation-power', 3, { note: 'Приказ № 45 от 2024 г.', evidence: 'documented' });
      await answer(v.s, v.john, v.a, 'preservation-power', 1, { note: 'The order was repealed in May' });
      const serverBefore = await missionRows(v.s, v.missionId);

      const bundle = (await exportMissionBundle(v.laptop.db, v.laptopMission)).file;
      const result = await importMissionBundle(v.s.db, SYSTEM, bundle);
      expect(result.summary).toMatchObject({ conflicts: 1, answersUnchanged: 3 });

      // The local answer and history are untouched; the laptop's revision waits in a conflict record.
      expect(await missionRows(v.s, v.missionId)).toEqual(serverBefore);
      const conflicts = await rows<{ incoming: string }>(v.s, sql`select question_id, base_revision, local_revision, status, incoming from answer_conflicts`);
      expect(conflicts).toHaveLength(1);
      expect(conflicts[0]).toMatchObject({ question_id: 'preservation-power', base_revision: 2, local_revision: 3, status: 'open' });
      expect(JSON.parse(conflicts[0]?.incoming ?? '[]')).toMatchObject([{ revision: 3, value: 3, note: 'Приказ № 45 от 2024 г.', evidence: 'documented', author: 'dana@example.org' }]);
      const audit = (await v.s.db.selectFrom('audit_log').select(['action', 'entity_id']).where('action', 'in', ['answer.conflict', 'bundle.import']).execute()).map((r) => r.action);
      expect(audit).toEqual(['answer.conflict', 'bundle.import']);

      // Importing it again records nothing new.
      const snapshot = await dump(v.s);
      expect((await importMissionBundle(v.s.db, SYSTEM, bundle)).changed).toBe(false);
      expect(await dump(v.s)).toEqual(snapshot);

      // The laptop edits once more: the same conflict grows instead of a second one appearing.
      await answer(v.laptop, v.expert, v.laptopA, 'preservation-power', 4, { note: 'Подтверждено прокуратурой' });
      const grown = await importMissionBundle(v.s.db, SYSTEM, (await exportMissionBundle(v.laptop.db, v.laptopMission)).file);
      expect(grown.summary.conflicts).toBe(1);
      const after = await rows<{ incoming: string }>(v.s, sql`select incoming from answer_conflicts`);
      expect(after).toHaveLength(1);
      expect((JSON.parse(after[0]?.incoming ?? '[]') as { revision: number }[]).map((e) => e.revision)).toEqual([3, 4]);
      // The older, shorter bundle is still known.
      expect((await importMissionBundle(v.s.db, SYSTEM, bundle)).changed).toBe(false);
    });

    it('records the conflict on each side that imports the other, then converges once one side resolves', async () => {
      const v = await visit();
      await answer(v.laptop, v.expert, v.laptopA, 'preservation-power', 3, { note: 'laptop' });
      await answer(v.s, v.john, v.a, 'preservation-power', 1, { note: 'server' });
      const toServer = await importMissionBundle(v.s.db, SYSTEM, (await exportMissionBundle(v.laptop.db, v.laptopMission)).file);
      const toLaptop = await importMissionBundle(v.laptop.db, SYSTEM, (await exportMissionBundle(v.s.db, v.missionId)).file);
      // Each side keeps its own answer and records the other's. The server's record, whose incoming side is
      // the laptop's own revision, is not copied to the laptop: it would show the same disagreement twice.
      expect(toServer.summary).toMatchObject({ conflicts: 1 });
      expect(toLaptop.summary).toMatchObject({ conflicts: 1, conflictRecordsImported: 0 });
      expect(await rows(v.laptop, sql`select count(*) as n from answer_conflicts where status = 'open'`)).toEqual([{ n: 1 }]);

      // A manager resolves it on the server: a new revision that settles the conflict.
      const settledRevision = await answer(v.s, v.john, v.a, 'preservation-power', 3, { note: 'Agreed after review: order No. 45 is in force' });
      await sql`update answer_conflicts set status = 'resolved', resolved_at = ${'2025-06-20T10:00:00.000Z'}, resolved_by = ${'john@example.org'}, resolved_revision = ${settledRevision}`.execute(v.s.db);

      // The laptop takes the server's bundle: its own revision 3 is not lost (it is in the resolved record), and the histories converge.
      const laptopBefore = await missionRows(v.laptop, v.laptopMission);
      const back = await importMissionBundle(v.laptop.db, SYSTEM, (await exportMissionBundle(v.s.db, v.missionId)).file);
      expect(back.summary).toMatchObject({ answersAdopted: 1, conflicts: 0, conflictRecordsImported: 1, conflictRecordsResolved: 1 });
      expect(await missionRows(v.laptop, v.laptopMission)).toEqual(await missionRows(v.s, v.missionId));
      expect(await rows(v.laptop, sql`select count(*) as n from answer_conflicts where status = 'open'`)).toEqual([{ n: 0 }]);
      const records = await rows<{ status: string; incoming: string }>(v.laptop, sql`select status, incoming from answer_conflicts`);
      const record = records.find((r) => (JSON.parse(r.incoming) as { note?: string }[])[0]?.note === 'laptop') ?? { status: 'missing', incoming: '[]' };
      expect(record.status).toBe('resolved');
      const laptopRevision3 = laptopBefore.history.find((h) => h.question_id === 'preservation-power' && h.revision === 3);
      expect(JSON.parse(record.incoming)).toMatchObject([{ revision: 3, value: 3, note: 'laptop', createdAt: laptopRevision3?.created_at, author: 'dana@example.org' }]);

      // From now on each side's bundle is a no-op on the other.
      expect(await rows(v.s, sql`select status, count(*) as n from answer_conflicts group by status`)).toEqual([{ status: 'resolved', n: 1 }]);
      expect(await rows(v.laptop, sql`select status, count(*) as n from answer_conflicts group by status`)).toEqual([{ status: 'resolved', n: 2 }]);
      expect((await importMissionBundle(v.s.db, SYSTEM, (await exportMissionBundle(v.laptop.db, v.laptopMission)).file)).changed).toBe(false);
      expect((await importMissionBundle(v.laptop.db, SYSTEM, (await exportMissionBundle(v.s.db, v.missionId)).file)).changed).toBe(false);
    });

    it('merges mission details and review states by their latest change and adds new comments once', async () => {
      const v = await visit();
      await v.laptop.db.updateTable('missions').set({ status: 'completed', updated_at: '2025-06-14T18:00:00.000Z' }).where('id', '=', v.laptopMission).execute();
      await v.laptop.db.updateTable('section_reviews').set({ state: 'approved', updated_at: '2025-06-14T18:00:00.000Z' }).execute();
      await v.laptop.db.insertInto('review_comments').values({ assessment_id: v.laptopA, section_id: 'powers', author_id: v.expert.id, body: 'Одобрено', created_at: '2025-06-14T18:00:00.000Z' }).execute();
      const bundle = (await exportMissionBundle(v.laptop.db, v.laptopMission)).file;
      const result = await importMissionBundle(v.s.db, SYSTEM, bundle);
      expect(result.summary).toMatchObject({ missionUpdated: true, reviewsUpdated: 1, commentsAdded: 1 });
      expect(await v.s.db.selectFrom('missions').select('status').execute()).toEqual([{ status: 'completed' }]);
      expect(await reviewRows(v.s, v.missionId)).toMatchObject([{ state: 'approved' }]);
      expect((await commentRows(v.s, v.missionId)).map((c) => [c.body, c.email])).toEqual([['Проверить перевод ст. 16', 'aigerim@example.org'], ['Одобрено', 'dana@example.org']]);
      expect((await importMissionBundle(v.s.db, SYSTEM, bundle)).changed).toBe(false);
    });
  });

  describe('damaged and altered bundles', () => {
    async function expectRefused(target: Store, file: Buffer, message: RegExp, key?: string): Promise<void> {
      const before = await dump(target);
      const error = await importMissionBundle(target.db, SYSTEM as Actor, file, { key }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Problem);
      expect((error as Problem).code).toBe('validation_failed');
      expect((error as Problem).message).toMatch(message);
      expect((error as Problem).message).toMatch(/Nothing was imported/);
      expect(await dump(target)).toEqual(before);
    }

    it('refuses a truncated bundle and changes nothing, on a fresh database and on the mission it came from', async () => {
      const { s, missionId } = await server();
      const { file } = await exportMissionBundle(s.db, missionId);
      await answer(s, { id: null }, (await s.db.selectFrom('assessments').select('id').executeTakeFirstOrThrow()).id, 'preservation-days', 20);
      for (const length of [file.length - 1, Math.floor(file.length / 2), 40, 0]) {
        const cut = file.subarray(0, length);
        await expectRefused(await store(), cut, length === 0 ? /empty/ : length === 40 ? /damaged/ : /incomplete/);
        await expectRefused(s, cut, length === 0 ? /empty/ : length === 40 ? /damaged/ : /incomplete/);
      }
    });

    it('refuses a bundle with any one byte changed and changes nothing', async () => {
      const { s, missionId } = await server();
      const { file } = await exportMissionBundle(s.db, missionId);
      const fresh = await store();
      const newline = file.indexOf(0x0a);
      // A byte in the header's checksum, the newline, a byte of an answer, the last byte, and a sample everywhere else.
      const positions = new Set([20, newline - 5, newline, newline + 1, file.indexOf(Buffer.from('Статья')) + 1, file.length - 1]);
      for (let i = 0; i < file.length; i += Math.max(1, Math.floor(file.length / 150))) positions.add(i);
      for (const position of positions) {
        const altered = Buffer.from(file);
        altered[position] = (altered[position] as number) ^ 0x01;
        await expectRefused(fresh, altered, /damaged|altered|not an ENA mission bundle|incomplete/);
      }
      expect(await tableCounts(fresh)).toMatchObject({ missions: 0, answers: 0, audit_log: 0 });
    });

    it('detects a change of any single byte and a cut at any position of the file', async () => {
      const { s, missionId } = await server();
      for (const key of [undefined, 'k'.repeat(40)]) {
        const { file } = await exportMissionBundle(s.db, missionId, { key });
        expect(decodeBundle(file, key).body.mission.title).toBe('Миссия по оценке потребностей');
        for (let i = 0; i < file.length; i++) {
          for (const mask of [0x01, 0x20, 0x80]) {
            const altered = Buffer.from(file);
            altered[i] = (altered[i] as number) ^ mask;
            expect(() => decodeBundle(altered, key), `byte ${i} ^ ${mask}`).toThrow(Problem);
          }
          expect(() => decodeBundle(file.subarray(0, i), key), `cut at ${i}`).toThrow(Problem);
        }
      }
    });

    it('refuses an unsigned or wrongly signed bundle where a key is set, and accepts a signed one', async () => {
      const { s, missionId } = await server();
      const key = 'k'.repeat(40);
      const unsigned = (await exportMissionBundle(s.db, missionId)).file;
      const otherKey = (await exportMissionBundle(s.db, missionId, { key: 'o'.repeat(40) })).file;
      const signed = (await exportMissionBundle(s.db, missionId, { key })).file;
      const target = await store();
      await expectRefused(target, unsigned, /not signed/, key);
      await expectRefused(target, otherKey, /different key/, key);
      // Someone without the key rewrites content and checksum consistently: only the signature catches it.
      const text = signed.toString('utf8');
      const [header, body] = [text.slice(0, text.indexOf('\n')), text.slice(text.indexOf('\n') + 1)];
      const forgedBody = body.replace('Статья 16 УПК', 'Статья 99 УПК');
      const { createHash } = await import('node:crypto');
      const forgedHeader = header.replace(/"sha256":"[0-9a-f]+"/, `"sha256":"${createHash('sha256').update(forgedBody).digest('hex')}"`);
      await expectRefused(target, Buffer.from(`${forgedHeader}\n${forgedBody}`), /signature does not match/, key);
      expect(await importMissionBundle(target.db, SYSTEM, signed, { key })).toMatchObject({ changed: true, signature: 'verified' });
      expect((await importMissionBundle(await store().then((t) => t.db), SYSTEM, signed)).signature).toBe('not_checked');
    });

    it('refuses a file that is not a bundle with a clear message', async () => {
      const target = await store();
      await expectRefused(target, Buffer.from('id,question\n1,2\n'), /not an ENA mission bundle/);
      await expectRefused(target, Buffer.from('{"format":"ena-mission-bundle","formatVersion":7,"bodyBytes":2,"sha256":"' + '0'.repeat(64) + '","hmacSha256":null,"keyId":null}\n{}'), /newer ENA/);
    });
  });
});
