import type { Command } from 'commander';
import { Problem } from '../../shared/problem.js';
import { resolve } from 'node:path';

export function registerDb(program: Command): void {
  const db = program.command('db').description('the database as a whole');
  db
    .command('copy')
    .description('copy every table into an empty database: SQLite → PostgreSQL (--to postgres://…) or PostgreSQL → SQLite (--from postgres://… --to file); the other side defaults to the configured database (ENA_DATABASE_URL or ENA_DB)')
    .option('--from <database>', 'source: a postgres:// URL or an SQLite file (default: the configured database)')
    .option('--to <database>', 'target, empty: a postgres:// URL or an SQLite file (default: the configured database)')
    .action(async (options: { from?: string; to?: string }) => {
      if (!options.from && !options.to) throw Problem.validation('Say where to copy: `ena db copy --to postgres://user@host/ena` (from the configured database) or `ena db copy --from postgres://… --to offline.sqlite`.', [{ path: 'to', message: 'missing' }]);
      const [{ databaseLocation, loadConfig }, { copyDatabase }, { isPostgresUrl }] = await Promise.all([
        import('../../config/env.js'), import('../../storage/copy.js'), import('../../storage/dialect.js'),
      ]);
      const asLocation = (value: string): string => (isPostgresUrl(value) ? value : resolve(value));
      const configured = databaseLocation(loadConfig());
      const from = options.from ? asLocation(options.from) : configured;
      const to = options.to ? asLocation(options.to) : configured;
      const result = await copyDatabase(from, to);
      for (const { table, rows } of result.tables) console.log(`  ${table.padEnd(28)} ${rows}`);
      console.log(`Copied ${result.tables.reduce((n, t) => n + t.rows, 0)} row(s) in ${result.tables.length} table(s) from ${result.from} to ${result.to}; audit chain verified on the copy (${result.auditRows} row(s)).`);
    });
}
