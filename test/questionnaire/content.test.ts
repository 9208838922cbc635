import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadQuestionnaires } from '../../src/questionnaire/load.js';
import { countsInScore } from '../../src/questionnaire/schema.js';
import { formatIssue } from '../../src/questionnaire/yamlFile.js';

const root = join(import.meta.dirname, '..', '..');
const EXPECTED = ['budapest-alignment', 'human-rights-safeguards', 'legal-framework', 'provider-cooperation-and-mla', 'technical-capacity'];

describe('shipped questionnaires', async () => {
  const result = await loadQuestionnaires([join(root, 'questionnaires')]);
  const scored = (id: string) => result.questionnaires.find((q) => q.id === id)?.questions.map((p) => p.question).filter(countsInScore) ?? [];

  it('validate without a single problem (bilingual, glossary, references, conditions)', () => {
    expect(result.issues.map(formatIssue)).toEqual([]);
    expect(result.questionnaires.map((q) => q.id).sort()).toEqual(EXPECTED);
  });

  it('hold at least 60 scored indicators, at least 10 per questionnaire', () => {
    for (const id of EXPECTED) expect(scored(id).length, id).toBeGreaterThanOrEqual(10);
    expect(EXPECTED.reduce((n, id) => n + scored(id).length, 0)).toBeGreaterThanOrEqual(60);
  });

  it('cite a catalogue reference and carry recommendations for every scored indicator', () => {
    for (const id of EXPECTED) {
      for (const question of scored(id)) {
        expect(question.references.length, `${id}/${question.id}`).toBeGreaterThan(0);
        const covered = new Set(question.recommendations.flatMap((r) => r.levels));
        for (let level = 0; level < question.target; level++) expect(covered.has(level), `${id}/${question.id} level ${level}`).toBe(true);
      }
    }
  });

  it('include an alignment table for the Budapest Convention', () => {
    expect(scored('budapest-alignment').some((q) => q.type === 'alignment_table')).toBe(true);
  });

  it('are listed in docs/QUESTIONNAIRES.md with their current indicator counts', async () => {
    const doc = await readFile(join(root, 'docs', 'QUESTIONNAIRES.md'), 'utf8');
    for (const questionnaire of result.questionnaires) {
      const count = scored(questionnaire.id).length;
      expect(doc, questionnaire.id).toMatch(new RegExp(`\\| \`${questionnaire.id}\` \\| [^|]+ \\| ${questionnaire.sections.length} \\| ${count} \\|`));
    }
  });
});
