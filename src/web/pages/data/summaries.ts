/**
 * Mission and assessment summaries for the dashboard and the mission page: progress (the one
 * definition, src/assessment/progress.ts, as on the fill-in page), unknowns and scores from
 * src/scoring, completion, and the last edit with its author.
 */
import type { Kysely } from 'kysely';
import type { Language } from '../../../i18n/i18n.js';
import { scopedQuestionnaire, type Questionnaire } from '../../../questionnaire/model.js';
import { scoreCountry, type Coverage, type QuestionnaireScore } from '../../../scoring/score.js';
import { questionnaireProgress, type Progress } from '../../../assessment/progress.js';
import { listAnswers } from '../../../storage/answers.js';
import { countOpenComments } from '../../../storage/reviews.js';
import type { AssessmentDto } from '../../../storage/assessments.js';
import { assessmentScore, findQuestionnaire, type QuestionnaireSource } from '../../../assessment/assessmentView.js';
import type { MissionDto } from '../../../storage/missions.js';
import type { Database } from '../../../storage/schema.js';

export interface AssessmentSummary {
  id: number;
  questionnaireId: string;
  title: string;
  installed: boolean;
  score: number | null;
  coverage: Coverage;
  progress: Progress;
  unknowns: number;
  version: number;
  completedAt: string | null;
  /** Review comment threads not yet resolved. */
  openComments: number;
}

export interface LastEdit {
  at: string;
  by: string | null;
}

export interface MissionSummary {
  mission: MissionDto;
  assessments: AssessmentSummary[];
  score: number | null;
  coverage: Coverage;
  progress: Progress;
  unknowns: number;
  lastEdit: LastEdit | null;
  /** Installed questionnaires this mission has no assessment for yet. */
  missing: { id: string; title: string }[];
}

export const questionnaireTitle = (questionnaire: Questionnaire, language: Language): string => (questionnaire.short_title ?? questionnaire.title)[language];

export async function lastEdit(db: Kysely<Database>, missionId: number): Promise<LastEdit | null> {
  const row = await db.selectFrom('answers')
    .innerJoin('assessments', 'assessments.id', 'answers.assessment_id')
    .leftJoin('users', 'users.id', 'answers.author_id')
    .select(['answers.updated_at', 'users.name'])
    .where('assessments.mission_id', '=', missionId)
    .orderBy('answers.updated_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? { at: row.updated_at, by: row.name } : null;
}

export async function summariseMission(db: Kysely<Database>, source: QuestionnaireSource, mission: MissionDto, assessments: readonly AssessmentDto[], language: Language): Promise<MissionSummary> {
  const summaries: AssessmentSummary[] = [];
  const scores: QuestionnaireScore[] = [];
  const order = new Map(source.questionnaires.map((q, i) => [q.id, i]));
  const openComments = await countOpenComments(db, assessments.map((a) => a.id));
  for (const assessment of [...assessments].sort((a, b) => (order.get(a.questionnaireId) ?? 99) - (order.get(b.questionnaireId) ?? 99))) {
    const questionnaire = findQuestionnaire(source, assessment.questionnaireId);
    const { score } = await assessmentScore(db, source, assessment.id);
    if (score) scores.push(score);
    const values = new Map((await listAnswers(db, assessment.id)).map((answer) => [answer.questionId, answer.value]));
    const progress = questionnaire ? questionnaireProgress(scopedQuestionnaire(questionnaire, assessment.scope), values).progress : { filled: values.size, total: values.size };
    summaries.push({
      id: assessment.id,
      questionnaireId: assessment.questionnaireId,
      title: questionnaire ? questionnaireTitle(questionnaire, language) : assessment.questionnaireId,
      installed: questionnaire !== undefined,
      score: score?.score ?? null,
      coverage: score?.coverage ?? { answered: 0, applicable: 0 },
      progress,
      unknowns: score?.unknowns.length ?? 0,
      version: assessment.questionnaireVersion,
      completedAt: assessment.completedAt,
      openComments: openComments.get(assessment.id) ?? 0,
    });
  }
  const country = scoreCountry(scores);
  const started = new Set(assessments.map((a) => a.questionnaireId));
  return {
    mission,
    assessments: summaries,
    score: country.score,
    coverage: country.coverage,
    progress: summaries.reduce((sum, s) => ({ filled: sum.filled + s.progress.filled, total: sum.total + s.progress.total }), { filled: 0, total: 0 }),
    unknowns: country.unknowns.length,
    lastEdit: await lastEdit(db, mission.id),
    missing: source.questionnaires.filter((q) => !started.has(q.id)).map((q) => ({ id: q.id, title: questionnaireTitle(q, language) })),
  };
}
