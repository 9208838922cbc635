import type { Command } from 'commander';

export function registerAudit(program: Command): void {
  const audit = program.command('audit').description('the hash-chained audit log');
  audit
    .command('verify')
    .description('check that no audit row was changed or deleted (exit code 1 if the chain is broken)')
    .action(async () => {
      const [{ databaseLocation, loadConfig }, { verifyAuditChain }, { openStore }] = await Promise.all([
        import('../../config/env.js'), import('../../storage/audit.js'), import('../../storage/db.js'),
      ]);
      const config = loadConfig();
      const store = await openStore(databaseLocation(config));
      try {
        const result = await verifyAuditChain(store.db);
        if (result.ok) {
          console.log(`Audit chain intact: ${result.rows} row(s) verified in ${store.location}.`);
        } else {
          console.error(`Audit chain BROKEN at row ${result.brokenAt?.id}: ${result.brokenAt?.reason}. ${result.rows} row(s) before it are intact.`);
          console.error('Keep this database file as evidence and compare it with the latest backup.');
          process.exitCode = 1;
        }
      } finally {
        await store.close();
      }
    });
}
