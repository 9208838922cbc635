/**
 * The storage, API and exchange suites run on both engines: `describe.each(ENGINES)` and a store or
 * server from `testLocation(engine)`. SQLite gets a file in a temp folder, PostgreSQL a new database on
 * the cluster that test/support/globalSetup.ts started.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import type { Store, SqliteStore } from '../../src/storage/db.js';
import type { Engine } from '../../src/storage/dialect.js';
import { createDatabase } from './postgresCluster.js';

export const ENGINES: readonly Engine[] = ['sqlite', 'postgres'];

export function postgresAdminUrl(): string {
  const postgres = inject('postgres');
  if ('error' in postgres) throw new Error(`No PostgreSQL server for the tests: ${postgres.error}`);
  return postgres.adminUrl;
}

/** A fresh, empty database: an SQLite file path or a PostgreSQL URL, ready for openStore or ENA_DB/ENA_DATABASE_URL. */
export async function testLocation(engine: Engine, prefix = 'ena-test-'): Promise<string> {
  if (engine === 'postgres') return createDatabase(postgresAdminUrl());
  return join(await mkdtemp(join(tmpdir(), prefix)), 'ena.sqlite');
}

/** Environment that points an ENA process or config at `location`. */
export function databaseEnv(location: string): Record<string, string> {
  return location.startsWith('postgres') ? { ENA_DATABASE_URL: location } : { ENA_DB: location };
}

/** The SQLite handle of a store a test opened on SQLite (for pragmas); fails loudly on another engine. */
export function sqliteOf(store: Store): SqliteStore['sqlite'] {
  if (store.engine !== 'sqlite') throw new Error(`This check needs an SQLite store, not ${store.engine}`);
  return store.sqlite;
}
