import type { Command } from 'commander';
import { loadConfig } from '../../config/env.js';
import { startServer } from '../../web/server.js';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('start the ENA web server (PORT, HOST, ENA_DB, ENA_QUESTIONNAIRES)')
    .option('--demo', 'load demo data when the database is empty')
    .action(async () => {
      const config = loadConfig();
      const running = await startServer(config);
      console.log(`ENA is listening on ${running.url}`);
      const stop = (): void => void running.close().then(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
