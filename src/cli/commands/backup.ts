import type { Command } from 'commander';
import { resolve } from 'node:path';

const describe = (c: { users: number; missions: number; answers: number; bytes: number }): string =>
  `${c.users} user(s), ${c.missions} mission(s), ${c.answers} answer(s), ${(c.bytes / 1024).toFixed(0)} KiB`;

export function registerBackup(program: Command): void {
  program
    .command('backup')
    .description('copy the database (ENA_DB) to <file> while ENA keeps running (SQLite online backup)')
    .argument('<file>', 'where to write the backup, e.g. data/backups/ena-2025-06-13.sqlite')
    .action(async (file: string) => {
      const [{ loadConfig }, { backupDatabase }, { openSqlite }] = await Promise.all([
        import('../../config/env.js'), import('../../storage/backup.js'), import('../../storage/db.js'),
      ]);
      const config = loadConfig();
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
      const { check, keptAs } = await restoreDatabase(resolve(file), config.dbFile);
      console.log(`Restored ${check.file} into ${config.dbFile}: ${describe(check)}.`);
      if (keptAs) console.log(`The database it replaced was kept as ${keptAs}.`);
      console.log('Start ENA again (npm start or npx ena serve).');
    });
}
