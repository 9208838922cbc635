/**
 * Group commit for autosave. With synchronous=FULL every commit waits for the disk (fsync), and
 * better-sqlite3 waits on the main thread: one commit per save caps throughput at the disk's sync rate.
 * The batcher runs every save that arrives while the previous commit is in progress in ONE transaction,
 * each inside its own savepoint (a save that fails — a 409, a bad value — rolls back alone), then
 * commits once. Nobody is answered before the commit that holds their save has returned, so an
 * acknowledged save is as durable as before; only the number of syncs drops.
 *
 * PostgreSQL keeps the same group commit rather than one transaction per save: writers are serialised
 * there too (dialect.ts, for the audit hash chain), so per-save transactions would commit one after
 * another, each waiting for its own WAL flush — the server's own commit grouping only helps commits
 * that run at the same time. One batch takes the writer lock once and flushes once. Each instance
 * batches its own saves; batches of different instances take turns at the lock.
 */
import { sql, type Kysely } from 'kysely';
import { lockWriters } from './dialect.js';
import { GroupCommit, type Outcome } from './groupCommit.js';
import type { Database } from './schema.js';

type Work<T> = (trx: Kysely<Database>) => Promise<T>;

export class WriteBatcher {
  private readonly group: GroupCommit<Work<unknown>>;

  constructor(db: Kysely<Database>, maxBatch = 500) {
    this.group = new GroupCommit((items, outcomes) => commitBatch(db, items, outcomes), maxBatch);
  }

  /** Largest batch committed so far (reported by the benchmark). */
  get largestBatch(): number {
    return this.group.largestBatch;
  }

  /**
   * Runs `work` in the next batch. `work` must use only the `trx` it is given (never the root db: the
   * connection is held by the batch, so that would wait for itself).
   */
  run<T>(work: Work<T>): Promise<T> {
    return this.group.run<T>(work);
  }
}

async function commitBatch(db: Kysely<Database>, items: readonly Work<unknown>[], outcomes: Outcome[]): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await lockWriters(trx);
    // Alone, a save needs no savepoint: if it fails, the whole transaction rolls back, and that is all
    // it holds (two statements fewer per save when saves do not overlap, the common case).
    if (items.length === 1) {
      outcomes.push({ ok: true, value: await (items[0] as Work<unknown>)(trx) });
      return;
    }
    for (const work of items) {
      await sql`savepoint ena_write`.execute(trx);
      try {
        outcomes.push({ ok: true, value: await work(trx) });
      } catch (error) {
        // A full disk (or an I/O error) ends the whole transaction in SQLite: then the batch fails with that cause.
        await sql`rollback to savepoint ena_write`.execute(trx).catch(() => {
          throw error;
        });
        outcomes.push({ ok: false, error });
      }
      await sql`release savepoint ena_write`.execute(trx);
    }
  });
}
