/** Ranks the recommendations that apply to the gaps of a scored questionnaire. Pure. */
import type { Questionnaire } from '../questionnaire/model.js';
import { isScored, type Recommendation, type ScoredQuestion } from '../questionnaire/schema.js';
import type { Priority } from '../questionnaire/vocabulary.js';
import type { QuestionnaireScore, QuestionScore } from './score.js';

export interface RankedRecommendation {
  questionnaireId: string;
  sectionId: string;
  question: ScoredQuestion;
  score: QuestionScore;
  recommendation: Recommendation;
}

const priorityRank: Record<Priority, number> = { high: 0, medium: 1, low: 2 };

/** Same advice, same identity: two questions that would print the same text print it once. */
export const adviceKey = (recommendation: Recommendation): string => recommendation.text.en.trim().replace(/\s+/g, ' ').toLowerCase();

/** Whether a question's recommendation applies: an operational gap, or an informational record below its target. */
function applies(score: QuestionScore, question: ScoredQuestion): boolean {
  if (score.status !== 'answered' || score.level === null) return false;
  return question.informational ? score.level < score.target : score.gap > 0;
}

/**
 * Ranks recommendations from any number of areas: operational gaps before informational ones
 * (treaty status never outranks an operational gap), critical questions first, then gap priority
 * (weight × gap), then the recommendation's own priority, then the given order. The same advice
 * (adviceKey) is kept once, at its highest rank.
 */
export function orderRecommendations<T extends Pick<RankedRecommendation, 'question' | 'score' | 'recommendation'>>(items: readonly T[], orderOf: (item: T, index: number) => number): T[] {
  const sorted = items.map((item, index) => ({ item, order: orderOf(item, index) })).sort((a, b) =>
    Number(a.item.question.informational) - Number(b.item.question.informational)
    || Number(b.item.score.critical) - Number(a.item.score.critical)
    || b.item.score.priority - a.item.score.priority
    || priorityRank[a.item.recommendation.priority] - priorityRank[b.item.recommendation.priority]
    || a.order - b.order);
  const seen = new Set<string>();
  return sorted.map((entry) => entry.item).filter((item) => {
    const key = adviceKey(item.recommendation);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The recommendations for every answered question below its target, for the level it is at
 * (fractional levels, e.g. of alignment tables, use the level below), ranked by orderRecommendations.
 */
export function rankRecommendations(questionnaire: Questionnaire, scored: QuestionnaireScore): RankedRecommendation[] {
  const ranked: (RankedRecommendation & { order: number })[] = [];
  for (const score of scored.questions) {
    const placed = questionnaire.questionsById.get(score.questionId);
    if (!placed || !isScored(placed.question) || !applies(score, placed.question) || score.level === null) continue;
    const level = Math.floor(score.level);
    const question = placed.question;
    for (const recommendation of question.recommendations.filter((rec) => rec.levels.includes(level))) {
      ranked.push({ questionnaireId: questionnaire.id, sectionId: score.sectionId, question, score, recommendation, order: placed.order });
    }
  }
  return orderRecommendations(ranked, (item) => item.order).map(({ order: _order, ...rest }) => rest);
}
