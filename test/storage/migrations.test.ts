/** Migrations: an empty database and a database created at a previous version both reach the latest schema. */
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrateToLatest, openSqlite, openSqliteStore } from '../../src/storage/db.js';
import { migrations } from '../../src/storage/migrations/index.js';
import type { Database } from '../../src/storage/schema.js';
import { tempDbFile } from '../api/helpers.js';

const latest = Object.keys(migrations).sort();

describe('migrations', () => {
  it('bring an empty database to the latest version', async () => {
    const store = await openSqliteStore(await tempDbFile('ena-mig-'));
    const applied = await store.db.selectFrom('kysely_migration' as never).select('name' as never).orderBy('name' as never).execute() as { name: string }[];
    expect(applied.map((m) => m.name)).toEqual(latest);
    const tables = store.sqlite.prepare("select name from sqlite_master where type = 'table' order by name").all() as { name: string }[];
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['users', 'sessions', 'countries', 'missions', 'assessments', 'answers', 'answer_history', 'section_reviews', 'review_comments', 'target_overrides', 'generated_reports', 'audit_log', 'questionnaire_snapshots']));
    expect(store.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.sqlite.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(store.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    await store.close();
  });

  it('upgrade a database created at the first version without losing its data', async () => {
    const file = await tempDbFile('ena-mig-');
    const old = new Kysely<Database>({ dialect: new SqliteDialect({ database: openSqlite(file) }) });
    const migrator = new Migrator({ db: old, provider: { getMigrations: async () => migrations } });
    expect((await migrator.migrateTo('0001_initial')).error).toBeUndefined();
    const now = '2025-06-11T09:00:00.000Z';
    await old.insertInto('countries').values({ code: 'KZ', name_en: 'Kazakhstan', name_ru: 'Казахстан' }).execute();
    await old.insertInto('users').values({ email: 'e@example.org', name: 'E', password_hash: 'scrypt$1$8$1$a$b', role: 'expert', language: 'ru', created_at: now, disabled_at: null }).execute();
    await old.insertInto('missions').values({ country_code: 'KZ', title: 'Old mission', starts_on: '2025-06-11', ends_on: '2025-06-13', team: '["A"]', institutions_met: '[]', status: 'completed', created_at: now, updated_at: now }).execute();
    await old.insertInto('assessments').values({ mission_id: 1, questionnaire_id: 'preservation-demo', questionnaire_version: 1, created_at: now }).execute();
    await old.insertInto('answers').values({ assessment_id: 1, question_id: 'preservation-power', value: '3', note: 'Приказ № 12', source: null, evidence: 'documented', revision: 4, author_id: 1, updated_at: now }).execute();
    const before = {
      users: await old.selectFrom('users').selectAll().execute(),
      missions: await old.selectFrom('missions').selectAll().execute(),
      answers: await old.selectFrom('answers').selectAll().execute(),
    };
    expect(await old.selectFrom('kysely_migration' as never).select('name' as never).execute()).toEqual([{ name: '0001_initial' }]);
    await old.destroy();

    const store = await openSqliteStore(file);
    const applied = await store.db.selectFrom('kysely_migration' as never).select('name' as never).orderBy('name' as never).execute() as { name: string }[];
    expect(applied.map((m) => m.name)).toEqual(latest);
    // 0232: an existing user's password is their own, not a temporary one.
    expect(await store.db.selectFrom('users').selectAll().execute()).toEqual(before.users.map((u) => ({ ...u, must_change_password: 0 })));
    // 0210 gives missions a scope; an existing mission keeps the whole questionnaire set.
    expect(await store.db.selectFrom('missions').selectAll().execute()).toEqual(before.missions.map((m) => ({ ...m, scope: 'full' })));
    expect(await store.db.selectFrom('answers').selectAll().execute()).toEqual(before.answers);
    expect(await store.db.selectFrom('questionnaire_snapshots').selectAll().execute()).toEqual([]);
    // Migrating again is a no-op.
    expect((await migrateToLatest(store.db)).results).toEqual([]);
    await store.close();
  });

  it('run down again to the first version and back up (every migration is reversible)', async () => {
    const store = await openSqliteStore(await tempDbFile('ena-mig-'));
    const migrator = new Migrator({ db: store.db, provider: { getMigrations: async () => migrations } });
    expect((await migrator.migrateTo('0001_initial')).error).toBeUndefined();
    expect((await migrator.migrateToLatest()).error).toBeUndefined();
    await store.close();
  });
});
