/**
 * Opens the SQLite database and brings its schema up to date.
 *
 * Durability: WAL with synchronous=FULL. In WAL mode NORMAL is safe against a process crash but may lose
 * the last commits on power loss; an expert's acknowledged answer must survive both, so every commit
 * syncs the WAL. foreign_keys on; a busy timeout lets a backup or a second process wait instead of failing.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, type MigrationResultSet } from 'kysely';
import { Problem } from '../shared/problem.js';
import { migrations } from './migrations/index.js';
import type { Database } from './schema.js';

export interface Store {
  db: Kysely<Database>;
  sqlite: SQLite.Database;
  file: string;
  close(): Promise<void>;
}

export function openSqlite(file: string): SQLite.Database {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  return sqlite;
}

export async function migrateToLatest(db: Kysely<Database>): Promise<MigrationResultSet> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const result = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Problem('internal', `Database migration ${failed} failed: ${String(result.error)}. The database was left at the last good version.`);
  }
  return result;
}

export async function openStore(file: string): Promise<Store> {
  const sqlite = openSqlite(file);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  await migrateToLatest(db);
  return { db, sqlite, file, close: () => db.destroy() };
}
