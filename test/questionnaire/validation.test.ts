import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadQuestionnaires } from '../../src/questionnaire/load.js';
import { formatIssue } from '../../src/questionnaire/yamlFile.js';
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
      edit: (t) => replaceOnce(t, '          - levels: [0, 1]             # shown', '          - levels: [0]             # shown'),
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
