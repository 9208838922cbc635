import type { Command } from 'commander';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('start the ENA web server (PORT, HOST, ENA_DB, ENA_QUESTIONNAIRES)')
    .option('--demo', 'on an empty database: load demo data and create demo accounts (printed once)')
    .action(async (options: { demo?: boolean }) => {
      const [{ loadConfig }, { formatDemoAccounts }, { startServer }] = await Promise.all([
        import('../../config/env.js'), import('../../demo/loadDemo.js'), import('../../web/server.js'),
      ]);
      const config = loadConfig();
      const running = await startServer(config, { demo: options.demo === true });
      if (running.demoAccounts.length > 0) console.log(formatDemoAccounts(running.demoAccounts));
      console.log(`ENA is listening on ${running.url}`);
      const stop = (): void => void running.close().then(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
