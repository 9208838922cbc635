/**
 * Gap scoring: per question a level and a normalised score, per section, questionnaire (area) and
 * country a weighted score with coverage beside it. Pure: data in, plain objects out.
 *
 * Rules (docs/ARCHITECTURE.md, shared/reference/domain.md §5.3):
 * - score = level / top level of the question's scale, in [0, 1];
 * - section score = Σ weight·score / Σ weight over answered visible questions;
 * - hidden and not-applicable questions leave the denominator; unknowns are listed as evidence gaps;
 * - weakest link: a critical question at level 0, or a critical alignment row answered "none", caps
 *   its section at WEAKEST_LINK_CAP;
 * - an unknown on a critical question is never ignored: its section and area are provisional and the
 *   question is listed among the critical findings (criticalUnknowns);
 * - informational questions (treaty status) are recorded but never scored, counted or ranked as gaps;
 * - questions outside the mission's scope are hidden: not unanswered, not scored;
 * - questionnaire and country scores are means of the parts weighted by their answered weight;
 * - gap = target − level; priority = weight × gap, critical first.
 */
import { isSpecial, type AnswerValue } from '../questionnaire/answerValue.js';
import type { Catalogue, Questionnaire } from '../questionnaire/model.js';
import { maxLevel } from '../questionnaire/model.js';
import { isScored, type Scope, type ScoredQuestion } from '../questionnaire/schema.js';
import type { EvidenceLevel } from '../questionnaire/vocabulary.js';
import { UNKNOWN } from '../questionnaire/vocabulary.js';
import { visibleQuestions } from '../conditions/evaluate.js';
import { criticalRowsAtNone, levelOf } from './levels.js';

/** Capped score of a section with a critical question at level 0: level 1 of 0–4 (stage 2 of 1–5). */
export const WEAKEST_LINK_CAP = 0.25;
/** Levels from which a claim should rest on documents (CMM evidence rule: stage 3 and above). */
export const DOCUMENTED_FROM_LEVEL = 2;

export interface AnswerInput {
  value: AnswerValue;
  evidence?: EvidenceLevel | undefined;
}

export type QuestionStatus = 'answered' | 'unknown' | 'not_applicable' | 'unanswered' | 'hidden';

export interface QuestionScore {
  questionId: string;
  sectionId: string;
  status: QuestionStatus;
  weight: number;
  critical: boolean;
  /** Recorded for information (treaty status): weight, gap and priority are 0 and it never caps. */
  informational: boolean;
  /** Critical alignment rows answered "none". */
  criticalRowsAtNone: string[];
  level: number | null;
  maxLevel: number;
  score: number | null;
  target: number;
  gap: number;
  priority: number;
  /** Level ≥ DOCUMENTED_FROM_LEVEL claimed without documentary evidence. */
  undocumented: boolean;
}

export interface Coverage {
  answered: number;
  applicable: number;
}

export interface AggregateScore {
  score: number | null;
  /** Sum of the weights of answered questions: how much this part counts in the next level up. */
  answeredWeight: number;
  coverage: Coverage;
  unknowns: string[];
  /** Critical questions answered "unknown": the score is provisional until they are known. */
  criticalUnknowns: string[];
  provisional: boolean;
}

export interface SectionScore extends AggregateScore {
  sectionId: string;
  capped: boolean;
}

export interface QuestionnaireScore extends AggregateScore {
  questionnaireId: string;
  version: number;
  sections: SectionScore[];
  questions: QuestionScore[];
}

export interface CountryScore extends AggregateScore {
  areas: QuestionnaireScore[];
}

/** Target levels overriding the questionnaire defaults, keyed `questionnaireId/questionId`. */
export type TargetOverrides = ReadonlyMap<string, number>;

export const targetKey = (questionnaireId: string, questionId: string): string => `${questionnaireId}/${questionId}`;

function weightedMean(parts: readonly { score: number | null; weight: number }[]): number | null {
  const counted = parts.filter((part) => part.score !== null && part.weight > 0);
  const totalWeight = counted.reduce((sum, part) => sum + part.weight, 0);
  if (totalWeight === 0) return null;
  return counted.reduce((sum, part) => sum + (part.score ?? 0) * part.weight, 0) / totalWeight;
}

function sumCoverage(parts: readonly Coverage[]): Coverage {
  return parts.reduce((sum, part) => ({ answered: sum.answered + part.answered, applicable: sum.applicable + part.applicable }), { answered: 0, applicable: 0 });
}

function scoreQuestion(question: ScoredQuestion, sectionId: string, input: AnswerInput | undefined, visible: boolean, top: number, target: number): QuestionScore {
  const level = visible ? levelOf(question, input?.value) : null;
  const status: QuestionStatus = !visible ? 'hidden'
    : input === undefined ? 'unanswered'
    : input.value === UNKNOWN ? 'unknown'
    : isSpecial(input.value) ? 'not_applicable'
    : level === null ? 'unknown' // e.g. an alignment table whose every row is unknown
    : 'answered';
  const informational = question.informational;
  const gap = level === null || informational ? 0 : Math.max(0, target - level);
  const weight = informational ? 0 : question.weight;
  return {
    questionId: question.id,
    sectionId,
    status,
    weight,
    critical: question.critical && !informational,
    informational,
    criticalRowsAtNone: status === 'answered' && !informational ? criticalRowsAtNone(question, input?.value) : [],
    level,
    maxLevel: top,
    score: level === null ? null : level / top,
    target,
    gap,
    priority: weight * gap,
    undocumented: level !== null && level >= DOCUMENTED_FROM_LEVEL && input?.evidence !== 'documented',
  };
}

export function scoreQuestionnaire(
  questionnaire: Questionnaire,
  catalogue: Pick<Catalogue, 'scales'>,
  answers: ReadonlyMap<string, AnswerInput>,
  targets: TargetOverrides = new Map(),
  scope: Scope = 'full',
): QuestionnaireScore {
  const values = new Map([...answers].map(([id, answer]) => [id, answer.value]));
  const visible = visibleQuestions(questionnaire, values, scope);
  const questions: QuestionScore[] = [];
  const sections: SectionScore[] = questionnaire.sections.map((section) => {
    const scores = section.questions.filter(isScored).map((question) =>
      scoreQuestion(question, section.id, answers.get(question.id), visible.has(question.id), maxLevel(question, catalogue),
        targets.get(targetKey(questionnaire.id, question.id)) ?? question.target));
    questions.push(...scores);
    const counted = scores.filter((q) => !q.informational);
    const answered = counted.filter((q) => q.status === 'answered');
    const applicable = counted.filter((q) => q.status !== 'hidden' && q.status !== 'not_applicable');
    const mean = weightedMean(answered.map((q) => ({ score: q.score, weight: q.weight })));
    const capped = mean !== null && mean > WEAKEST_LINK_CAP && answered.some((q) => q.critical && (q.level === 0 || q.criticalRowsAtNone.length > 0));
    const criticalUnknowns = counted.filter((q) => q.critical && q.status === 'unknown').map((q) => q.questionId);
    return {
      sectionId: section.id,
      score: capped ? WEAKEST_LINK_CAP : mean,
      capped,
      answeredWeight: answered.reduce((sum, q) => sum + q.weight, 0),
      coverage: { answered: answered.length, applicable: applicable.length },
      unknowns: counted.filter((q) => q.status === 'unknown').map((q) => q.questionId),
      criticalUnknowns,
      provisional: criticalUnknowns.length > 0,
    };
  });
  return {
    questionnaireId: questionnaire.id,
    version: questionnaire.version,
    score: weightedMean(sections.map((s) => ({ score: s.score, weight: s.answeredWeight }))),
    answeredWeight: sections.reduce((sum, s) => sum + s.answeredWeight, 0),
    coverage: sumCoverage(sections.map((s) => s.coverage)),
    unknowns: sections.flatMap((s) => s.unknowns),
    criticalUnknowns: sections.flatMap((s) => s.criticalUnknowns),
    provisional: sections.some((s) => s.provisional),
    sections,
    questions,
  };
}

export function scoreCountry(areas: readonly QuestionnaireScore[]): CountryScore {
  return {
    score: weightedMean(areas.map((a) => ({ score: a.score, weight: a.answeredWeight }))),
    answeredWeight: areas.reduce((sum, a) => sum + a.answeredWeight, 0),
    coverage: sumCoverage(areas.map((a) => a.coverage)),
    unknowns: areas.flatMap((a) => a.unknowns.map((id) => targetKey(a.questionnaireId, id))),
    criticalUnknowns: areas.flatMap((a) => a.criticalUnknowns.map((id) => targetKey(a.questionnaireId, id))),
    provisional: areas.some((a) => a.provisional),
    areas: [...areas],
  };
}
