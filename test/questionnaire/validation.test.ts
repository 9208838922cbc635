import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadQuestionnaires } from '../../src/questionnaire/load.js';
import { formatIssue } from '../../src/questionnaire/yamlFile.js';
import { checkQuestionnaireSet } from '../../src/questionnaire/setCheck.js';
import { buildQuestionnaire } from '../../src/questionnaire/model.js';
import { questionnaireSchema, type QuestionnaireDoc } from '../../src/questionnaire/schema.js';
import { FIXTURES, SAMPLE, lineOf, loadEdited, replaceOnce } from './helpers.js';

const run = promisify(execFile);
const ENA = join(import.meta.dirname, '..', '..', 'bin', 'ena.js');

describe('questionnaire validation', () => {
  it('accepts the documented example', async () => {
    const result = await loadQuestionnaires([FIXTURES]);
    expect(result.issues).toEqual([]);
    expect(result.questionnaires.map((q) => q.id)).toEqual(['preservation-demo']);
  });

  const cases: { rule: string; edit: (t: string) => string; path: string; line: (t: string) => number; message: RegExp }[] = [
    {
      rule: 'rejects a YAML syntax error with its line',
      edit: (t) => replaceOnce(t, '        weight: 3', '        weight: [3'),
      path: '(syntax)',
      line: (t) => lineOf(t, 'weight: [3') + 1,
      message: /YAML syntax error/,
    },
    {
      rule: 'rejects an unknown (misspelt) key',
      edit: (t) => replaceOnce(t, '        weight: 3 ', '        weigth: 3 '),
      path: 'sections[0].questions[0].weigth',
      line: (t) => lineOf(t, 'weigth:'),
      message: /"weigth" is not a field here/,
    },
    {
      rule: 'rejects missing Russian text',
      edit: (t) => replaceOnce(t, '          ru: Предусмотрено ли законом полномочие требовать оперативного обеспечения сохранности хранимых данных?\n', ''),
      path: 'sections[0].questions[0].text.ru',
      line: (t) => lineOf(t, 'en: Is there an explicit power'),
      message: /is missing: add the Russian text/,
    },
    {
      rule: 'rejects a duplicate question id',
      edit: (t) => replaceOnce(t, '- id: preservation-days', '- id: preservation-power'),
      path: 'sections[0].questions[1].id',
      line: (t) => lineOf(t, 'type: number') - 1,
      message: /duplicate question id "preservation-power"/,
    },
    {
      rule: 'rejects a condition on a later question',
      edit: (t) => replaceOnce(t, 'show_if: { question: preservation-power, at_least: 2 }', 'show_if: { question: documents-received, answered: true }'),
      path: 'sections[0].questions[1].show_if.question',
      line: (t) => lineOf(t, 'show_if:'),
      message: /does not come earlier.*cycles/,
    },
    {
      rule: 'rejects a condition on an unknown question',
      edit: (t) => replaceOnce(t, 'show_if: { question: preservation-power, at_least: 2 }', 'show_if: { question: no-such-question, answered: true }'),
      path: 'sections[0].questions[1].show_if.question',
      line: (t) => lineOf(t, 'show_if:'),
      message: /unknown question "no-such-question"/,
    },
    {
      rule: 'rejects a level outside the scale',
      edit: (t) => replaceOnce(t, '- { below: 2, level: 4 }', '- { below: 2, level: 5 }'),
      path: 'sections[0].questions[1].bands[0].level',
      line: (t) => lineOf(t, 'level: 5'),
      message: /4 or less/,
    },
    {
      rule: 'rejects a reference that is not in the catalogue',
      edit: (t) => replaceOnce(t, 'references: [bc-16, bc-29]', 'references: [bc-16, bc-999]'),
      path: 'sections[0].questions[0].references[1]',
      line: (t) => lineOf(t, 'bc-999'),
      message: /"bc-999" is not in references.yaml/,
    },
    {
      rule: 'rejects a scored question without recommendations for a gap level',
      edit: (t) => replaceOnce(t, '          - levels: [1]                # a critical', '          - levels: [2]                # a critical'),
      path: 'sections[0].questions[0].recommendations',
      line: (t) => lineOf(t, 'recommendations:') + 1,
      message: /no recommendation for gap level\(s\) 1/,
    },
    {
      rule: 'rejects a weight out of range',
      edit: (t) => replaceOnce(t, '        weight: 2\n', '        weight: 5\n'),
      path: 'sections[0].questions[1].weight',
      line: (t) => lineOf(t, 'weight: 5'),
      message: /must be 1, 2 or 3/,
    },
    {
      rule: 'rejects a Russian variant the glossary says to avoid',
      edit: (t) => replaceOnce(t, 'ru: Процессуальные полномочия', 'ru: Консервация данных'),
      path: 'sections[0].title.ru',
      line: (t) => lineOf(t, 'Консервация данных'),
      message: /«консервация данных».*оперативное обеспечение сохранности данных/,
    },
    {
      rule: 'says a field of the wrong type has the wrong type, not that it is missing',
      edit: (t) => replaceOnce(t, 'version: 1', 'version: "one"'),
      path: 'version',
      line: (t) => lineOf(t, 'version: "one"'),
      message: /^must be a number, but is text$/,
    },
    {
      rule: 'says a file that is a list is not a mapping',
      edit: () => '- just\n- a list\n',
      path: '(document)',
      line: () => 1,
      message: /^must be a mapping \(key: value\), but is a list$/,
    },
    {
      rule: 'says an empty file is empty',
      edit: () => '',
      path: '(document)',
      line: () => 1,
      message: /^must be a mapping \(key: value\), but is empty$/,
    },
    {
      rule: 'rejects an id that does not match the file name',
      edit: (t) => replaceOnce(t, 'id: preservation-demo', 'id: preservation'),
      path: 'id',
      line: () => 1,
      message: /must match the file name/,
    },
  ];

  for (const c of cases) {
    it(c.rule, async () => {
      const { result, text } = await loadEdited(SAMPLE, c.edit);
      const issue = result.issues.find((i) => i.path === c.path);
      expect(issue, `issues were: ${result.issues.map(formatIssue).join('\n')}`).toBeDefined();
      expect(issue?.file).toMatch(/preservation-demo\.yaml$/);
      expect(issue?.line).toBe(c.line(text));
      expect(issue?.message).toMatch(c.message);
      expect(result.questionnaires).toEqual([]);
    });
  }

  it('reports every problem of a file in one run', async () => {
    const { result } = await loadEdited(SAMPLE, (t) => replaceOnce(replaceOnce(t, 'weight: 3 ', 'weight: 9 '), 'references: [bc-16, bc-29]', 'references: [bc-404]'));
    expect(result.issues.map((i) => i.path).sort()).toEqual(['sections[0].questions[0].weight']);
    // zod stops before cross-checks when the shape is wrong; cross-check issues are all reported together:
    const second = await loadEdited(SAMPLE, (t) => replaceOnce(replaceOnce(t, 'references: [bc-16, bc-29]', 'references: [bc-404]'), '- id: preservation-days', '- id: preservation-power'));
    expect(second.result.issues.map((i) => i.path).sort()).toEqual(['sections[0].questions[0].references[0]', 'sections[0].questions[1].id']);
  });

  it('says once where the catalogue was looked for when a questionnaire is validated away from its folder', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ena-q-alone-'));
    await copyFile(join(FIXTURES, SAMPLE), join(dir, SAMPLE));
    const result = await loadQuestionnaires([join(dir, SAMPLE)]);
    expect(result.issues.map((issue) => issue.path)).toEqual(['(file)', '(file)', '(file)']);
    expect(result.issues.map((issue) => issue.file)).toEqual(['references.yaml', 'scales.yaml', 'glossary.yaml'].map((name) => join(dir, name)));
    expect(result.issues[0]?.message).toMatch(/^cannot be read \(file not found\): the catalogue .* is read from the folder of the first path given, .*; copy references\.yaml there/);
  });

  it('ena validate exits non-zero with file:line and a one-line summary', async () => {
    const { dir } = await loadEdited(SAMPLE, (t) => replaceOnce(t, 'references: [bc-16, bc-29]', 'references: [bc-404]'));
    const failure = await run('node', [ENA, 'validate', dir]).then(() => undefined, (error: { code: number; stderr: string }) => error);
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toMatch(/preservation-demo\.yaml:\d+:\d+ {2}sections\[0\]\.questions\[0\]\.references\[0\]: reference "bc-404"/);
    expect(failure?.stderr).toMatch(/✗ 1 problem\(s\) in 4 file\(s\)/);
    const success = await run('node', [ENA, 'validate', FIXTURES]);
    expect(success.stdout).toMatch(/✓ 1 questionnaire\(s\), 2 scored indicators/);
  });

  it('ena validate reads a file it validated before from its cache and still locates new problems in it', async () => {
    const { dir, text } = await loadEdited(SAMPLE, (t) => t);
    expect((await run('node', [ENA, 'validate', dir])).stdout).toMatch(/all valid/); // parsed, checked, cached
    // The questionnaire is unchanged (a cache hit); the catalogue it refers to lost bc-29.
    const references = join(dir, 'references.yaml');
    await writeFile(references, replaceOnce(await readFile(references, 'utf8'), 'id: bc-29', 'id: bc-30'));
    const failure = await run('node', [ENA, 'validate', dir]).then(() => undefined, (error: { code: number; stderr: string }) => error);
    expect(failure?.stderr).toContain(`preservation-demo.yaml:${lineOf(text, 'references: [bc-16, bc-29]')}:`);
    expect(failure?.stderr).toMatch(/references\[1\]: reference "bc-29" is not in references\.yaml/);
    // Changed bytes are parsed again, never taken from the cache.
    await writeFile(join(dir, SAMPLE), replaceOnce(text, 'weight: 3 ', 'weight: 9 '));
    const changed = await run('node', [ENA, 'validate', dir]).then(() => undefined, (error: { code: number; stderr: string }) => error);
    expect(changed?.stderr).toMatch(/sections\[0\]\.questions\[0\]\.weight/);
  });
});

describe('content v2 rules (issue 10)', () => {
  const cases: { rule: string; edit: (text: string) => string; message: RegExp }[] = [
    {
      rule: 'rejects "see" on a scored question: a fact is scored once',
      edit: (t) => replaceOnce(t, '        show_if: { question: preservation-power, at_least: 2 }', '        see: preservation-power\n        show_if: { question: preservation-power, at_least: 2 }'),
      message: /a scored question may not carry "see"/,
    },
    {
      rule: 'rejects a "see" reference to a question that does not exist',
      edit: (t) => replaceOnce(t, '        type: text                     # free text: never scored', '        type: text\n        see: preservation-powers'),
      message: /refers to unknown question "preservation-powers"/,
    },
    {
      rule: 'rejects a "see" reference into a questionnaire outside the set',
      edit: (t) => replaceOnce(t, '        type: text                     # free text: never scored', '        type: text\n        see: legal-framework/lf-preservation-power'),
      message: /refers to questionnaire "legal-framework", which is not in the set/,
    },
    {
      rule: 'rejects a law change (parliament responsible) in the short term',
      edit: (t) => replaceOnce(t, 'timeframe: medium          # short | medium | long (term); a law change is never short', 'timeframe: short'),
      message: /a change of law \(parliament responsible\) is never short term/,
    },
    {
      rule: 'rejects a recommendation that can never print (level at or above the target)',
      edit: (t) => replaceOnce(t, '          - levels: [0, 1, 2]\n            priority: medium', '          - levels: [0, 1, 2]\n            priority: medium\n            timeframe: medium\n            responsible: [point-of-contact-24-7]\n            text: { en: Never shown., ru: Никогда не выводится. }\n          - levels: [3]\n            priority: medium'),
      message: /level\(s\) 3 are at or above the target 3, so this recommendation never prints/,
    },
    {
      rule: 'rejects one recommendation for level 0 and 1 of a critical maturity indicator',
      edit: (t) => replaceOnce(t, '          - levels: [0]                # shown', '          - levels: [0, 1]             # shown'),
      message: /a critical or core maturity indicator needs separate advice for level 0/,
    },
    {
      rule: 'rejects a core question that depends on a question outside the core set',
      edit: (t) => replaceOnce(replaceOnce(t, '        core: true                     # in the visit-sized core set (every critical indicator is)\n', ''), '        type: number', '        type: number\n        core: true'),
      message: /this core question depends on "preservation-power", which is not core/,
    },
    {
      rule: 'rejects a critical indicator left out of the core set',
      edit: (t) => replaceOnce(replaceOnce(t, '        core: true                     # in the visit-sized core set (every critical indicator is)\n', ''), '        show_if: { question: preservation-power, at_least: 2 }    # shown only once a power exists', '        core: true'),
      message: /"preservation-power" is critical but not in the core set: every critical indicator must be core/,
    },
    {
      rule: 'rejects a critical informational question',
      edit: (t) => replaceOnce(t, '        critical: true                 # level 0', '        informational: true\n        critical: true                 # level 0'),
      message: /an informational question is never scored, so it cannot be critical/,
    },
    {
      rule: 'rejects a unit that has no plural forms in the locale files',
      edit: (t) => replaceOnce(t, '        unit: days', '        unit: weeks'),
      message: /must be one of days, hours, requests/,
    },
  ];
  for (const { rule, edit, message } of cases) {
    it(rule, async () => {
      const { result } = await loadEdited(SAMPLE, edit);
      expect(result.issues.map((issue) => issue.message).join('\n')).toMatch(message);
      expect(result.issues.every((issue) => issue.file.endsWith(SAMPLE) && issue.line > 0)).toBe(true);
    });
  }

  it('accepts a see: reference and a core set that follows the rules, and prints the core line', async () => {
    const { dir } = await loadEdited(SAMPLE, (t) => replaceOnce(t, '        type: text                     # free text: never scored', '        type: text\n        see: preservation-power'));
    const success = await run('node', [ENA, 'validate', '--summary', dir]);
    expect(success.stdout).toMatch(/^core: 1 scored indicators$/m);
  });
});

describe('the size of the core set', () => {
  const indicator = (id: string, core: boolean) => ({
    id, type: 'yes_partial_no', core, text: { en: id, ru: id }, help: { en: 'h', ru: 'х' }, weight: 1, references: ['bc-16'],
    recommendations: [{ levels: [0, 1, 2], priority: 'low', timeframe: 'medium', responsible: ['government'], text: { en: `do ${id}`, ru: `сделать ${id}` } }],
  });
  const set = (total: number, core: number) => [buildQuestionnaire(questionnaireSchema.parse({
    id: 'big', version: 1, title: { en: 'B', ru: 'Б' }, description: { en: 'd', ru: 'д' },
    sections: [{ id: 's', title: { en: 'S', ru: 'С' }, questions: Array.from({ length: total }, (_, i) => indicator(`q${i}`, i < core)) }],
  }) as QuestionnaireDoc, 'big.yaml')];
  const sizeIssues = (total: number, core: number) => checkQuestionnaireSet(set(total, core), true).map((issue) => issue.message);

  it('requires 30–45 core indicators in a whole folder, and says how many there are', () => {
    expect(sizeIssues(60, 29)).toEqual(['the core set has 29 scored indicators across the set: a three-day visit needs 30–45; mark more or fewer questions core: true']);
    expect(sizeIssues(60, 46)[0]).toMatch(/has 46 scored indicators/);
    expect(sizeIssues(60, 30)).toEqual([]);
    expect(sizeIssues(60, 45)).toEqual([]);
  });

  it('leaves a folder smaller than a core set, or a partial selection of files, to the other rules', () => {
    expect(sizeIssues(12, 3)).toEqual([]);
    expect(checkQuestionnaireSet(set(60, 5), false)).toEqual([]);
  });
});
