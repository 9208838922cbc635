import type { Command } from 'commander';
import type { Questionnaire } from '../../questionnaire/model.js';

type CountsInScore = typeof import('../../questionnaire/schema.js').countsInScore;

const scoredCount = (q: Questionnaire, countsInScore: CountsInScore): number => q.questions.filter((p) => countsInScore(p.question)).length;

function summaryTable(questionnaires: readonly Questionnaire[], countsInScore: CountsInScore): string {
  const rows = questionnaires.map((q) =>
    `| \`${q.id}\` | ${q.title.en} | ${q.sections.length} | ${scoredCount(q, countsInScore)} | ${q.questions.length - scoredCount(q, countsInScore)} | ${q.sections.map((s) => s.title.en).join('; ')} |`);
  return ['| id | title | sections | scored indicators | unscored fields | sections |', '|---|---|---|---|---|---|', ...rows].join('\n');
}

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('check questionnaire YAML files (default: the ENA_QUESTIONNAIRES folder) and print every problem')
    .argument('[paths...]', 'questionnaire files or folders')
    .option('--summary', 'also print a Markdown table of questionnaires, sections and indicator counts')
    .action(async (paths: string[], options: { summary?: boolean }) => {
      const [{ loadConfig }, { loadQuestionnaires }, { formatIssue }, { countsInScore }, { coreIndicators }] = await Promise.all([
        import('../../config/env.js'), import('../../questionnaire/load.js'), import('../../questionnaire/yamlFile.js'),
        import('../../questionnaire/schema.js'), import('../../questionnaire/setCheck.js'),
      ]);
      const config = loadConfig();
      const targets = paths.length > 0 ? paths : [config.questionnairesDir];
      const result = await loadQuestionnaires(targets);
      for (const issue of result.issues) console.error(formatIssue(issue));
      const indicators = result.questionnaires.reduce((n, q) => n + scoredCount(q, countsInScore), 0);
      if (options.summary) {
        console.log(summaryTable(result.questionnaires, countsInScore));
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
