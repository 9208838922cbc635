import type { Command } from 'commander';
import { loadConfig } from '../../config/env.js';
import { loadQuestionnaires } from '../../questionnaire/load.js';
import { formatIssue } from '../../questionnaire/yamlFile.js';
import type { Questionnaire } from '../../questionnaire/model.js';
import { countsInScore } from '../../questionnaire/schema.js';
import { coreIndicators } from '../../questionnaire/setCheck.js';

const scoredCount = (q: Questionnaire): number => q.questions.filter((p) => countsInScore(p.question)).length;

function summaryTable(questionnaires: readonly Questionnaire[]): string {
  const rows = questionnaires.map((q) =>
    `| \`${q.id}\` | ${q.title.en} | ${q.sections.length} | ${scoredCount(q)} | ${q.questions.length - scoredCount(q)} | ${q.sections.map((s) => s.title.en).join('; ')} |`);
  return ['| id | title | sections | scored indicators | unscored fields | sections |', '|---|---|---|---|---|---|', ...rows].join('\n');
}

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('check questionnaire YAML files (default: the ENA_QUESTIONNAIRES folder) and print every problem')
    .argument('[paths...]', 'questionnaire files or folders')
    .option('--summary', 'also print a Markdown table of questionnaires, sections and indicator counts')
    .action(async (paths: string[], options: { summary?: boolean }) => {
      const config = loadConfig();
      const targets = paths.length > 0 ? paths : [config.questionnairesDir];
      const result = await loadQuestionnaires(targets);
      for (const issue of result.issues) console.error(formatIssue(issue));
      const indicators = result.questionnaires.reduce((n, q) => n + scoredCount(q), 0);
      if (options.summary) {
        console.log(summaryTable(result.questionnaires));
        console.log(`core: ${coreIndicators(result.questionnaires).length} scored indicators`);
      }
      if (result.issues.length > 0) {
        console.error(`✗ ${result.issues.length} problem(s) in ${result.filesChecked} file(s); nothing was changed. Fix them and run ena validate again.`);
        process.exitCode = 1;
      } else {
        console.log(`✓ ${result.questionnaires.length} questionnaire(s), ${indicators} scored indicators, ${result.catalogue.references.size} references: all valid.`);
      }
    });
}
