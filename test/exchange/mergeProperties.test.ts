/**
 * Random visits: a server and a laptop edit the same answers in any order and swap bundles at random
 * moments. Whatever happens, no revision written on either side is ever lost (it is in the history or
 * in a conflict record), importing a bundle a second time changes nothing, and the audit chain holds.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exportMissionBundle, importMissionBundle } from '../../src/exchange/bundle/bundles.js';
import { fingerprint } from '../../src/exchange/bundle/history.js';
import { getConflict, listConflicts, resolveConflict } from '../../src/exchange/conflicts.js';
import type { HistoryEntry } from '../../src/exchange/bundle/model.js';
import { readMissionSnapshot } from '../../src/exchange/bundle/missionStore.js';
import { SYSTEM, verifyAuditChain } from '../../src/storage/audit.js';
import type { Store } from '../../src/storage/db.js';
import { addUser, answer, dump, engineStore, missionRows, seedMission } from './helpers.js';
import { ENGINES } from '../support/engines.js';

const QUESTIONS = ['q1', 'q2', 'q3'];
type Step =
  | { kind: 'edit'; side: 0 | 1; question: number; value: number }
  | { kind: 'send'; from: 0 | 1 }
  | { kind: 'resolve'; side: 0 | 1; take: boolean };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('edit' as const), side: fc.constantFrom(0 as const, 1 as const), question: fc.integer({ min: 0, max: 2 }), value: fc.integer({ min: 0, max: 4 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('send' as const), from: fc.constantFrom(0 as const, 1 as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('resolve' as const), side: fc.constantFrom(0 as const, 1 as const), take: fc.boolean() }) },
);

/** Every revision an installation holds: its histories and the incoming sides of its conflict records. */
async function heldFingerprints(store: Store, missionId: number): Promise<Set<string>> {
  const snapshot = await readMissionSnapshot(store.db, missionId);
  const held = new Set<string>();
  for (const assessment of snapshot.assessments) {
    for (const chain of assessment.answers) chain.history.forEach((e) => held.add(fingerprint(e)));
    for (const record of assessment.conflicts) record.incoming.forEach((e) => held.add(fingerprint(e)));
  }
  return held;
}

async function history(store: Store, missionId: number): Promise<HistoryEntry[]> {
  const snapshot = await readMissionSnapshot(store.db, missionId);
  return snapshot.assessments.flatMap((a) => a.answers.flatMap((c) => c.history));
}

describe.each(ENGINES)('merge properties on %s', (engine) => {
  describe('merging under random edits and exchanges', () => {
    it('never loses a revision, imports idempotently and converges once one side settles the conflicts', async () => {
      await fc.assert(fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 14 }), fc.boolean(), async (steps, takeTheirs) => {
        const server = await engineStore(engine);
        const laptop = await engineStore(engine);
        try {
          const { missionId, assessments } = await seedMission(server);
          const serverExpert = await addUser(server, 'server@example.org', 'Сервер');
          const first = await importMissionBundle(laptop.db, SYSTEM, (await exportMissionBundle(server.db, missionId)).file);
          const laptopExpert = await addUser(laptop, 'laptop@example.org', 'Ноутбук');
          const sides = [
            { store: server, mission: missionId, assessment: assessments['preservation-demo'] as number, actor: serverExpert },
            { store: laptop, mission: first.missionId, assessment: (await laptop.db.selectFrom('assessments').select('id').executeTakeFirstOrThrow()).id, actor: laptopExpert },
          ];
          const written = new Set<string>();
          for (const s of steps) {
            if (s.kind === 'edit') {
              const side = sides[s.side] as (typeof sides)[number];
              await answer(side.store, side.actor, side.assessment, QUESTIONS[s.question] as string, s.value, { note: `step ${written.size}` });
              for (const entry of await history(side.store, side.mission)) written.add(fingerprint(entry));
              continue;
            }
            if (s.kind === 'resolve') {
              const side = sides[s.side] as (typeof sides)[number];
              for (const { id } of await listConflicts(side.store.db, side.mission, 'open')) {
                // Resolving one conflict may settle another about the same answer: read each afresh.
                const conflict = await getConflict(side.store.db, id);
                if (conflict.status !== 'open') continue;
                const theirs = conflict.incoming[conflict.incoming.length - 1];
                await resolveConflict(side.store.db, { ...side.actor, email: `side${s.side}@example.org` }, conflict.id, s.take && theirs
                  ? { choice: 'answer', value: theirs.value, note: theirs.note, baseRevision: conflict.current?.revision ?? 0 }
                  : { choice: 'keep' });
              }
              for (const entry of await history(side.store, side.mission)) written.add(fingerprint(entry));
              continue;
            }
            const [from, to] = s.from === 0 ? [sides[0], sides[1]] : [sides[1], sides[0]];
            if (!from || !to) throw new Error('two sides');
            const { file } = await exportMissionBundle(from.store.db, from.mission);
            const expected = new Set([...(await heldFingerprints(to.store, to.mission)), ...(await heldFingerprints(from.store, from.mission))]);
            await importMissionBundle(to.store.db, SYSTEM, file);
            // The receiving side now holds everything it held and everything the bundle carried.
            const after = await heldFingerprints(to.store, to.mission);
            for (const fp of expected) expect(after.has(fp)).toBe(true);
            const once = await dump(to.store);
            expect((await importMissionBundle(to.store.db, SYSTEM, file)).changed).toBe(false);
            expect(await dump(to.store)).toEqual(once);
          }
          // Finally both sides swap bundles, the server settles every conflict, and they swap again: they converge.
          const send = async (from: (typeof sides)[number], to: (typeof sides)[number]): Promise<void> => {
            await importMissionBundle(to.store.db, SYSTEM, (await exportMissionBundle(from.store.db, from.mission)).file);
          };
          const [home, away] = sides as [(typeof sides)[number], (typeof sides)[number]];
          await send(away, home);
          await send(home, away);
          for (const { id } of await listConflicts(home.store.db, home.mission, 'open')) {
            const conflict = await getConflict(home.store.db, id);
            const theirs = conflict.incoming[conflict.incoming.length - 1];
            if (conflict.status === 'open') {
              await resolveConflict(home.store.db, { ...home.actor, email: 'server@example.org' }, id, takeTheirs && theirs
                ? { choice: 'answer', value: theirs.value, note: theirs.note, baseRevision: conflict.current?.revision ?? 0 }
                : { choice: 'keep' });
            }
          }
          await send(home, away);
          await send(away, home);
          for (const side of sides) expect(await listConflicts(side.store.db, side.mission, 'open')).toEqual([]);
          expect(await missionRows(away.store, away.mission)).toEqual(await missionRows(home.store, home.mission));

          const held = new Set([...(await heldFingerprints(server, missionId)), ...(await heldFingerprints(laptop, first.missionId))]);
          for (const fp of written) expect(held.has(fp)).toBe(true);
          expect((await verifyAuditChain(server.db)).ok).toBe(true);
          expect((await verifyAuditChain(laptop.db)).ok).toBe(true);
        } finally {
          await server.close();
          await laptop.close();
        }
      }), { numRuns: engine === 'sqlite' ? 30 : 10 }); // a PostgreSQL run makes two databases: fewer runs, same property
    });
  });
});
