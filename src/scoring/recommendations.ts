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

/**
 * The recommendations for every answered question below its target, for the level it is at
 * (fractional levels, e.g. of alignment tables, use the level below). Ranked: critical questions
 * first, then gap priority (weight × gap), then the recommendation's own priority, then document order.
 */
export function rankRecommendations(questionnaire: Questionnaire, scored: QuestionnaireScore): RankedRecommendation[] {
  const ranked: (RankedRecommendation & { order: number })[] = [];
  for (const score of scored.questions) {
    if (score.status !== 'answered' || score.gap <= 0 || score.level === null) continue;
    const placed = questionnaire.questionsById.get(score.questionId);
    if (!placed || !isScored(placed.question)) continue;
    const level = Math.floor(score.level);
    const question = placed.question;
    for (const recommendation of question.recommendations.filter((rec) => rec.levels.includes(level))) {
      ranked.push({ questionnaireId: questionnaire.id, sectionId: score.sectionId, question, score, recommendation, order: placed.order });
    }
  }
  ranked.sort((a, b) =>
    Number(b.score.critical) - Number(a.score.critical)
    || b.score.priority - a.score.priority
    || priorityRank[a.recommendation.priority] - priorityRank[b.recommendation.priority]
    || a.order - b.order);
  return ranked.map(({ order: _order, ...rest }) => rest);
}
