/**
 * Assessments: the questionnaire with answers and scores, autosave of one answer, answer history,
 * section reviews. Every handler loads the assessment, then checks the user against its country.
 */
import { Router, type Request } from 'express';
import { z } from 'zod';
import { answerValueSchema, evidenceLevel, type AnswerValue } from '../../questionnaire/answerValue.js';
import type { Question } from '../../questionnaire/schema.js';
import { Problem } from '../../shared/problem.js';
import { answerHistory } from '../../storage/answers.js';
import { autosaveAnswer } from '../../storage/autosave.js';
import { getAssessmentIn } from '../../storage/sqliteReads.js';
import { createAssessment, listAssessments, repinAssessment, type AssessmentDto } from '../../storage/assessments.js';
import { assessmentScore, assessmentView, findQuestionnaire } from '../../assessment/assessmentView.js';
import { getMission } from '../../storage/missions.js';
import { addReviewComment, listReviews, setSectionReview } from '../../storage/reviews.js';
import { REVIEW_STATES } from '../../storage/schema.js';
import type { Action } from '../auth/permissions.js';
import { visibleCountries } from '../auth/permissions.js';
import { authorize, requirePermission, requireUser, userOf } from '../auth/session.js';
import type { ApiContext } from './context.js';
import { idParam, parseInput } from './validate.js';
import { COMMENT_MAX, NOTE_MAX, OP_ID_MAX, SOURCE_MAX } from '../../shared/fields.js';

const optionalText = (max: number) => z.string().max(max, `is too long (at most ${max.toLocaleString('en')} characters)`).nullable().optional();

const answerBody = z.strictObject({
  value: z.unknown().optional(), // checked against the question below; a missing value gets its own message
  note: optionalText(NOTE_MAX),
  source: optionalText(SOURCE_MAX),
  evidence: evidenceLevel.nullable().optional(),
  baseRevision: z.number({ error: 'must be the revision you edited (0 for a new answer)' }).int().min(0),
  opId: z.string({ error: 'must be a unique id of this save (e.g. a UUID); send the same one when retrying' }).min(1).max(OP_ID_MAX),
});
const newAssessment = z.strictObject({ missionId: z.number().int().min(1), questionnaireId: z.string().min(1) });
const reviewBody = z.strictObject({ state: z.enum(REVIEW_STATES, { error: `must be one of ${REVIEW_STATES.join(', ')}` }) });
const commentBody = z.strictObject({ body: z.string().trim().min(1, 'must not be empty').max(COMMENT_MAX, `is too long (at most ${COMMENT_MAX.toLocaleString('en')} characters)`) });

// Building a zod schema per request would cost more than the rest of the validation.
const valueSchemas = new WeakMap<Question, z.ZodType<AnswerValue>>();
function valueSchemaOf(question: Question): z.ZodType<AnswerValue> {
  let schema = valueSchemas.get(question);
  if (!schema) {
    schema = answerValueSchema(question);
    valueSchemas.set(question, schema);
  }
  return schema;
}

export function assessmentsRouter(context: ApiContext): Router {
  const router = Router();
  const { db } = context.store;

  /** Loads the assessment named in the path and checks `action` on its country. */
  async function load(req: Request, action: Action): Promise<AssessmentDto> {
    const assessment = await getAssessmentIn(context.store, idParam(req.params.id as string, 'Assessment'));
    authorize(userOf(req), action, assessment.countryCode);
    return assessment;
  }

  function sectionOf(assessment: AssessmentDto, sectionId: string): void {
    const questionnaire = findQuestionnaire(context.questionnaires, assessment.questionnaireId);
    if (!questionnaire?.sections.some((s) => s.id === sectionId)) throw Problem.notFound(`Section ${sectionId} in ${assessment.questionnaireId}`);
  }

  router.get('/assessments', requireUser, async (req, res) => {
    const missionId = typeof req.query.mission === 'string' ? idParam(req.query.mission, 'Mission') : undefined;
    const countryCode = typeof req.query.country === 'string' ? req.query.country : undefined;
    res.json({ assessments: await listAssessments(db, visibleCountries(userOf(req)), { missionId, countryCode }) });
  });

  router.post('/assessments', requirePermission('mission.update'), async (req, res) => {
    const input = parseInput(newAssessment, req.body);
    const mission = await getMission(db, input.missionId);
    authorize(userOf(req), 'mission.update', mission.countryCode);
    const questionnaire = findQuestionnaire(context.questionnaires, input.questionnaireId);
    if (!questionnaire) throw Problem.validation(`Unknown questionnaire "${input.questionnaireId}".`, [{ path: 'questionnaireId', message: 'is not installed' }]);
    res.status(201).json({ assessment: await createAssessment(db, userOf(req), { missionId: mission.id, questionnaireId: questionnaire.id, questionnaireVersion: questionnaire.version }) });
  });

  router.get('/assessments/:id', requireUser, async (req, res) => {
    const assessment = await load(req, 'country.read');
    res.json(await assessmentView(db, context.questionnaires, assessment.id));
  });

  router.get('/assessments/:id/score', requireUser, async (req, res) => {
    const assessment = await load(req, 'country.read');
    res.json(await assessmentScore(db, context.questionnaires, assessment.id));
  });

  /** Moves the assessment onto the installed questionnaire version (answers are kept by question id). */
  router.post('/assessments/:id/upgrade', requireUser, async (req, res) => {
    const assessment = await load(req, 'mission.update');
    const questionnaire = findQuestionnaire(context.questionnaires, assessment.questionnaireId);
    if (!questionnaire) throw Problem.notFound(`Questionnaire ${assessment.questionnaireId}`);
    res.json({ assessment: await repinAssessment(db, userOf(req), assessment.id, questionnaire.version) });
  });

  router.put('/assessments/:id/answers/:questionId', requireUser, async (req, res) => {
    const assessment = await load(req, 'answer.write');
    const questionId = req.params.questionId as string;
    const question = findQuestionnaire(context.questionnaires, assessment.questionnaireId)?.questionsById.get(questionId)?.question;
    if (!question) throw Problem.notFound(`Question "${questionId}" in questionnaire ${assessment.questionnaireId}`);
    const body = parseInput(answerBody, req.body);
    const value = valueSchemaOf(question).safeParse(body.value);
    if (!value.success) {
      const message = body.value === undefined ? 'is missing: send the answer value' : value.error.issues[0]?.message ?? 'is not valid for this question';
      throw Problem.validation(`The answer to ${questionId} is not valid: value ${message}.`, [{ path: 'value', message }]);
    }
    const user = userOf(req);
    // Group commit: answered only after the commit holding this save has reached the disk.
    const saved = await autosaveAnswer(context.store, user, {
      assessmentId: assessment.id, questionId, value: value.data, note: body.note, source: body.source, evidence: body.evidence,
      baseRevision: body.baseRevision, opId: body.opId,
    });
    res.json(saved);
  });

  router.get('/assessments/:id/answers/:questionId/history', requireUser, async (req, res) => {
    const assessment = await load(req, 'country.read');
    const rows = await answerHistory(db, assessment.id, req.params.questionId as string);
    res.json({
      history: rows.map((r) => ({
        revision: r.revision, value: JSON.parse(r.value) as AnswerValue, note: r.note, source: r.source, evidence: r.evidence,
        createdAt: r.created_at, author: r.author_name === null ? null : { name: r.author_name, email: r.author_email },
      })),
    });
  });

  router.get('/assessments/:id/reviews', requireUser, async (req, res) => {
    const assessment = await load(req, 'country.read');
    res.json(await listReviews(db, assessment.id));
  });

  router.put('/assessments/:id/reviews/:sectionId', requireUser, async (req, res) => {
    const assessment = await load(req, 'review.write');
    const sectionId = req.params.sectionId as string;
    sectionOf(assessment, sectionId);
    const { state } = parseInput(reviewBody, req.body);
    res.json({ review: await setSectionReview(db, userOf(req), assessment.id, sectionId, state) });
  });

  router.post('/assessments/:id/reviews/:sectionId/comments', requireUser, async (req, res) => {
    const assessment = await load(req, 'review.write');
    const sectionId = req.params.sectionId as string;
    sectionOf(assessment, sectionId);
    const { body } = parseInput(commentBody, req.body);
    res.status(201).json({ comment: await addReviewComment(db, userOf(req), assessment.id, sectionId, body) });
  });

  return router;
}
