/**
 * Assessment pages: the fill-in form (with a script-less save), the history of one answer, and the
 * review (scores per section, radar, ranked gaps with recommendations, evidence gaps, section review
 * states and comments). Every handler loads the assessment, then checks the user against its country.
 */
import type { Translate } from '../translate.js';
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Language } from '../../../i18n/i18n.js';
import { answerValueSchema, type AnswerValue } from '../../../questionnaire/answerValue.js';
import { scopedQuestionnaire, type Questionnaire } from '../../../questionnaire/model.js';
import { Problem } from '../../../shared/problem.js';
import { answerHistory, listAnswers, saveAnswer } from '../../../storage/answers.js';
import { getAssessment, setAssessmentCompletion, type AssessmentDto } from '../../../storage/assessments.js';
import { questionnaireProgress } from '../../../assessment/progress.js';
import { assessmentView, findQuestionnaire } from '../../../assessment/assessmentView.js';
import { getCountry } from '../../../storage/countries.js';
import { getMission, type MissionDto } from '../../../storage/missions.js';
import { addReviewComment, listReviews, resolveReviewComment, setSectionReview } from '../../../storage/reviews.js';
import { REVIEW_STATES } from '../../../storage/schema.js';
import { idParam } from '../../api/validate.js';
import { can, type Action } from '../../auth/permissions.js';
import { authorize, requireUser, userOf } from '../../auth/session.js';
import { describeValue } from '../../client/clientModel.js';
import type { PagesContext } from '../context.js';
import { buildClientModel, buildFillPage, type StoredAnswer } from '../fillModel.js';
import { formChanges } from '../formAnswers.js';
import { frameFor, safeReturnPath, sendPage } from '../frame.js';
import { commentThreads } from '../commentThreads.js';
import { buildReviewPage } from '../reviewModel.js';
import { clientStrings } from '../clientStrings.js';

interface Loaded {
  assessment: AssessmentDto;
  mission: MissionDto;
  questionnaire: Questionnaire;
}

interface NojsResult {
  saved: number;
  errors: { questionId: string; number: string; message: string }[];
  conflicts: { questionId: string; number: string }[];
  assessmentId: number;
}

const reviewForm = z.object({ state: z.enum(REVIEW_STATES) });
const commentForm = z.object({ body: z.string().trim().min(1).max(10_000), replyTo: z.coerce.number().int().positive().optional(), returnTo: z.string().optional() });
const resolveForm = z.object({ resolved: z.enum(['0', '1']), returnTo: z.string().optional() });

export function assessmentPages(context: PagesContext): Router {
  const router = Router();
  const { db } = context.store;

  async function load(req: Request, action: Action): Promise<Loaded> {
    const assessment = await getAssessment(db, idParam(req.params.id as string, 'Assessment'));
    authorize(userOf(req), action, assessment.countryCode);
    const questionnaire = findQuestionnaire(context.questionnaires, assessment.questionnaireId);
    if (!questionnaire) throw Problem.notFound(`Questionnaire ${assessment.questionnaireId}`);
    return { assessment, mission: await getMission(db, assessment.missionId), questionnaire };
  }

  async function storedAnswers(assessmentId: number): Promise<Map<string, StoredAnswer>> {
    const answers = await listAnswers(db, assessmentId);
    const authorIds = [...new Set(answers.map((a) => a.authorId).filter((id): id is number => id !== null))];
    const names = new Map(authorIds.length === 0 ? [] : (await db.selectFrom('users').select(['id', 'name']).where('id', 'in', authorIds).execute()).map((u) => [u.id, u.name]));
    return new Map(answers.map((a) => [a.questionId, { ...a, authorName: a.authorId === null ? null : names.get(a.authorId) ?? null }]));
  }

  function questionNumber(questionnaire: Questionnaire, questionId: string): string {
    const placed = questionnaire.questionsById.get(questionId);
    if (!placed) return questionId;
    return `${placed.sectionIndex + 1}.${placed.section.questions.findIndex((q) => q.id === questionId) + 1}`;
  }

  async function completionOf(loaded: Loaded, answers: ReadonlyMap<string, StoredAnswer>, language: Language) {
    const { assessment, questionnaire } = loaded;
    const state = questionnaireProgress(scopedQuestionnaire(questionnaire, assessment.scope), new Map([...answers].map(([id, answer]) => [id, answer.value])));
    const completedBy = assessment.completedBy === null ? null : (await db.selectFrom('users').select('name').where('id', '=', assessment.completedBy).executeTakeFirst())?.name ?? null;
    return {
      nextUnanswered: state.unanswered[0] ?? null,
      missing: state.missingRequired.map((id) => ({ id, number: questionNumber(questionnaire, id), text: questionnaire.questionsById.get(id)?.question.text[language] ?? id })),
      completedAt: assessment.completedAt,
      completedBy,
    };
  }

  async function showFill(req: Request, res: Response, loaded: Loaded, options: { overrides?: Map<string, StoredAnswer>; nojsResult?: NojsResult; status?: number; notice?: string } = {}): Promise<void> {
    const user = userOf(req);
    const { assessment, mission, questionnaire } = loaded;
    const frame = frameFor(req, { title: '', pageId: 'fill', demo: mission.isDemo });
    const answers = await storedAnswers(assessment.id);
    for (const [id, answer] of options.overrides ?? []) answers.set(id, answer);
    const built = buildFillPage({ questionnaire: scopedQuestionnaire(questionnaire, assessment.scope), questionnaires: context.questionnaires.questionnaires, catalogue: context.questionnaires.catalogue, answers, language: frame.lang, t: frame.t });
    // The managers' review comments, where the expert works: per section, to answer and resolve.
    const { comments } = await listReviews(db, assessment.id);
    const fill = { ...built, sections: built.sections.map((section) => {
      const threads = commentThreads(comments, section.id, frame.t);
      return { ...section, comments: threads, openComments: threads.filter((thread) => !thread.resolved).length };
    }) };
    frame.title = fill.questionnaire.title;
    let versionNotice: string | null = null;
    if (assessment.questionnaireVersion !== questionnaire.version) {
      const view = await assessmentView(db, context.questionnaires, assessment.id);
      versionNotice = frame.t('web:fill.versionChanged', {
        pinned: assessment.questionnaireVersion,
        current: questionnaire.version,
        retired: view.changes?.retiredAnswers.join(', ') || '—',
        invalid: view.changes?.invalidAnswers.map((a) => a.questionId).join(', ') || '—',
      });
    }
    const country = await getCountry(db, assessment.countryCode);
    sendPage(res, context.renderer, 'fill', frame, {
      fill,
      assessment: { id: assessment.id, missionId: mission.id, missionTitle: mission.title, countryName: country.name[frame.lang], version: assessment.questionnaireVersion },
      userId: user.id,
      readOnly: !can(user, 'answer.write', assessment.countryCode),
      canReview: can(user, 'review.write', assessment.countryCode),
      clientStrings: clientStrings(frame.t),
      versionNotice,
      completion: await completionOf(loaded, answers, frame.lang),
      completionNotice: options.notice ?? (req.query.completed === '1' ? frame.t('web:complete.marked') : req.query.reopened === '1' ? frame.t('web:complete.reopened') : null),
      nojsResult: options.nojsResult ?? (typeof req.query.saved === 'string' ? { saved: Number(req.query.saved) || 0, errors: [], conflicts: [], assessmentId: assessment.id } : null),
    }, options.status);
  }

  router.get('/assessments/:id', requireUser, async (req, res) => {
    await showFill(req, res, await load(req, 'country.read'));
  });

  /** The form posted without JavaScript: saves what changed, reports what could not be saved. */
  router.post('/assessments/:id', requireUser, async (req, res) => {
    const loaded = await load(req, 'answer.write');
    const { assessment, questionnaire } = loaded;
    const user = userOf(req);
    const stored = await storedAnswers(assessment.id);
    const result: NojsResult = { saved: 0, errors: [], conflicts: [], assessmentId: assessment.id };
    const overrides = new Map<string, StoredAnswer>();
    for (const change of formChanges(questionnaire, req.body as Record<string, unknown>, stored)) {
      const question = questionnaire.questionsById.get(change.questionId)?.question;
      if (!question) continue;
      const number = questionNumber(questionnaire, change.questionId);
      const parsed = answerValueSchema(question).safeParse(change.fields.value);
      if (change.fields.value === undefined || !parsed.success) {
        result.errors.push({ questionId: change.questionId, number, message: frameFor(req, { title: '', pageId: 'fill' }).t('web:fill.invalidValue') });
        continue;
      }
      try {
        await saveAnswer(db, user, {
          assessmentId: assessment.id, questionId: change.questionId, value: parsed.data,
          note: change.fields.note ?? null, source: change.fields.source ?? null, evidence: change.fields.evidence ?? null, baseRevision: change.baseRevision,
        });
        result.saved += 1;
      } catch (error) {
        if (!(error instanceof Problem) || error.code !== 'conflict') throw error;
        result.conflicts.push({ questionId: change.questionId, number });
        // The expert's version stays in the form, on top of the current revision: saving again keeps it.
        const current = stored.get(change.questionId);
        const latest = (error.extra?.current as { revision?: number } | null | undefined)?.revision ?? current?.revision ?? 0;
        overrides.set(change.questionId, {
          value: change.fields.value as AnswerValue, note: change.fields.note ?? null, source: change.fields.source ?? null, evidence: change.fields.evidence ?? null,
          revision: latest, updatedAt: current?.updatedAt ?? new Date().toISOString(),
        });
      }
    }
    if (result.errors.length === 0 && result.conflicts.length === 0) return res.redirect(303, `/assessments/${assessment.id}?saved=${result.saved}`);
    // A stale revision is a conflict (409), answered with the form itself: the expert's version stays in it.
    await showFill(req, res, loaded, { overrides, nojsResult: result, status: result.conflicts.length > 0 ? 409 : 200 });
  });

  /** Marks the questionnaire complete: refused (409, the list shown) while a shown required question has no answer. */
  router.post('/assessments/:id/complete', requireUser, async (req, res) => {
    const loaded = await load(req, 'answer.write');
    const { missingRequired } = questionnaireProgress(scopedQuestionnaire(loaded.questionnaire, loaded.assessment.scope), new Map((await listAnswers(db, loaded.assessment.id)).map((answer) => [answer.questionId, answer.value])));
    if (missingRequired.length > 0) return showFill(req, res, loaded, { status: 409 });
    await setAssessmentCompletion(db, userOf(req), loaded.assessment.id, true);
    res.redirect(303, `/assessments/${loaded.assessment.id}?completed=1#completion`);
  });

  router.post('/assessments/:id/reopen', requireUser, async (req, res) => {
    const loaded = await load(req, 'answer.write');
    await setAssessmentCompletion(db, userOf(req), loaded.assessment.id, false);
    res.redirect(303, `/assessments/${loaded.assessment.id}?reopened=1#completion`);
  });

  router.get('/assessments/:id/questions/:questionId/history', requireUser, async (req, res) => {
    const { assessment, mission, questionnaire } = await load(req, 'country.read');
    const questionId = req.params.questionId as string;
    const placed = questionnaire.questionsById.get(questionId);
    const frame = frameFor(req, { title: '', pageId: 'history', demo: mission.isDemo });
    const rows = await answerHistory(db, assessment.id, questionId);
    if (!placed && rows.length === 0) throw Problem.notFound(`Question ${questionId}`);
    const model = buildClientModel({ questionnaire, catalogue: context.questionnaires.catalogue, answers: new Map(), language: frame.lang, t: frame.t });
    const clientQuestion = model.sections.flatMap((s) => s.questions).find((q) => q.id === questionId);
    frame.title = frame.t('web:history.title');
    sendPage(res, context.renderer, 'history', frame, {
      assessmentId: assessment.id,
      mission,
      questionnaireTitle: questionnaire.title[frame.lang],
      questionId,
      questionText: placed ? placed.question.text[frame.lang] : questionId,
      number: questionNumber(questionnaire, questionId),
      retired: !placed,
      rows: rows.map((row) => {
        const value = JSON.parse(row.value) as AnswerValue;
        return {
          revision: row.revision,
          createdAt: row.created_at,
          author: row.author_name ?? frame.t('web:dashboard.systemAuthor'),
          value: clientQuestion ? describeValue(model, clientQuestion, value) : JSON.stringify(value),
          note: row.note,
          source: row.source,
          evidence: row.evidence ? frame.t(`web:evidence.${row.evidence}`) : null,
        };
      }),
    });
  });

  async function showReview(req: Request, res: Response, loaded: Loaded, language: Language, t: Translate): Promise<void> {
    const { assessment, mission } = loaded;
    const user = userOf(req);
    const view = await assessmentView(db, context.questionnaires, assessment.id);
    const frame = frameFor(req, { title: '', pageId: 'review', demo: mission.isDemo });
    const page = buildReviewPage({ view, questionnaire: loaded.questionnaire, catalogue: context.questionnaires.catalogue, language, t });
    frame.title = t('web:review.title', { questionnaire: page.title });
    const country = await getCountry(db, assessment.countryCode);
    sendPage(res, context.renderer, 'review', frame, {
      ...page,
      assessmentId: assessment.id,
      mission,
      countryName: country.name[language],
      canReview: can(user, 'review.write', assessment.countryCode),
      states: REVIEW_STATES,
    });
  }

  router.get('/assessments/:id/review', requireUser, async (req, res) => {
    const loaded = await load(req, 'country.read');
    const frame = frameFor(req, { title: '', pageId: 'review' });
    await showReview(req, res, loaded, frame.lang, frame.t);
  });

  function sectionOf(questionnaire: Questionnaire, sectionId: string): string {
    if (!questionnaire.sections.some((s) => s.id === sectionId)) throw Problem.notFound(`Section ${sectionId}`);
    return sectionId;
  }

  router.post('/assessments/:id/sections/:sectionId/review', requireUser, async (req, res) => {
    const { assessment, questionnaire } = await load(req, 'review.write');
    const sectionId = sectionOf(questionnaire, req.params.sectionId as string);
    const form = reviewForm.safeParse(req.body);
    if (!form.success) throw Problem.validation('Choose a review state.', [{ path: 'state', message: `must be one of ${REVIEW_STATES.join(', ')}` }]);
    await setSectionReview(db, userOf(req), assessment.id, sectionId, form.data.state);
    res.redirect(303, `/assessments/${assessment.id}/review#review-${sectionId}`);
  });

  router.post('/assessments/:id/sections/:sectionId/comments', requireUser, async (req, res) => {
    const { assessment, questionnaire } = await load(req, 'review.write');
    const sectionId = sectionOf(questionnaire, req.params.sectionId as string);
    const form = commentForm.safeParse(req.body);
    if (!form.success) throw Problem.validation('Write a comment (at most 10,000 characters).', [{ path: 'body', message: 'must not be empty' }]);
    await addReviewComment(db, userOf(req), assessment.id, sectionId, form.data.body, form.data.replyTo ?? null);
    res.redirect(303, safeReturnPath(form.data.returnTo, `/assessments/${assessment.id}/review#review-${sectionId}`));
  });

  /** The expert (or a manager) marks a comment thread resolved, or opens it again. */
  router.post('/assessments/:id/comments/:commentId/resolve', requireUser, async (req, res) => {
    const { assessment } = await load(req, 'review.write');
    const form = resolveForm.safeParse(req.body);
    if (!form.success) throw Problem.validation('Send resolved=1 to resolve the thread or resolved=0 to open it again.', [{ path: 'resolved', message: 'must be 0 or 1' }]);
    const { sectionId } = await resolveReviewComment(db, userOf(req), assessment.id, idParam(req.params.commentId as string, 'Review comment'), form.data.resolved === '1');
    res.redirect(303, safeReturnPath(form.data.returnTo, `/assessments/${assessment.id}/review#review-${sectionId}`));
  });

  return router;
}

