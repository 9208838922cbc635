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
import type { Database } from './schema.js';

type Work<T> = (trx: Kysely<Database>) => Promise<T>;

interface Pending {
  work: Work<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

export class WriteBatcher {
  private queue: Pending[] = [];
  private flushing = false;
  /** Largest batch committed so far (reported by the benchmark). */
  largestBatch = 0;

  constructor(private readonly db: Kysely<Database>, private readonly maxBatch = 500) {}

  /**
   * Runs `work` in the next batch. `work` must use only the `trx` it is given (never the root db: the
   * connection is held by the batch, so that would wait for itself).
   */
  run<T>(work: Work<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work: work as Work<unknown>, resolve: resolve as (value: unknown) => void, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.flushing || this.queue.length === 0) return;
    this.flushing = true;
    // After the current I/O callbacks: requests that arrived meanwhile join this batch.
    setImmediate(() => void this.flush());
  }

  private async flush(): Promise<void> {
    const batch = this.queue.splice(0, this.maxBatch);
    this.largestBatch = Math.max(this.largestBatch, batch.length);
    if (batch.length === 1) return this.flushOne(batch[0] as Pending);
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    try {
      await this.db.transaction().execute(async (trx) => {
        await lockWriters(trx);
        for (const item of batch) {
          await sql`savepoint ena_write`.execute(trx);
          try {
            outcomes.push({ ok: true, value: await item.work(trx) });
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
      batch.forEach((item, i) => {
        const outcome = outcomes[i];
        if (outcome?.ok) item.resolve(outcome.value);
        else item.reject(outcome?.error);
      });
    } catch (commitError) {
      // The commit failed: nothing in this batch is stored, so nobody may be told it is.
      batch.forEach((item, i) => {
        const outcome = outcomes[i];
        item.reject(outcome && !outcome.ok ? outcome.error : commitError);
      });
    } finally {
      this.flushing = false;
      this.schedule();
    }
  }

  /** A batch of one needs no savepoint: if its work fails, the whole transaction rolls back, and that
   * is all it holds (two statements fewer per save when saves do not overlap, the common case). */
  private async flushOne(item: Pending): Promise<void> {
    try {
      item.resolve(await this.db.transaction().execute(async (trx) => {
        await lockWriters(trx);
        return item.work(trx);
      }));
    } catch (error) {
      item.reject(error);
    } finally {
      this.flushing = false;
      this.schedule();
    }
  }
}
