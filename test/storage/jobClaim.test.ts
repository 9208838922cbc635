/**
 * The claim pattern background jobs use (one conditional UPDATE whose sub-select picks the oldest
 * claimable row; `skipLockedOnPostgres` adds `for update skip locked` on PostgreSQL) on a scratch table:
 * many workers in two "instances" (two connection pools on one database) claim every job exactly once,
 * and a job whose worker died (lease ran out) is claimed again by another.
 */
import type { Generated, Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/storage/db.js';
import { skipLockedOnPostgres } from '../../src/storage/dialect.js';
import { ENGINES, testLocation } from '../support/engines.js';

interface JobsDb {
  scratch_jobs: { id: Generated<number>; status: 'queued' | 'running' | 'done'; worker: string | null; lease_until: string | null; attempts: Generated<number> };
}

async function claim(db: Kysely<JobsDb>, worker: string, leaseMs: number, now = new Date()): Promise<number | null> {
  const at = now.toISOString();
  const row = await db.updateTable('scratch_jobs')
    .set((eb) => ({ status: 'running', worker, lease_until: new Date(now.getTime() + leaseMs).toISOString(), attempts: eb('attempts', '+', 1) }))
    .where('id', '=', (eb) => skipLockedOnPostgres(db, eb.selectFrom('scratch_jobs').select('id')
      .where((w) => w.or([w('status', '=', 'queued'), w.and([w('status', '=', 'running'), w('lease_until', '<', at)])])).orderBy('id').limit(1)))
    .where((w) => w.or([w('status', '=', 'queued'), w.and([w('status', '=', 'running'), w('lease_until', '<', at)])]))
    .returning('id').executeTakeFirst();
  return row?.id ?? null;
}

describe.each(ENGINES)('claiming background jobs on %s', (engine) => {
  const stores: Store[] = [];
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close();
  });

  async function twoInstances(jobs: number): Promise<[Kysely<JobsDb>, Kysely<JobsDb>]> {
    const location = await testLocation(engine, 'ena-jobs-');
    const first = await openStore(location);
    const second = await openStore(location);
    stores.push(first, second);
    const db = first.db as unknown as Kysely<JobsDb>;
    await db.schema.createTable('scratch_jobs')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('worker', 'text').addColumn('lease_until', 'text')
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    await db.insertInto('scratch_jobs').values(Array.from({ length: jobs }, () => ({ status: 'queued' as const, worker: null, lease_until: null }))).execute();
    return [db, second.db as unknown as Kysely<JobsDb>];
  }

  it('gives every job to exactly one of many workers on two instances', async () => {
    const instances = await twoInstances(60);
    const claimed: number[] = [];
    const worker = async (name: string, db: Kysely<JobsDb>): Promise<void> => {
      for (let id = await claim(db, name, 60_000); id !== null; id = await claim(db, name, 60_000)) {
        claimed.push(id);
        await db.updateTable('scratch_jobs').set({ status: 'done' }).where('id', '=', id).where('worker', '=', name).execute();
      }
    };
    await Promise.all(Array.from({ length: 8 }, (_, i) => worker(`instance-${i % 2}/worker-${i}`, instances[i % 2] as Kysely<JobsDb>)));
    expect(claimed.sort((x, y) => x - y)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    const rows = await instances[0].selectFrom('scratch_jobs').select(['status', 'attempts']).execute();
    expect(rows.every((r) => r.status === 'done' && r.attempts === 1)).toBe(true);
  });

  it('claims a job again once the lease of a worker that died has run out, and not before', async () => {
    const [a, b] = await twoInstances(1);
    const start = new Date('2026-01-01T10:00:00.000Z');
    expect(await claim(a, 'a/dies', 30_000, start)).toBe(1);
    // Instance A's worker dies without finishing: within the lease, nobody else may take the job.
    expect(await claim(b, 'b/worker', 30_000, new Date(start.getTime() + 29_000))).toBeNull();
    expect(await claim(b, 'b/worker', 30_000, new Date(start.getTime() + 31_000))).toBe(1);
    expect(await b.selectFrom('scratch_jobs').select(['worker', 'attempts']).executeTakeFirstOrThrow()).toEqual({ worker: 'b/worker', attempts: 2 });
  });
});
