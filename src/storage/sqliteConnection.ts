/**
 * Synchronous work on the SQLite connection that Kysely also uses (the autosave path's prepared
 * statements). Kysely holds the connection across awaits for a transaction; work that ran then would see
 * that transaction's uncommitted rows, or write inside it. So: at once when no transaction is open — a
 * synchronous call cannot interleave with anything — else after Kysely releases the connection.
 */
import type SQLite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export interface SqliteConnection {
  sqlite: SQLite.Database;
  db: Kysely<Database>;
}

export function onSqliteConnection<T>(connection: SqliteConnection, work: (sqlite: SQLite.Database) => T): Promise<T> {
  if (!connection.sqlite.inTransaction) {
    try {
      return Promise.resolve(work(connection.sqlite));
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }
  return connection.db.connection().execute(() => Promise.resolve(work(connection.sqlite)));
}
