/**
 * Opens the database and brings its schema up to date: an SQLite file (the embedded default) or, for a
 * `postgres://` location, a PostgreSQL database shared by several ENA instances (dialect.ts says what
 * differs between the two).
 *
 * SQLite
 * Durability: WAL with synchronous=FULL. In WAL mode NORMAL is safe against a process crash but may lose
 * the last commits on power loss; an expert's acknowledged answer must survive both, so every commit
 * syncs the WAL. foreign_keys on; a busy timeout lets a backup or a second process wait instead of failing.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, type MigrationResultSet, type SqliteDatabase } from 'kysely';
import type pg from 'pg';
import { Problem } from '../shared/problem.js';
import { isPostgresUrl, postgresDialect, postgresPool, type Engine } from './dialect.js';
import { migrations } from './migrations/index.js';
import type { Database } from './schema.js';
import { SqliteWriter } from './sqliteWriter.js';
import { WriteBatcher } from './writeBatcher.js';

interface StoreBase {
  engine: Engine;
  db: Kysely<Database>;
  /** Where the data lives, fit to print: the file, or the PostgreSQL URL without its password. */
  location: string;
  /** Group commit for the autosave path (see writeBatcher.ts). */
  writes: WriteBatcher;
  close(): Promise<void>;
}

export interface SqliteStore extends StoreBase {
  engine: 'sqlite';
  sqlite: SQLite.Database;
  file: string;
  /** Group commit of synchronous work on prepared statements: the autosave path (see sqliteWriter.ts). */
  sqliteWrites: SqliteWriter;
}

export interface PostgresStore extends StoreBase {
  engine: 'postgres';
  pool: pg.Pool;
}

export type Store = SqliteStore | PostgresStore;

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

/**
 * Kysely prepares every query anew; preparing costs more than running a small query. Statements are
 * kept by SQL text (bounded: `in (?, ?, …)` lists produce many texts). Safe because better-sqlite3 runs
 * each statement to completion synchronously, and SQLite re-prepares a statement after a schema change.
 */
export function withStatementCache(sqlite: SQLite.Database, size = 500): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  let nothing: SQLite.Statement | undefined;
  return {
    close: () => sqlite.close(),
    prepare: (text: string) => {
      // After SQLITE_FULL or an I/O error SQLite rolls the transaction back by itself; Kysely's ROLLBACK
      // would then fail with "no transaction is active" and hide the real cause (a full disk) from the user.
      if (text === 'rollback' && !sqlite.inTransaction) return (nothing ??= sqlite.prepare('select 1 where 0'));
      let statement = cache.get(text);
      if (!statement) {
        statement = sqlite.prepare(text);
        if (cache.size >= size) cache.delete(cache.keys().next().value as string);
        cache.set(text, statement);
      }
      return statement;
    },
  };
}

/** The printable form of a database location: a PostgreSQL URL loses its password. */
export function describeLocation(location: string): string {
  if (!isPostgresUrl(location)) return location;
  try {
    const url = new URL(location);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return 'postgres://(unreadable URL)';
  }
}

/** Opens `location`: a `postgres://` URL, else an SQLite file path (`:memory:` included). */
export async function openStore(location: string): Promise<Store> {
  return isPostgresUrl(location) ? openPostgresStore(location) : openSqliteStore(location);
}

export async function openSqliteStore(file: string): Promise<SqliteStore> {
  const sqlite = openSqlite(file);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  await migrateToLatest(db);
  return { engine: 'sqlite', db, sqlite, file, location: file, writes: new WriteBatcher(db), sqliteWrites: new SqliteWriter({ sqlite, db }), close: () => db.destroy() };
}

export async function openPostgresStore(url: string): Promise<PostgresStore> {
  const pool = postgresPool(url);
  const db = new Kysely<Database>({ dialect: postgresDialect(pool) });
  try {
    // Kysely's migrator holds an advisory lock: two instances starting together migrate once.
    await migrateToLatest(db);
  } catch (error) {
    await db.destroy();
    if (error instanceof Problem) throw error;
    throw new Problem('internal', `Cannot open the PostgreSQL database ${describeLocation(url)}: ${(error as Error).message}. Check ENA_DATABASE_URL and that the server is running.`);
  }
  return { engine: 'postgres', db, pool, location: describeLocation(url), writes: new WriteBatcher(db), close: () => db.destroy() };
}
