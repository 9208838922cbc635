/**
 * Group commit on SQLite without Kysely: the autosave path's writes are synchronous better-sqlite3 work
 * on prepared statements (sqliteAnswers.ts), and a batch of them runs as ONE synchronous transaction —
 * no query building, no promise between statements, one fsync for the whole batch. Semantics are those
 * of WriteBatcher (writeBatcher.ts): every save that arrived while the previous batch was committing
 * joins the next one, each in its own savepoint (a 409 or a bad value rolls back alone), and nobody is
 * answered before the commit holding their save has returned from the disk (synchronous=FULL).
 *
 * The connection is the one Kysely uses too. A batch starts at once when no transaction is open on it —
 * a synchronous transaction cannot interleave with anything — else it waits for Kysely to release the
 * connection (sqliteConnection.ts), so it never lands inside someone else's transaction.
 */
import type SQLite from 'better-sqlite3';
import { onSqliteConnection, type SqliteConnection } from './sqliteConnection.js';

type Work<T> = (sqlite: SQLite.Database) => T;

interface Pending {
  work: Work<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

export class SqliteWriter {
  private queue: Pending[] = [];
  private flushing = false;
  /** Largest batch committed so far. */
  largestBatch = 0;

  constructor(private readonly connection: SqliteConnection, private readonly maxBatch = 500) {}

  /** Runs `work` (synchronous: it must not return a promise) in the next batch's transaction. */
  run<T>(work: Work<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
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
    const outcomes: Outcome[] = [];
    try {
      await onSqliteConnection(this.connection, (sqlite) => commitBatch(sqlite, batch, outcomes));
      batch.forEach((item, i) => {
        const outcome = outcomes[i] as Outcome;
        if (outcome.ok) item.resolve(outcome.value);
        else item.reject(outcome.error);
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
}

/** One transaction (BEGIN IMMEDIATE: it writes) for the batch, a savepoint per item when there are several. */
function commitBatch(sqlite: SQLite.Database, batch: readonly Pending[], outcomes: Outcome[]): void {
  sqlite.transaction(() => {
    // Alone, a save needs no savepoint: if it fails, the whole transaction rolls back, and that is all it holds.
    if (batch.length === 1) {
      outcomes.push({ ok: true, value: (batch[0] as Pending).work(sqlite) });
      return;
    }
    for (const item of batch) {
      try {
        // Nested: better-sqlite3 wraps it in a savepoint and rolls back to it when `work` throws.
        outcomes.push({ ok: true, value: sqlite.transaction(item.work)(sqlite) });
      } catch (error) {
        // A full disk (or an I/O error) ends the whole transaction in SQLite: then the batch fails with that cause.
        if (!sqlite.inTransaction) throw error;
        outcomes.push({ ok: false, error });
      }
    }
  }).immediate();
}
