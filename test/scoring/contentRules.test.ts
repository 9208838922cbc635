/**
 * The scoring rules of content v2 (issue 10), proved on the shipped questionnaires with random answers:
 * treaty status is information, a mission's scope hides what it leaves out, one fact scores once,
 * unknown critical indicators make an area provisional, weighted and `see:` table rows, preservation
 * bands that do not reward excess, and no advice printed twice.
 */
import fc from 'fast-check';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadQuestionnaires } from '../../src/questionnaire/load.js';
import { scopedQuestionnaire, type Questionnaire } from '../../src/questionnaire/model.js';
import { countsInScore, isScored, questionnaireSchema, type Question, type QuestionnaireDoc } from '../../src/questionnaire/schema.js';
import { buildQuestionnaire } from '../../src/questionnaire/model.js';
import type { AnswerValue } from '../../src/questionnaire/answerValue.js';
import { levelOf } from '../../src/scoring/levels.js';
import { adviceKey, rankRecommendations } from '../../src/scoring/recommendations.js';
import { scoreCountry, scoreQuestionnaire, WEAKEST_LINK_CAP, type AnswerInput, type QuestionnaireScore } from '../../src/scoring/score.js';
import { mergeRanked } from '../../src/report/model/common.js';

const root = join(import.meta.dirname, '..', '..');
const loaded = await loadQuestionnaires([join(root, 'questionnaires')]);
const { catalogue } = loaded;
const byId = (id: string): Questionnaire => {
  const found = loaded.questionnaires.find((q) => q.id === id);
  if (!found) throw new Error(`no questionnaire ${id}`);
  return found;
};

const special = fc.constantFrom<AnswerValue>('unknown', 'not_applicable');

/** A random, valid answer for any question of the shipped set. */
function answerOf(question: Question): fc.Arbitrary<AnswerValue> {
  switch (question.type) {
    case 'maturity': return fc.oneof(fc.integer({ min: 0, max: 4 }), special);
    case 'yes_partial_no': return fc.oneof(fc.constantFrom('yes', 'partial', 'no'), special);
    case 'single_choice': return fc.oneof(fc.constantFrom(...question.options.map((o) => o.id)), special);
    case 'multiple_choice': return fc.oneof(fc.subarray(question.options.map((o) => o.id)), special);
    case 'number': return fc.oneof(fc.integer({ min: 0, max: 400 }), special);
    case 'alignment_table': return fc.oneof(
      fc.tuple(...question.rows.map(() => fc.constantFrom('full', 'partial', 'none', 'unknown') as fc.Arbitrary<'full' | 'partial' | 'none' | 'unknown'>))
        .map((statuses) => ({ rows: Object.fromEntries(question.rows.map((row, i) => [row.id, { status: statuses[i] ?? 'unknown' }])) })),
      special);
    case 'date': return fc.constant('2026-05-01');
    case 'text': return fc.constant('recorded');
  }
}

/** Random answers for a questionnaire: each question answered or left empty. */
function answersFor(questionnaire: Questionnaire): fc.Arbitrary<Map<string, AnswerInput>> {
  const entries = questionnaire.questions.map((placed) => fc.option(answerOf(placed.question), { nil: undefined }).map((value) => [placed.question.id, value] as const));
  return fc.tuple(...entries).map((pairs) => new Map(pairs.flatMap(([id, value]) => (value === undefined ? [] : [[id, { value, evidence: 'documented' as const }]]))));
}

const numbers = (score: QuestionnaireScore) => ({
  score: score.score,
  sections: score.sections.map((s) => [s.score, s.capped, s.coverage, s.unknowns, s.provisional]),
  questions: score.questions.filter((q) => !q.informational).map((q) => [q.questionId, q.status, q.level, q.gap, q.priority]),
});

describe('treaty status is information, not a score', () => {
  const alignment = byId('budapest-alignment');
  const informational = alignment.questions.map((p) => p.question).filter((q) => isScored(q) && q.informational);

  it('marks every treaty-status question informational, none critical, none counted', () => {
    expect(informational.map((q) => q.id).sort()).toEqual(['al-bc-status', 'al-cis-2018-status', 'al-sap-status', 'al-uncc-implementation-plan', 'al-uncc-status']);
    for (const q of informational) expect(isScored(q) && q.critical).toBe(false);
  });

  it('changing only treaty-status answers changes no score, coverage, cap or operational recommendation', () => {
    const statusAnswer = fc.tuple(...informational.map((q) => fc.option(answerOf(q), { nil: undefined })));
    fc.assert(fc.property(answersFor(alignment), statusAnswer, statusAnswer, (base, first, second) => {
      const withStatus = (values: (AnswerValue | undefined)[]) => {
        const answers = new Map(base);
        informational.forEach((q, i) => {
          const value = values[i];
          if (value === undefined) answers.delete(q.id); else answers.set(q.id, { value, evidence: 'documented' });
        });
        return answers;
      };
      const a = scoreQuestionnaire(alignment, catalogue, withStatus(first));
      const b = scoreQuestionnaire(alignment, catalogue, withStatus(second));
      expect(numbers(a)).toEqual(numbers(b));
      expect([a.answeredWeight, a.coverage]).toEqual([b.answeredWeight, b.coverage]);
      expect(scoreCountry([a]).score).toEqual(scoreCountry([b]).score);
      const operational = (score: QuestionnaireScore) => rankRecommendations(alignment, score).filter((r) => !r.question.informational).map((r) => adviceKey(r.recommendation));
      expect(operational(a)).toEqual(operational(b));
    }), { numRuns: 150 });
  });

  it('ranks treaty-status advice after every operational gap', () => {
    fc.assert(fc.property(answersFor(alignment), (answers) => {
      const ranked = rankRecommendations(alignment, scoreQuestionnaire(alignment, catalogue, answers));
      const firstInformational = ranked.findIndex((r) => r.question.informational);
      if (firstInformational >= 0) expect(ranked.slice(firstInformational).every((r) => r.question.informational)).toBe(true);
    }), { numRuns: 100 });
  });
});

describe('mission scope', () => {
  it('in a core mission, questions outside the core set are hidden, never unanswered, and change no score', () => {
    for (const questionnaire of loaded.questionnaires) {
      const outside = questionnaire.questions.filter((p) => !p.question.core).map((p) => p.question.id);
      fc.assert(fc.property(answersFor(questionnaire), answersFor(questionnaire), (answers, other) => {
        const core = scoreQuestionnaire(questionnaire, catalogue, answers, new Map(), 'core');
        for (const q of core.questions.filter((s) => outside.includes(s.questionId))) expect(q.status).toBe('hidden');
        // Answers to questions outside the scope do not matter.
        const mixed = new Map(answers);
        for (const id of outside) {
          const value = other.get(id);
          if (value) mixed.set(id, value); else mixed.delete(id);
        }
        expect(numbers(scoreQuestionnaire(questionnaire, catalogue, mixed, new Map(), 'core'))).toEqual(numbers(core));
        // The scoped questionnaire the fill page and reports use scores the same.
        const scoped = scopedQuestionnaire(questionnaire, 'core');
        expect(scoreQuestionnaire(scoped, catalogue, answers).score).toEqual(core.score);
      }), { numRuns: 25 });
    }
  });
});

describe('critical findings', () => {
  it('an unknown on a critical indicator makes its section and area provisional and lists it', () => {
    for (const questionnaire of loaded.questionnaires) {
      fc.assert(fc.property(answersFor(questionnaire), (answers) => {
        const score = scoreQuestionnaire(questionnaire, catalogue, answers);
        const expected = score.questions.filter((q) => q.critical && q.status === 'unknown').map((q) => q.questionId);
        expect(score.criticalUnknowns).toEqual(expected);
        expect(score.provisional).toBe(expected.length > 0);
        for (const section of score.sections) expect(section.provisional).toBe(section.criticalUnknowns.length > 0);
        expect(scoreCountry([score]).criticalUnknowns).toEqual(expected.map((id) => `${questionnaire.id}/${id}`));
      }), { numRuns: 40 });
    }
  });

  it('a critical table row answered "none" caps its section like a critical level 0', () => {
    const doc = questionnaireSchema.parse({
      id: 'rows', version: 1, title: { en: 'R', ru: 'Р' }, description: { en: 'd', ru: 'д' },
      sections: [{ id: 's', title: { en: 'S', ru: 'С' }, questions: [
        { id: 't', type: 'alignment_table', text: { en: 't', ru: 'т' }, help: { en: 'h', ru: 'х' }, weight: 3, critical: true, references: ['bc-16'],
          rows: [{ id: 'a', label: { en: 'a', ru: 'а' }, critical: true }, { id: 'b', label: { en: 'b', ru: 'б' }, weight: 9 }],
          recommendations: [{ levels: [0, 1, 2], priority: 'high', timeframe: 'medium', responsible: ['parliament'], text: { en: 'fix', ru: 'исправить' } }] },
        { id: 'm', type: 'maturity', text: { en: 'm', ru: 'м' }, help: { en: 'h', ru: 'х' }, weight: 3, references: ['bc-16'],
          recommendations: [{ levels: [0, 1, 2], priority: 'low', timeframe: 'medium', responsible: ['government'], text: { en: 'do', ru: 'сделать' } }] },
      ] }],
    }) as QuestionnaireDoc;
    const questionnaire = buildQuestionnaire(doc, 'rows.yaml');
    const table = (a: string, b: string) => ({ value: { rows: { a: { status: a as 'none' }, b: { status: b as 'full' } } } });
    const capped = scoreQuestionnaire(questionnaire, catalogue, new Map<string, AnswerInput>([['t', table('none', 'full')], ['m', { value: 4 }]]));
    expect(capped.questions[0]?.level).toBeCloseTo(36 / 10); // weighted: (0·1 + 4·9) / 10, not the plain mean 2
    expect(capped.sections[0]?.capped).toBe(true);
    expect(capped.sections[0]?.score).toBe(WEAKEST_LINK_CAP);
    const fine = scoreQuestionnaire(questionnaire, catalogue, new Map<string, AnswerInput>([['t', table('partial', 'full')], ['m', { value: 4 }]]));
    expect(fine.sections[0]?.capped).toBe(false);
  });
});

describe('alignment tables', () => {
  const tables = loaded.questionnaires.flatMap((q) => q.questions.map((p) => p.question)).filter((q): q is Extract<Question, { type: 'alignment_table' }> => q.type === 'alignment_table');

  it('weight rows, and a see: row (scored elsewhere) never moves the table level', () => {
    for (const table of tables) {
      fc.assert(fc.property(answerOf(table), fc.constantFrom('full', 'partial', 'none', 'unknown') as fc.Arbitrary<'full'>, (value, status) => {
        if (typeof value !== 'object' || Array.isArray(value)) return;
        const level = levelOf(table, value);
        for (const row of table.rows.filter((r) => r.see !== undefined)) {
          expect(levelOf(table, { rows: { ...value.rows, [row.id]: { status } } })).toEqual(level);
        }
        const scored = table.rows.filter((r) => r.see === undefined && value.rows[r.id] && value.rows[r.id]?.status !== 'unknown');
        const points = { full: 4, partial: 2, none: 0 } as const;
        const weight = scored.reduce((sum, r) => sum + r.weight, 0);
        const expected = weight === 0 ? null : scored.reduce((sum, r) => sum + points[value.rows[r.id]?.status as 'full'] * r.weight, 0) / weight;
        expect(level).toEqual(expected);
      }), { numRuns: 60 });
    }
  });

  it('score each treaty article of the domestic table once: offences count ten rows, and the powers refer to the legal framework', () => {
    const domestic = tables.find((t) => t.id === 'al-bc-domestic-table');
    expect(domestic?.rows.find((r) => r.id === 'art-2-11')?.weight).toBe(10);
    expect(domestic?.rows.find((r) => r.id === 'art-16')?.see).toBe('legal-framework/lf-preservation-power');
  });
});

describe('preservation period bands', () => {
  const days = byId('legal-framework').questionsById.get('lf-preservation-days')?.question;

  it('score 60–90 days best, anything longer lower, and no period in law at 0', () => {
    if (!days) throw new Error('lf-preservation-days is missing');
    const best = levelOf(days, 90);
    fc.assert(fc.property(fc.integer({ min: 60, max: 90 }), (n) => { expect(levelOf(days, n)).toBe(best); }));
    fc.assert(fc.property(fc.integer({ min: 91, max: 100_000 }), (n) => { expect(levelOf(days, n)).toBeLessThan(best ?? 0); }));
    fc.assert(fc.property(fc.integer({ min: 1, max: 59 }), (n) => { expect(levelOf(days, n)).toBeLessThan(best ?? 0); }));
    expect(levelOf(days, 0)).toBe(0);
  });
});

describe('recommendations', () => {
  it('never print the same advice twice in one report, however the areas are answered', () => {
    const all = loaded.questionnaires;
    fc.assert(fc.property(fc.tuple(...all.map(answersFor)), (answerSets) => {
      const lists = all.map((q, i) => rankRecommendations(q, scoreQuestionnaire(q, catalogue, answerSets[i] ?? new Map())));
      const merged = mergeRanked(lists).map((r) => adviceKey(r.recommendation));
      expect(new Set(merged).size).toBe(merged.length);
    }), { numRuns: 30 });
  });

  it('give critical and core maturity indicators separate advice for level 0 and level 1', () => {
    for (const q of loaded.questionnaires.flatMap((x) => x.questions.map((p) => p.question))) {
      if (!countsInScore(q) || !(q.critical || q.core) || q.type !== 'maturity') continue;
      const at = (level: number) => q.recommendations.filter((r) => r.levels.includes(level)).map(adviceKey);
      expect(at(0).length, q.id).toBeGreaterThan(0);
      expect(at(1).length, q.id).toBeGreaterThan(0);
      expect(at(0).filter((key) => at(1).includes(key)), q.id).toEqual([]);
    }
  });

  it('follow one timeframe convention: a change of law is never short term', () => {
    for (const q of loaded.questionnaires.flatMap((x) => x.questions.map((p) => p.question))) {
      if (!isScored(q)) continue;
      for (const rec of q.recommendations) if (rec.responsible.includes('parliament')) expect(rec.timeframe, q.id).not.toBe('short');
    }
  });
});
