/**
 * Entry point of the `ena` command: one subcommand per file in ./commands.
 *
 * Start-up rule: a command file imports statically only what defining the command needs (commander,
 * small pure helpers) and loads the rest inside its action with `await import(…)`. Printing help or
 * validating YAML must not load Express, Puppeteer, exceljs or the database (bench/startup.ts measures it).
 */
import { Command } from 'commander';
import { Problem } from '../shared/problem.js';
import { registerValidate } from './commands/validate.js';
import { registerServe } from './commands/serve.js';
import { registerUser } from './commands/user.js';
import { registerBackup } from './commands/backup.js';
import { registerAudit } from './commands/audit.js';
import { registerDb } from './commands/db.js';
import { registerDemo } from './commands/demo.js';
import { registerExport } from './commands/export.js';
import { registerBundle } from './commands/bundle.js';
import { registerReport } from './commands/report.js';

const program = new Command('ena')
  .description('ENA — e-Evidence Needs Assessment')
  .showHelpAfterError();

registerValidate(program);
registerServe(program);
registerUser(program);
registerBackup(program);
registerAudit(program);
registerDb(program);
registerDemo(program);
registerExport(program);
registerBundle(program);
registerReport(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof Problem) {
    console.error(error.message);
    for (const detail of error.details) if (!error.message.includes(detail.message)) console.error(`  ${detail.path}: ${detail.message}`);
    process.exitCode = 1;
  } else {
    throw error;
  }
}
