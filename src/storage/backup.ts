/**
 * Online backup and restore with SQLite's backup API (better-sqlite3 `db.backup`): a consistent copy is
 * taken page by page while ENA keeps serving, and a restore writes through SQLite too, so WAL files are
 * never left behind to mix old and new pages.
 *
 * Restore procedure (docs/API.md, "Backup and restore"): stop ENA, `ena restore <file>`, start ENA.
 * The restore checks the backup first, keeps the replaced database as <db>.before-restore-<time>, and
 * migrates a backup taken by an older ENA version to the current schema.
 */
import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import SQLite from 'better-sqlite3';
import { Problem } from '../shared/problem.js';
import { openStore } from './db.js';
import { migrations } from './migrations/index.js';

export interface BackupCheck {
  file: string;
  bytes: number;
  migrations: string[];
  users: number;
  missions: number;
  answers: number;
}

/** Checks that `file` is an intact ENA database this version can open; throws a Problem saying why not. */
export function checkBackup(file: string): BackupCheck {
  if (!existsSync(file)) throw Problem.notFound(`Backup file ${file}`);
  let db: SQLite.Database | undefined;
  try {
    db = new SQLite(file, { readonly: true, fileMustExist: true });
    const integrity = db.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') throw new Problem('validation_failed', `${file} is damaged (integrity_check: ${String(integrity)}). Use an older backup.`);
    const tables = new Set((db.prepare("select name from sqlite_master where type = 'table'").all() as { name: string }[]).map((t) => t.name));
    if (!tables.has('kysely_migration') || !tables.has('users') || !tables.has('answers')) {
      throw new Problem('validation_failed', `${file} is an SQLite file but not an ENA database (no ENA tables).`);
    }
    const applied = (db.prepare('select name from kysely_migration order by name').all() as { name: string }[]).map((m) => m.name);
    const unknown = applied.filter((name) => !(name in migrations));
    if (unknown.length > 0) {
      throw new Problem('validation_failed', `${file} was written by a newer ENA (migrations ${unknown.join(', ')} are unknown here). Upgrade ENA before restoring it.`);
    }
    const count = (table: string): number => (db?.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
    return { file, bytes: statSync(file).size, migrations: applied, users: count('users'), missions: count('missions'), answers: count('answers') };
  } catch (error) {
    if (error instanceof Problem) throw error;
    throw new Problem('validation_failed', `${file} is not a readable SQLite database: ${(error as Error).message}.`);
  } finally {
    db?.close();
  }
}

/**
 * Copies the live database `source` into `destination`. Written to a temporary file first and renamed,
 * so an interrupted backup never leaves a half-written file under the final name.
 */
export async function backupDatabase(source: SQLite.Database, destination: string): Promise<BackupCheck> {
  const partial = `${destination}.partial`;
  rmSync(partial, { force: true });
  try {
    await source.backup(partial);
    // A backup is one self-contained file: switch the copy out of WAL mode.
    const copy = new SQLite(partial);
    copy.pragma('journal_mode = DELETE');
    copy.close();
    checkBackup(partial);
    renameSync(partial, destination);
  } finally {
    rmSync(partial, { force: true });
  }
  return checkBackup(destination);
}

/**
 * Replaces the database at `target` with the backup `file`. Returns where the replaced database was kept
 * (undefined when there was none). Run it while ENA is stopped.
 */
export async function restoreDatabase(file: string, target: string, now = new Date()): Promise<{ check: BackupCheck; keptAs: string | undefined }> {
  const check = checkBackup(file);
  let keptAs: string | undefined;
  if (existsSync(target)) {
    keptAs = `${target}.before-restore-${now.toISOString().replace(/[:.]/g, '-')}`;
    const current = new SQLite(target);
    try {
      await backupDatabase(current, keptAs);
    } finally {
      current.close();
    }
  }
  const backup = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    // Writing through SQLite into the target keeps its WAL and journal consistent with the new pages.
    await backup.backup(target);
  } finally {
    backup.close();
  }
  // A backup from an older ENA version is brought up to the current schema now, not at the next start.
  const store = await openStore(target);
  await store.close();
  return { check, keptAs };
}
