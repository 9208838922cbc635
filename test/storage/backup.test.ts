/** Backup while writing, restore, compare: the restored database holds exactly what was backed up. */
import { execFile } from 'node:child_process';
import { copyFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { describe, expect, it } from 'vitest';
import { saveAnswer } from '../../src/storage/answers.js';
import { createAssessment } from '../../src/storage/assessments.js';
import { SYSTEM, verifyAuditChain } from '../../src/storage/audit.js';
import { backupDatabase, checkBackup, restoreDatabase } from '../../src/storage/backup.js';
import { createCountry } from '../../src/storage/countries.js';
import { openSqlite, openSqliteStore, type Store } from '../../src/storage/db.js';
import { migrations } from '../../src/storage/migrations/index.js';
import { createMission } from '../../src/storage/missions.js';
import type { Database } from '../../src/storage/schema.js';
import { Problem } from '../../src/shared/problem.js';
import { FIXTURES, tempDbFile } from '../api/helpers.js';

const run = promisify(execFile);
const ENA = join(import.meta.dirname, '..', '..', 'bin', 'ena.js');

/** Every row of every table, in a stable order: two databases with equal dumps hold the same data. */
function dump(file: string): Record<string, unknown[]> {
  const db = new SQLite(file, { readonly: true });
  const tables = (db.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name").all() as { name: string }[]).map((t) => t.name);
  const result = Object.fromEntries(tables.map((t) => [t, db.prepare(`select * from "${t}" order by 1, 2`).all()]));
  db.close();
  return result;
}

async function seed(store: Store, answers: number): Promise<number> {
  await createCountry(store.db, SYSTEM, { code: 'KZ', name: { en: 'Kazakhstan', ru: 'Казахстан' } });
  const mission = await createMission(store.db, SYSTEM, { countryCode: 'KZ', title: 'Mission', startsOn: '2025-06-11', endsOn: '2025-06-13' });
  const assessment = await createAssessment(store.db, SYSTEM, { missionId: mission.id, questionnaireId: 'preservation-demo', questionnaireVersion: 1 });
  for (let i = 0; i < answers; i++) await saveAnswer(store.db, SYSTEM, { assessmentId: assessment.id, questionId: `q${i}`, value: i % 5, note: `ноте ${i}`, baseRevision: 0 });
  return assessment.id;
}

describe('backup and restore', () => {
  it('backs up a live database while it is being written, and the restore equals the backup', async () => {
    const file = await tempDbFile('ena-backup-');
    const store = await openSqliteStore(file);
    const assessmentId = await seed(store, 50);
    // Keep writing during the backup: the copy must be one consistent state, not a mix.
    let writing = true;
    const writer = (async () => {
      for (let i = 0; writing; i++) {
        await saveAnswer(store.db, SYSTEM, { assessmentId, questionId: `late${i}`, value: 1, baseRevision: 0 });
        // better-sqlite3 answers synchronously: yield like a server between requests, so the backup steps run.
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    const backupFile = join(dirname(file), 'backup.sqlite');
    const check = await backupDatabase(store.sqlite, backupFile);
    writing = false;
    await writer;
    expect(check).toMatchObject({ users: 0, missions: 1 });
    expect(check.answers).toBeGreaterThanOrEqual(50);
    const backedUp = dump(backupFile);
    // The copy is consistent: each answer has its history row and its audit row.
    expect((backedUp.answer_history ?? []).length).toBe(check.answers);
    // Written after the backup: lost by the restore, but kept in the replaced database.
    for (const id of ['after1', 'after2']) await saveAnswer(store.db, SYSTEM, { assessmentId, questionId: id, value: 2, baseRevision: 0 });
    await store.close();

    const { keptAs } = await restoreDatabase(backupFile, file);
    expect(keptAs).toMatch(/before-restore-/);
    expect(dump(file)).toEqual(backedUp);
    const restored = await openSqliteStore(file);
    expect((await verifyAuditChain(restored.db)).ok).toBe(true);
    expect(restored.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
    await restored.close();
    // The replaced database was kept and holds the later writes.
    expect((dump(keptAs ?? '').answers ?? []).length).toBe(check.answers + 2);
  });

  it('works through the ena command: backup, restore, compare', async () => {
    const file = await tempDbFile('ena-backup-cli-');
    const store = await openSqliteStore(file);
    await seed(store, 5);
    await store.close();
    const env = { ...process.env, ENA_DB: file, ENA_QUESTIONNAIRES: FIXTURES };
    const backupFile = join(dirname(file), 'nightly.sqlite');
    const backedUp = await run('node', [ENA, 'backup', backupFile], { env });
    expect(backedUp.stdout).toMatch(/Backed up .* 1 mission\(s\), 5 answer\(s\).*integrity ok/);
    const before = dump(backupFile);
    const target = join(dirname(file), 'restored.sqlite');
    const restored = await run('node', [ENA, 'restore', backupFile], { env: { ...env, ENA_DB: target } });
    expect(restored.stdout).toMatch(/Restored .* into .*restored\.sqlite/);
    expect(dump(target)).toEqual(before);
  });

  it('upgrades a backup taken by an older version when restoring it', async () => {
    const file = await tempDbFile('ena-backup-old-');
    const old = new Kysely<Database>({ dialect: new SqliteDialect({ database: openSqlite(file) }) });
    await new Migrator({ db: old, provider: { getMigrations: async () => migrations } }).migrateTo('0001_initial');
    await old.insertInto('countries').values({ code: 'UZ', name_en: 'Uzbekistan', name_ru: 'Узбекистан' }).execute();
    await old.destroy();
    const target = join(dirname(file), 'new.sqlite');
    await restoreDatabase(file, target);
    const store = await openSqliteStore(target);
    expect(await store.db.selectFrom('countries').selectAll().execute()).toEqual([{ code: 'UZ', name_en: 'Uzbekistan', name_ru: 'Узбекистан' }]);
    expect(await store.db.selectFrom('questionnaire_snapshots').selectAll().execute()).toEqual([]);
    await store.close();
  });

  it('refuses damaged, foreign and missing files and leaves the database untouched', async () => {
    const file = await tempDbFile('ena-backup-bad-');
    const store = await openSqliteStore(file);
    await seed(store, 3);
    await store.close();
    const before = dump(file);
    const dir = dirname(file);
    writeFileSync(join(dir, 'notes.txt'), 'not a database');
    const foreign = new SQLite(join(dir, 'foreign.sqlite'));
    foreign.exec('create table t (x)');
    foreign.close();
    copyFileSync(file, join(dir, 'damaged.sqlite'));
    const damaged = new SQLite(join(dir, 'damaged.sqlite'));
    damaged.pragma('journal_mode = DELETE');
    damaged.close();
    // Overwrite the middle of the file: pages no longer match their b-tree.
    const bytes = Buffer.alloc(4096, 0xab);
    const fd = (await import('node:fs')).openSync(join(dir, 'damaged.sqlite'), 'r+');
    (await import('node:fs')).writeSync(fd, bytes, 0, bytes.length, 4096 * 3);
    (await import('node:fs')).closeSync(fd);
    for (const [name, message] of [['notes.txt', /not a readable SQLite database/], ['foreign.sqlite', /not an ENA database/], ['missing.sqlite', /was not found/], ['damaged.sqlite', /damaged|not a readable/]] as const) {
      const error = await restoreDatabase(join(dir, name), file).catch((e: unknown) => e);
      expect(error, name).toBeInstanceOf(Problem);
      expect((error as Problem).message, name).toMatch(message);
    }
    expect(dump(file)).toEqual(before);
    expect(() => checkBackup(file)).not.toThrow();
  });
});
