import type { Command } from 'commander';
import { resolve } from 'node:path';
import type { Config } from '../../config/env.js';
import { Problem } from '../../shared/problem.js';

const describe = (c: { users: number; missions: number; answers: number; bytes: number }): string =>
  `${c.users} user(s), ${c.missions} mission(s), ${c.answers} answer(s), ${(c.bytes / 1024).toFixed(0)} KiB`;

/**
 * PostgreSQL is backed up with its own tools, which every central IT department already runs (and which
 * see the whole server: roles, point-in-time recovery). ENA says how instead of doing it half.
 */
export function postgresBackupAdvice(shown: string): string {
  return [
    `ENA_DATABASE_URL is set: the data is in PostgreSQL (${shown}), which is backed up with pg_dump, not by ENA.`,
    'Back up (consistent while ENA keeps running):',
    `  pg_dump --format=custom --file=ena-$(date +%F).dump "${shown}"`,
    'Restore (stop every ENA instance first, into an empty database):',
    `  pg_restore --clean --if-exists --no-owner --dbname="${shown}" ena-YYYY-MM-DD.dump`,
    'Then run `npx ena audit verify` to check the audit chain. For an offline SQLite copy: `npx ena db copy --from <url> --to <file>`.',
  ].join('\n');
}

async function refusePostgres(config: Config): Promise<void> {
  if (!config.databaseUrl) return;
  const { describeLocation } = await import('../../storage/db.js');
  throw new Problem('validation_failed', postgresBackupAdvice(describeLocation(config.databaseUrl)));
}

export function registerBackup(program: Command): void {
  program
    .command('backup')
    .description('copy the database (ENA_DB) to <file> while ENA keeps running (SQLite online backup; on PostgreSQL it explains pg_dump)')
    .argument('<file>', 'where to write the backup, e.g. data/backups/ena-2025-06-13.sqlite')
    .action(async (file: string) => {
      const [{ loadConfig }, { backupDatabase }, { openSqlite }] = await Promise.all([
        import('../../config/env.js'), import('../../storage/backup.js'), import('../../storage/db.js'),
      ]);
      const config = loadConfig();
      await refusePostgres(config);
      const sqlite = openSqlite(config.dbFile);
      try {
        const check = await backupDatabase(sqlite, resolve(file));
        console.log(`Backed up ${config.dbFile} to ${check.file}: ${describe(check)}; integrity ok.`);
      } finally {
        sqlite.close();
      }
    });

  program
    .command('restore')
    .description('replace the database (ENA_DB) with a backup; stop ENA first')
    .argument('<file>', 'a file written by `ena backup`')
    .action(async (file: string) => {
      const [{ loadConfig }, { restoreDatabase }] = await Promise.all([import('../../config/env.js'), import('../../storage/backup.js')]);
      const config = loadConfig();
      await refusePostgres(config);
      const { check, keptAs } = await restoreDatabase(resolve(file), config.dbFile);
      console.log(`Restored ${check.file} into ${config.dbFile}: ${describe(check)}.`);
      if (keptAs) console.log(`The database it replaced was kept as ${keptAs}.`);
      console.log('Start ENA again (npm start or npx ena serve).');
    });
}
