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
import { GroupCommit, type Outcome } from './groupCommit.js';
import { onSqliteConnection, type SqliteConnection } from './sqliteConnection.js';

type Work<T> = (sqlite: SQLite.Database) => T;

export class SqliteWriter {
  private readonly group: GroupCommit<Work<unknown>>;

  constructor(connection: SqliteConnection, maxBatch = 500) {
    this.group = new GroupCommit((items, outcomes) => onSqliteConnection(connection, (sqlite) => commitBatch(sqlite, items, outcomes)), maxBatch);
  }

  /** Largest batch committed so far. */
  get largestBatch(): number {
    return this.group.largestBatch;
  }

  /** Runs `work` (synchronous: it must not return a promise) in the next batch's transaction. */
  run<T>(work: Work<T>): Promise<T> {
    return this.group.run<T>(work);
  }
}

interface Transactions {
  /** One transaction (BEGIN IMMEDIATE: it writes) for a batch. */
  batch(items: readonly Work<unknown>[], outcomes: Outcome[]): void;
  /** Inside it, one item: better-sqlite3 nests it in a savepoint and rolls back to it when `work` throws. */
  item(work: Work<unknown>, sqlite: SQLite.Database): unknown;
}

/** Made once per connection: better-sqlite3's transaction() builds four wrappers each time it is called. */
const transactions = new WeakMap<SQLite.Database, Transactions>();

function commitBatch(sqlite: SQLite.Database, items: readonly Work<unknown>[], outcomes: Outcome[]): void {
  let made = transactions.get(sqlite);
  if (!made) {
    const item = sqlite.transaction((work: Work<unknown>, connection: SQLite.Database) => work(connection));
    made = { batch: sqlite.transaction((batch: readonly Work<unknown>[], results: Outcome[]) => runBatch(sqlite, item, batch, results)).immediate, item };
    transactions.set(sqlite, made);
  }
  made.batch(items, outcomes);
}

function runBatch(sqlite: SQLite.Database, item: Transactions['item'], batch: readonly Work<unknown>[], outcomes: Outcome[]): void {
  // Alone, a save needs no savepoint: if it fails, the whole transaction rolls back, and that is all it holds.
  if (batch.length === 1) {
    outcomes.push({ ok: true, value: (batch[0] as Work<unknown>)(sqlite) });
    return;
  }
  for (const work of batch) {
    try {
      outcomes.push({ ok: true, value: item(work, sqlite) });
    } catch (error) {
      // A full disk (or an I/O error) ends the whole transaction in SQLite: then the batch fails with that cause.
      if (!sqlite.inTransaction) throw error;
      outcomes.push({ ok: false, error });
    }
  }
}
