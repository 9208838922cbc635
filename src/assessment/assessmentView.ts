/**
 * The scoring layer above storage: reads answers, targets and snapshots through the repositories and
 * scores them with src/scoring, so storage stays a store and both database engines share this code.
 *
 * What an assessment looks like to a reader: the questionnaire, the answers with their revisions and
 * status, the scores, the ranked recommendations and what changed since the pinned questionnaire version.
 * The API and the web pages both build on these functions.
 */
import type { Kysely } from 'kysely';
import type { Catalogue, Questionnaire } from '../questionnaire/model.js';
import type { QuestionnaireDoc, Recommendation } from '../questionnaire/schema.js';
import { rankRecommendations } from '../scoring/recommendations.js';
import { scoreCountry, scoreQuestionnaire, type AnswerInput, type CountryScore, type QuestionnaireScore } from '../scoring/score.js';
import { Problem } from '../shared/problem.js';
import { listAnswers, type AnswerDto } from '../storage/answers.js';
import { getAssessment, listAssessments, type AssessmentDto } from '../storage/assessments.js';
import { listMissions, type MissionDto } from '../storage/missions.js';
import { compareVersions, findSnapshot, questionnaireDoc, type QuestionnaireChanges } from '../storage/questionnaireVersions.js';
import { listReviews, type ReviewCommentDto, type SectionReviewDto } from '../storage/reviews.js';
import type { Database } from '../storage/schema.js';
import { targetOverridesFor } from './targetOverrides.js';

export interface QuestionnaireSource {
  questionnaires: readonly Questionnaire[];
  catalogue: Catalogue;
}

export type AnswerStatus = 'current' | 'retired' | 'invalid';
export interface AnswerView extends AnswerDto {
  status: AnswerStatus;
}

export interface RecommendationView {
  questionnaireId: string;
  sectionId: string;
  questionId: string;
  level: number | null;
  target: number;
  gap: number;
  critical: boolean;
  recommendation: Recommendation;
}

export interface AssessmentView {
  assessment: AssessmentDto & { currentVersion: number | null };
  /** Today's questionnaire; null when it is no longer installed (the answers are still listed). */
  questionnaire: QuestionnaireDoc | null;
  answers: AnswerView[];
  score: QuestionnaireScore | null;
  recommendations: RecommendationView[];
  changes: QuestionnaireChanges | null;
  reviews: { sections: SectionReviewDto[]; comments: ReviewCommentDto[] };
}

export function findQuestionnaire(source: QuestionnaireSource, id: string): Questionnaire | undefined {
  return source.questionnaires.find((q) => q.id === id);
}

interface ScoredAssessment {
  answers: AnswerView[];
  changes: QuestionnaireChanges | null;
  score: QuestionnaireScore | null;
  questionnaire: Questionnaire | undefined;
}

async function scoreAssessment(db: Kysely<Database>, source: QuestionnaireSource, assessment: AssessmentDto): Promise<ScoredAssessment> {
  const answers = await listAnswers(db, assessment.id);
  const questionnaire = findQuestionnaire(source, assessment.questionnaireId);
  if (!questionnaire) return { answers: answers.map((a) => ({ ...a, status: 'retired' })), changes: null, score: null, questionnaire };
  const pinned = assessment.questionnaireVersion === questionnaire.version ? questionnaireDoc(questionnaire) : await findSnapshot(db, questionnaire.id, assessment.questionnaireVersion);
  const changes = compareVersions(assessment.questionnaireVersion, pinned, questionnaire, answers);
  const retired = new Set(changes.retiredAnswers);
  const invalid = new Set(changes.invalidAnswers.map((a) => a.questionId));
  const views: AnswerView[] = answers.map((a) => ({ ...a, status: retired.has(a.questionId) ? 'retired' : invalid.has(a.questionId) ? 'invalid' : 'current' }));
  const inputs = new Map<string, AnswerInput>(views.filter((a) => a.status === 'current').map((a) => [a.questionId, { value: a.value, evidence: a.evidence ?? undefined }]));
  const score = scoreQuestionnaire(questionnaire, source.catalogue, inputs, await targetOverridesFor(db, assessment.countryCode), assessment.scope);
  const unchanged = changes.pinnedVersion === changes.currentVersion && changes.retiredAnswers.length === 0 && changes.invalidAnswers.length === 0;
  return { answers: views, changes: unchanged ? null : changes, score, questionnaire };
}

export async function assessmentView(db: Kysely<Database>, source: QuestionnaireSource, id: number): Promise<AssessmentView> {
  const assessment = await getAssessment(db, id);
  const scored = await scoreAssessment(db, source, assessment);
  const recommendations = scored.questionnaire && scored.score ? rankRecommendations(scored.questionnaire, scored.score) : [];
  return {
    assessment: { ...assessment, currentVersion: scored.questionnaire?.version ?? null },
    questionnaire: scored.questionnaire ? questionnaireDoc(scored.questionnaire) : null,
    answers: scored.answers,
    score: scored.score,
    recommendations: recommendations.map((r) => ({
      questionnaireId: r.questionnaireId, sectionId: r.sectionId, questionId: r.question.id, level: r.score.level, target: r.score.target,
      gap: r.score.gap, critical: r.score.critical, recommendation: r.recommendation,
    })),
    changes: scored.changes,
    reviews: await listReviews(db, id),
  };
}

export async function assessmentScore(db: Kysely<Database>, source: QuestionnaireSource, id: number): Promise<{ assessment: AssessmentDto; score: QuestionnaireScore | null }> {
  const assessment = await getAssessment(db, id);
  return { assessment, score: (await scoreAssessment(db, source, assessment)).score };
}

/**
 * A country's score from one mission's assessments: the given mission, or by default the latest
 * mission (by start date) of that country.
 */
export async function countryScore(db: Kysely<Database>, source: QuestionnaireSource, countryCode: string, missionId?: number): Promise<{ mission: MissionDto | null; score: CountryScore }> {
  const missions = await listMissions(db, 'all', countryCode);
  const mission = missionId === undefined ? missions[0] : missions.find((m) => m.id === missionId);
  if (missionId !== undefined && !mission) throw Problem.notFound(`Mission ${missionId} of ${countryCode}`);
  if (!mission) return { mission: null, score: scoreCountry([]) };
  const areas: QuestionnaireScore[] = [];
  for (const assessment of await listAssessments(db, 'all', { missionId: mission.id })) {
    const { score } = await scoreAssessment(db, source, assessment);
    if (score) areas.push(score);
  }
  return { mission, score: scoreCountry(areas) };
}
