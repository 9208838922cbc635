/**
 * `ena db copy` round-trips the demo database SQLite → PostgreSQL → SQLite through the real command:
 * every table arrives row for row, `ena audit verify` passes on each copy, new rows get fresh ids after
 * the copy, and a target that already holds data is refused untouched.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { SYSTEM, verifyAuditChain } from '../../src/storage/audit.js';
import { createMission } from '../../src/storage/missions.js';
import type { Store } from '../../src/storage/db.js';
import { tablesInCopyOrder } from '../../src/storage/copy.js';
import { withStore } from '../api/helpers.js';
import { databaseEnv, testLocation } from '../support/engines.js';

const ROOT = join(import.meta.dirname, '..', '..');
const ENA = join(ROOT, 'bin', 'ena.js');

async function ena(args: string[], location: string): Promise<{ stdout: string; stderr: string; code: number }> {
  const { ENA_DB: _file, ENA_DATABASE_URL: _url, ...inherited } = process.env;
  const env = { ...inherited, ENA_QUESTIONNAIRES: join(ROOT, 'questionnaires'), ...databaseEnv(location) };
  return promisify(execFile)('node', [ENA, ...args], { env, cwd: ROOT }).then(
    ({ stdout, stderr }) => ({ stdout, stderr, code: 0 }),
    (error: { stdout: string; stderr: string; code: number }) => ({ stdout: error.stdout, stderr: error.stderr, code: error.code }),
  );
}

/** Every row of every table, sorted by all columns: equal dumps mean equal databases. */
async function dumpAll(store: Store): Promise<Record<string, unknown[]>> {
  const result: Record<string, unknown[]> = {};
  for (const table of await tablesInCopyOrder(store.db)) {
    const rows = (await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(store.db)).rows;
    result[table] = rows.map((r) => JSON.stringify(Object.entries(r).sort(([a], [b]) => a.localeCompare(b)))).sort();
  }
  return result;
}

describe('ena db copy', () => {
  it('round-trips the demo database SQLite → PostgreSQL → SQLite with the audit chain verifying on each copy', async () => {
    const pilot = await testLocation('sqlite', 'ena-copy-');
    const central = await testLocation('postgres');
    const offline = await testLocation('sqlite', 'ena-copy-back-');
    expect((await ena(['demo'], pilot)).stdout).toMatch(/Loaded demo data/);

    const there = await ena(['db', 'copy', '--to', central], pilot);
    expect(there.stderr).toBe('');
    expect(there.stdout).toMatch(/audit chain verified on the copy \(\d+ row\(s\)\)/);
    expect((await ena(['audit', 'verify'], central)).stdout).toMatch(/Audit chain intact: \d+ row\(s\) verified in postgres:\/\//);

    const back = await ena(['db', 'copy', '--from', central, '--to', offline], pilot);
    expect(back.stderr).toBe('');
    expect((await ena(['audit', 'verify'], offline)).stdout).toMatch(/Audit chain intact/);

    const dumps = await Promise.all([pilot, central, offline].map((location) => withStore(location, dumpAll)));
    expect(Object.keys(dumps[0] ?? {})).toEqual(expect.arrayContaining(['users', 'missions', 'answers', 'answer_history', 'audit_log', 'questionnaire_snapshots']));
    expect((dumps[0]?.answers ?? []).length).toBeGreaterThan(50);
    expect(dumps[1]).toEqual(dumps[0]);
    expect(dumps[2]).toEqual(dumps[0]);

    // After the copy, PostgreSQL hands out ids after the copied ones, and the chain goes on.
    await withStore(central, async (store) => {
      const copiedIds = (await store.db.selectFrom('missions').select('id').execute()).map((m) => m.id);
      const mission = await createMission(store.db, SYSTEM, { countryCode: 'KZ', title: 'After the copy', startsOn: '2026-01-10', endsOn: '2026-01-12' });
      expect(mission.id).toBeGreaterThan(Math.max(...copiedIds));
      expect(await verifyAuditChain(store.db)).toMatchObject({ ok: true });
    });

    // A target holding data is refused and left as it was.
    const before = await withStore(offline, dumpAll);
    const refused = await ena(['db', 'copy', '--from', central, '--to', offline], pilot);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/already holds data .*Copy only into an empty database/);
    expect(await withStore(offline, dumpAll)).toEqual(before);
  }, 300_000); // seven `ena` processes and the whole demo database: minutes on a loaded 2-core machine

  it('explains pg_dump instead of backing up a PostgreSQL database', async () => {
    const central = await testLocation('postgres');
    const reply = await ena(['backup', join(ROOT, 'test', '.tmp', 'never.sqlite')], central);
    expect(reply.code).toBe(1);
    expect(reply.stderr).toMatch(/pg_dump --format=custom/);
    expect(reply.stderr).toMatch(/pg_restore/);
  });
});
