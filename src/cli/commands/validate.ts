import type { Command } from 'commander';
import { loadConfig } from '../../config/env.js';
import { loadQuestionnaires } from '../../questionnaire/load.js';
import { formatIssue } from '../../questionnaire/yamlFile.js';

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('check questionnaire YAML files (default: the ENA_QUESTIONNAIRES folder) and print every problem')
    .argument('[paths...]', 'questionnaire files or folders')
    .action(async (paths: string[]) => {
      const config = loadConfig();
      const targets = paths.length > 0 ? paths : [config.questionnairesDir];
      const result = await loadQuestionnaires(targets);
      for (const issue of result.issues) console.error(formatIssue(issue));
      const indicators = result.questionnaires.reduce((n, q) => n + q.questions.filter((p) => p.question.type !== 'text' && p.question.type !== 'date').length, 0);
      if (result.issues.length > 0) {
        console.error(`✗ ${result.issues.length} problem(s) in ${result.filesChecked} file(s); nothing was changed. Fix them and run ena validate again.`);
        process.exitCode = 1;
      } else {
        console.log(`✓ ${result.questionnaires.length} questionnaire(s), ${indicators} scored indicators, ${result.catalogue.references.size} references: all valid.`);
      }
    });
}
