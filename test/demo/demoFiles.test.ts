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
  const { demos, issues } = await readDemoFiles(join(root, 'data', 'demo'), questionnaires);

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
