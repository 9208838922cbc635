import type { Command } from 'commander';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('start the ENA web server (PORT, HOST, ENA_DB, ENA_QUESTIONNAIRES)')
    .option('--demo', 'on an empty database: load demo data and create demo accounts (passwords printed once)')
    .action(async (options: { demo?: boolean }) => {
      const [{ loadConfig }, { listUsers }, { startServer }, { startBanner }] = await Promise.all([
        import('../../config/env.js'), import('../../storage/users.js'), import('../../web/server.js'), import('../startBanner.js'),
      ]);
      const config = loadConfig();
      const running = await startServer(config, { demo: options.demo === true });
      // Every start says where to sign in and with which accounts (see startBanner.ts).
      console.log(startBanner({ url: running.url, users: await listUsers(running.store.db), created: running.demoAccounts }));
      const stop = (): void => void running.close().then(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
