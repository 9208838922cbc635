import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readDemoFiles } from '../../src/demo/demoFile.js';
import { loadQuestionnaires } from '../../src/questionnaire/load.js';
import { formatIssue } from '../../src/questionnaire/yamlFile.js';
import { isScored } from '../../src/questionnaire/schema.js';
import { scoreQuestionnaire } from '../../src/scoring/score.js';

const root = join(import.meta.dirname, '..', '..');

describe('shipped demo data', async () => {
  const { questionnaires, catalogue } = await loadQuestionnaires([join(root, 'questionnaires')]);
  const { demos, issues } = await readDemoFiles(join(root, 'data', 'demo'), questionnaires, catalogue.glossary);

  it('is valid against the questionnaires', () => {
    expect(issues.map(formatIssue)).toEqual([]);
  });

  it('covers five Central Asian countries, each with every questionnaire and notes', () => {
    expect(demos.map((d) => d.data.country.code).sort()).toEqual(['KG', 'KZ', 'TJ', 'TM', 'UZ']);
    for (const demo of demos) {
      expect(Object.keys(demo.data.answers).sort(), demo.file).toEqual(questionnaires.map((q) => q.id).sort());
      const notes = Object.values(demo.data.answers).flatMap((answers) => Object.values(answers)).filter((a) => a.note);
      expect(notes.length, demo.file).toBeGreaterThanOrEqual(10);
    }
  });

  it('gives countries different scores', () => {
    const overall = demos.map((demo) => questionnaires.map((q) => {
      const answers = new Map(Object.entries(demo.data.answers[q.id] ?? {}).map(([id, a]) => [id, { value: a.value as never, evidence: a.evidence }]));
      return scoreQuestionnaire(q, catalogue, answers).score?.toFixed(3);
    }).join('|'));
    expect(new Set(overall).size).toBe(demos.length);
    // Most scored questions are answered in every demo country.
    for (const demo of demos) {
      const scored = questionnaires.flatMap((q) => q.questions.filter((p) => isScored(p.question)).map((p) => `${q.id}/${p.question.id}`));
      const answered = scored.filter((key) => { const [q, id] = key.split('/'); return demo.data.answers[q ?? '']?.[id ?? ''] !== undefined; });
      expect(answered.length / scored.length, demo.file).toBeGreaterThan(0.7);
    }
  });
});

describe('demo data cannot be mistaken for the real missions (issue 10)', async () => {
  const { questionnaires, catalogue } = await loadQuestionnaires([join(root, 'questionnaires')]);
  const { demos } = await readDemoFiles(join(root, 'data', 'demo'), questionnaires, catalogue.glossary);
  const { readFile } = await import('node:fs/promises');

  it('says illustrative: true in the data itself, and the loader refuses a file without it', async () => {
    for (const demo of demos) expect(demo.data.illustrative, demo.file).toBe(true);
    const { demoFileSchema } = await import('../../src/demo/demoFile.js');
    const { illustrative: _dropped, ...withoutFlag } = demos[0]?.data ?? {};
    const parsed = demoFileSchema.safeParse(withoutFlag);
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues)).toMatch(/illustrative: true/);
  });

  it('avoids the dates of the 2025 OSCE missions in the press releases', () => {
    // Press release of July 2025: KZ 11–13 June, TJ 16–18 June, KG 2–4 July, TM 9–11 July 2025 (and trainings 9–10 June, 7–8 July).
    const real = [['2025-06-09', '2025-06-18'], ['2025-07-02', '2025-07-11']];
    for (const demo of demos) {
      const { starts_on: start, ends_on: end } = demo.data.mission;
      for (const [from, to] of real) expect(end < (from ?? '') || start > (to ?? ''), `${demo.file} ${start}–${end}`).toBe(true);
      expect(start.startsWith('2025'), demo.file).toBe(false);
    }
  });

  it('attributes no position to a named real body or to the real draft law and decree', async () => {
    const named = /Mazhilis|Jogorku Kenesh|Majlisi namoyandagon|Mejlis|Oliy Majlis|Akyikatchy|Adilet|Prosecutor General|Supreme Court|Ministry of [A-Z]|Генеральн\S* прокуратур|Верховн\S* суд|working group|draft law|рабоч\S* групп|PP-153|ПП-153|Committee on Legal Statistics/;
    for (const demo of demos) expect((await readFile(demo.file, 'utf8')).match(named)?.[0] ?? null, demo.file).toBeNull();
  });

  it('checks Russian notes against the glossary', async () => {
    const dir = await (await import('node:fs/promises')).mkdtemp(join((await import('node:os')).tmpdir(), 'ena-demo-'));
    const text = (await readFile(join(root, 'data', 'demo', 'KZ.yaml'), 'utf8')).replace('Требование об обеспечении сохранности данных применяется', 'Консервация данных применяется');
    await (await import('node:fs/promises')).writeFile(join(dir, 'KZ.yaml'), text);
    const { issues } = await readDemoFiles(dir, questionnaires, catalogue.glossary);
    expect(issues.map(formatIssue).join('\n')).toMatch(/KZ\.yaml:\d+:\d+ {2}answers\.legal-framework\.lf-preservation-power\.note: uses «консервация данных»/);
  });
});
