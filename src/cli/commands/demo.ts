import type { Command } from 'commander';
import { resolve } from 'node:path';
import { databaseLocation, loadConfig } from '../../config/env.js';
import { createDemoAccounts, DEMO_DIR, formatDemoAccounts, loadDemoData } from '../../demo/loadDemo.js';
import { loadQuestionnaires } from '../../questionnaire/load.js';
import { formatIssue } from '../../questionnaire/yamlFile.js';
import { Problem } from '../../shared/problem.js';
import { openStore } from '../../storage/db.js';
import { recordSnapshots } from '../../storage/questionnaireVersions.js';

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('load the illustrative demo missions into ENA_DB (refuses a database holding real data)')
    .option('--dir <folder>', 'demo data folder', DEMO_DIR)
    .action(async (options: { dir: string }) => {
      const config = loadConfig();
      const questionnaires = await loadQuestionnaires([config.questionnairesDir]);
      if (questionnaires.issues.length > 0) {
        throw new Problem('invalid_questionnaire', `The questionnaires have ${questionnaires.issues.length} problem(s):\n${questionnaires.issues.map(formatIssue).join('\n')}`);
      }
      const store = await openStore(databaseLocation(config));
      try {
        await recordSnapshots(store.db, questionnaires.questionnaires);
        const loaded = await loadDemoData(store.db, questionnaires, { dir: resolve(options.dir), file: store.location });
        console.log(`Loaded demo data into ${store.location}: ${loaded.missions} mission(s) (${loaded.countries.join(', ')}), ${loaded.answers} answers. It is illustrative: demo data, not an assessment.`);
        const users = await store.db.selectFrom('users').select('id').limit(1).execute();
        if (users.length === 0) console.log(formatDemoAccounts(await createDemoAccounts(store.db, loaded.countries)));
      } finally {
        await store.close();
      }
    });
}
