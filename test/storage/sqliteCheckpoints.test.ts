/** WAL checkpoints in a worker thread: the log is copied into the database file without any commit doing it. */
import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { openSqlite } from '../../src/storage/db.js';
import { startBackgroundCheckpoints } from '../../src/storage/sqliteCheckpoints.js';
import { tempDbFile } from '../api/helpers.js';

/** Commits `commits` transactions of 20 rows of 2 KB: about 10 WAL pages each. */
function write(sqlite: ReturnType<typeof openSqlite>, commits: number): void {
  const insert = sqlite.prepare('insert into t (v) values (?)');
  const many = sqlite.transaction((n: number) => { for (let i = 0; i < 20; i++) insert.run(`${n}:${'x'.repeat(2000)}`); });
  for (let n = 0; n < commits; n++) many(n);
}

async function until(condition: () => boolean, ms = 10_000): Promise<boolean> {
  for (const started = Date.now(); Date.now() - started < ms;) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return condition();
}

describe('background WAL checkpoints', () => {
  it('copy the log into the database file while the writing connection never checkpoints', async () => {
    const file = await tempDbFile('ena-ckpt-');
    const sqlite = openSqlite(file);
    sqlite.exec('create table t (id integer primary key, v text not null)');
    const checkpoints = startBackgroundCheckpoints(sqlite, file, (error) => { throw error; });
    try {
      expect(sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
      const before = statSync(file).size;
      write(sqlite, 150); // ~1500 pages: past the default autocheckpoint threshold of 1000
      // Only the worker can have moved ~6 MB of pages from the WAL into the main file.
      expect(await until(() => statSync(file).size > before + 4_000_000)).toBe(true);
      expect((sqlite.prepare('select count(*) as n from t').get() as { n: number }).n).toBe(3000);
    } finally {
      await checkpoints.stop();
    }
    // Stopped: the connection checkpoints on commit again, as SQLite does by default.
    expect(sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    expect(sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
    sqlite.close();
  });

  it('stop cleanly in a process with nothing else to do (no exit before the worker has finished)', async () => {
    const file = await tempDbFile('ena-ckpt-');
    const script = join(dirname(file), 'stop.mts');
    const src = join(import.meta.dirname, '..', '..', 'src', 'storage');
    await writeFile(script, [
      `import { openSqlite } from ${JSON.stringify(join(src, 'db.ts'))};`,
      `import { startBackgroundCheckpoints } from ${JSON.stringify(join(src, 'sqliteCheckpoints.ts'))};`,
      `const sqlite = openSqlite(${JSON.stringify(file)});`,
      `await startBackgroundCheckpoints(sqlite, ${JSON.stringify(file)}).stop();`,
      'sqlite.close();',
      "console.log('stopped');",
    ].join('\n'));
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script]);
    expect(stdout.trim()).toBe('stopped');
  });

  it('leave the database file alone without the worker (the control: autocheckpoint off, nobody checkpoints)', async () => {
    const file = await tempDbFile('ena-ckpt-');
    const sqlite = openSqlite(file);
    sqlite.exec('create table t (id integer primary key, v text not null)');
    sqlite.pragma('wal_autocheckpoint = 0');
    const before = statSync(file).size;
    write(sqlite, 150);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(statSync(file).size).toBe(before);
    sqlite.close();
  });
});
