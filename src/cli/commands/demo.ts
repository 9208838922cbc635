import type { Command } from 'commander';
import { resolve } from 'node:path';
import { Problem } from '../../shared/problem.js';

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('load the illustrative demo missions into ENA_DB (refuses a database holding real data)')
    .option('--dir <folder>', 'demo data folder (default: data/demo of the ENA installation)')
    .action(async (options: { dir?: string }) => {
      const [{ databaseLocation, loadConfig }, { createDemoAccounts, DEMO_DIR, formatDemoAccounts, loadDemoData }, { loadQuestionnaires }, { formatIssue }, { openStore }, { recordSnapshots }] = await Promise.all([
        import('../../config/env.js'), import('../../demo/loadDemo.js'), import('../../questionnaire/load.js'), import('../../questionnaire/yamlFile.js'),
        import('../../storage/db.js'), import('../../storage/questionnaireVersions.js'),
      ]);
      const config = loadConfig();
      const questionnaires = await loadQuestionnaires([config.questionnairesDir]);
      if (questionnaires.issues.length > 0) {
        throw new Problem('invalid_questionnaire', `The questionnaires have ${questionnaires.issues.length} problem(s):\n${questionnaires.issues.map(formatIssue).join('\n')}`);
      }
      const store = await openStore(databaseLocation(config));
      try {
        await recordSnapshots(store.db, questionnaires.questionnaires);
        const loaded = await loadDemoData(store.db, questionnaires, { dir: resolve(options.dir ?? DEMO_DIR), file: store.location });
        console.log(`Loaded demo data into ${store.location}: ${loaded.missions} mission(s) (${loaded.countries.join(', ')}), ${loaded.answers} answers. It is illustrative: demo data, not an assessment.`);
        const users = await store.db.selectFrom('users').select('id').limit(1).execute();
        if (users.length === 0) console.log(formatDemoAccounts(await createDemoAccounts(store.db, loaded.countries)));
      } finally {
        await store.close();
      }
    });
}
