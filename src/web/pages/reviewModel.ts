/**
 * The review page of one assessment as plain data: section scores with review state and comments, a
 * radar over the sections (score and target), gaps ranked with their recommendations (already ranked
 * by src/scoring/recommendations.ts), evidence gaps (unknowns) and claims without documents. Pure.
 */
import { commentThreads, type CommentThread } from './commentThreads.js';
import type { Translate } from './translate.js';
import type { Language } from '../../i18n/i18n.js';
import type { Catalogue, Questionnaire } from '../../questionnaire/model.js';
import type { Coverage } from '../../scoring/score.js';
import type { AssessmentView } from '../../assessment/assessmentView.js';
import type { ReviewState } from '../../storage/schema.js';
import { radarChart, type RadarChart } from './radar.js';

export interface ReviewSection {
  id: string;
  number: number;
  title: string;
  score: number | null;
  capped: boolean;
  coverage: Coverage;
  unknowns: number;
  state: ReviewState;
  stateUpdatedAt: string | null;
  comments: CommentThread[];
}

export interface ReviewGap {
  number: string;
  questionId: string;
  questionText: string;
  sectionTitle: string;
  level: number | null;
  target: number;
  gap: number;
  critical: boolean;
  priority: string;
  timeframe: string;
  responsible: string[];
  text: string;
}

export interface ReviewQuestionRef {
  number: string;
  questionId: string;
  text: string;
  sectionTitle: string;
  level?: number | null;
}

export interface ReviewPage {
  title: string;
  score: number | null;
  coverage: Coverage;
  sections: ReviewSection[];
  radar: { id: string; title: string; caption: string; chart: RadarChart };
  gaps: ReviewGap[];
  evidenceGaps: ReviewQuestionRef[];
  undocumented: ReviewQuestionRef[];
  retired: string[];
}

export interface ReviewInput {
  view: AssessmentView;
  questionnaire: Questionnaire;
  catalogue: Catalogue;
  language: Language;
  t: Translate;
}

export function buildReviewPage(input: ReviewInput): ReviewPage {
  const { view, questionnaire, language, t } = input;
  const score = view.score;
  const numberOf = (questionId: string): string => {
    const placed = questionnaire.questionsById.get(questionId);
    return placed ? `${placed.sectionIndex + 1}.${placed.section.questions.indexOf(placed.question) + 1}` : questionId;
  };
  const ref = (questionId: string): ReviewQuestionRef => {
    const placed = questionnaire.questionsById.get(questionId);
    return { number: numberOf(questionId), questionId, text: placed?.question.text[language] ?? questionId, sectionTitle: placed?.section.title[language] ?? '' };
  };
  const reviews = new Map(view.reviews.sections.map((r) => [r.sectionId, r]));

  const sections = questionnaire.sections.map((section, index): ReviewSection => {
    const sectionScore = score?.sections.find((s) => s.sectionId === section.id);
    const review = reviews.get(section.id);
    return {
      id: section.id,
      number: index + 1,
      title: section.title[language],
      score: sectionScore?.score ?? null,
      capped: sectionScore?.capped ?? false,
      coverage: sectionScore?.coverage ?? { answered: 0, applicable: 0 },
      unknowns: sectionScore?.unknowns.length ?? 0,
      state: review?.state ?? 'open',
      stateUpdatedAt: review?.updatedAt ?? null,
      comments: commentThreads(view.reviews.comments, section.id, t),
    };
  });

  // The target outline: per section, the weighted mean of target / top level over applicable questions.
  const targetShare = (sectionId: string): number | null => {
    const applicable = (score?.questions ?? []).filter((q) => q.sectionId === sectionId && q.status !== 'hidden' && q.status !== 'not_applicable');
    const weight = applicable.reduce((sum, q) => sum + q.weight, 0);
    return weight === 0 ? null : applicable.reduce((sum, q) => sum + (q.weight * q.target) / q.maxLevel, 0) / weight;
  };

  const title = questionnaire.title[language];
  return {
    title,
    score: score?.score ?? null,
    coverage: score?.coverage ?? { answered: 0, applicable: 0 },
    sections,
    radar: {
      id: `radar-${questionnaire.id}`,
      title: t('web:review.radarTitle', { questionnaire: title }),
      caption: t('web:review.radarCaptionSections'),
      chart: radarChart(sections.map((s) => ({ label: `${s.number}. ${s.title}`, score: s.score, target: targetShare(s.id) }))),
    },
    gaps: view.recommendations.map((r): ReviewGap => {
      const placed = questionnaire.questionsById.get(r.questionId);
      return {
        number: numberOf(r.questionId),
        questionId: r.questionId,
        questionText: placed?.question.text[language] ?? r.questionId,
        sectionTitle: placed?.section.title[language] ?? r.sectionId,
        level: r.level,
        target: r.target,
        gap: r.gap,
        critical: r.critical,
        priority: t(`vocabulary:priority.${r.recommendation.priority}`),
        timeframe: t(`vocabulary:timeframe.${r.recommendation.timeframe}`),
        responsible: r.recommendation.responsible.map((institution) => t(`vocabulary:institution.${institution}`)),
        text: r.recommendation.text[language],
      };
    }),
    evidenceGaps: (score?.unknowns ?? []).map(ref),
    undocumented: (score?.questions ?? []).filter((q) => q.undocumented).map((q) => ({ ...ref(q.questionId), level: q.level })),
    retired: view.changes?.retiredAnswers ?? [],
  };
}
