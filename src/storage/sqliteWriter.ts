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

interface Transactions {
  /** One transaction (BEGIN IMMEDIATE: it writes) for a batch. */
  batch(batch: readonly Pending[], outcomes: Outcome[]): void;
  /** Inside it, one item: better-sqlite3 nests it in a savepoint and rolls back to it when `work` throws. */
  item(work: Work<unknown>, sqlite: SQLite.Database): unknown;
}

/** Made once per connection: better-sqlite3's transaction() builds four wrappers each time it is called. */
const transactions = new WeakMap<SQLite.Database, Transactions>();

function commitBatch(sqlite: SQLite.Database, batch: readonly Pending[], outcomes: Outcome[]): void {
  let made = transactions.get(sqlite);
  if (!made) {
    const item = sqlite.transaction((work: Work<unknown>, connection: SQLite.Database) => work(connection));
    made = { batch: sqlite.transaction((pending: readonly Pending[], results: Outcome[]) => runBatch(sqlite, item, pending, results)).immediate, item };
    transactions.set(sqlite, made);
  }
  made.batch(batch, outcomes);
}

function runBatch(sqlite: SQLite.Database, item: Transactions['item'], batch: readonly Pending[], outcomes: Outcome[]): void {
  // Alone, a save needs no savepoint: if it fails, the whole transaction rolls back, and that is all it holds.
  if (batch.length === 1) {
    outcomes.push({ ok: true, value: (batch[0] as Pending).work(sqlite) });
    return;
  }
  for (const pending of batch) {
    try {
      outcomes.push({ ok: true, value: item(pending.work, sqlite) });
    } catch (error) {
      // A full disk (or an I/O error) ends the whole transaction in SQLite: then the batch fails with that cause.
      if (!sqlite.inTransaction) throw error;
      outcomes.push({ ok: false, error });
    }
  }
}
