/**
 * Mission bundle pages for managers: importing a bundle file through a plain upload form (no script
 * needed: bodies.ts reads the multipart form) with the import summary or a clear refusal, and the
 * conflicts an import left, both versions side by side, resolved by keeping the answer here or
 * adopting the incoming one. The export is the API's GET /api/missions/:id/bundle, linked from the
 * mission page. Each handler checks the user exactly as the API routes do.
 */
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { findQuestionnaire } from '../../../assessment/assessmentView.js';
import { importMissionBundle, type ImportResult } from '../../../exchange/bundle/bundles.js';
import type { MergeSummary } from '../../../exchange/bundle/merge.js';
import { getConflict, listConflicts, resolveConflict, type ConflictView } from '../../../exchange/conflicts.js';
import { answerValueSchema } from '../../../questionnaire/answerValue.js';
import { Problem } from '../../../shared/problem.js';
import { getMission } from '../../../storage/missions.js';
import { idParam, parseInput } from '../../api/validate.js';
import { can } from '../../auth/permissions.js';
import { authorize, requirePermission, requireUser, userOf } from '../../auth/session.js';
import type { UploadedFile } from '../../multipart.js';
import type { PagesContext } from '../context.js';
import { frameFor, sendPage } from '../frame.js';
import type { PageFrame } from '../view.js';

/** Summary counts shown after an import, in this order (labels: workspace:bundle.summary.<key>). */
const SUMMARY_KEYS = ['assessmentsCreated', 'answersAdded', 'answersUpdated', 'answersAdopted', 'answersUnchanged', 'answersNewerHere', 'conflicts',
  'conflictsAlreadyRecorded', 'conflictRecordsImported', 'conflictRecordsResolved', 'reviewsUpdated', 'commentsAdded'] as const satisfies readonly (keyof MergeSummary)[];

/** Refusals the bundle reader names (Problem detail message) that have their own translated explanation. */
const KNOWN_REFUSALS: Record<string, string> = {
  'empty file': 'empty', truncated: 'truncated', 'extra bytes': 'damaged', 'checksum mismatch': 'damaged', 'altered header': 'damaged',
  unsigned: 'unsigned', 'different key': 'differentKey', 'signature mismatch': 'signature', 'invalid JSON': 'notBundle',
};

const resolutionForm = z.object({ choice: z.enum(['keep', 'incoming'], { error: 'must be keep or incoming' }) });

const display = (value: unknown): string => (value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value, null, 1));

export function bundlePages(context: PagesContext): Router {
  const router = Router();
  const { db } = context.store;

  function showImport(req: Request, res: Response, data: { result?: ImportResult; refusal?: { reason: string | null; message: string; details: string[] } }, status = 200): void {
    const frame = frameFor(req, { title: '', pageId: 'bundle-import' });
    const { result } = data;
    sendPage(res, context.renderer, 'bundle-import', { ...frame, title: frame.t('workspace:bundle.importTitle') }, {
      refusal: data.refusal,
      result: result && {
        missionId: result.missionId, changed: result.changed, created: result.summary.missionCreated, updated: result.summary.missionUpdated,
        conflicts: result.summary.conflicts, sha256: result.sha256, signature: frame.t(`workspace:bundle.signature.${result.signature}`), warnings: result.warnings,
        counts: SUMMARY_KEYS.filter((key) => result.summary[key] > 0).map((key) => ({ label: frame.t(`workspace:bundle.summary.${key}`), value: result.summary[key] })),
      },
    }, status);
  }

  router.get('/bundles/import', requirePermission('bundle.import'), (req, res) => {
    showImport(req, res, {});
  });

  router.post('/bundles/import', requirePermission('bundle.import'), async (req, res) => {
    const user = userOf(req);
    const file = (req.body as { files?: Record<string, UploadedFile> }).files?.bundle;
    if (!file || file.bytes.length === 0) {
      showImport(req, res, { refusal: { reason: 'noFile', message: '', details: [] } }, 400);
      return;
    }
    try {
      const result = await importMissionBundle(db, user, file.bytes, {
        key: context.config.bundleKey, questionnaires: context.questionnaires.questionnaires, via: 'web',
        authorizeCountry: (code) => authorize(user, 'bundle.import', code),
      });
      showImport(req, res, { result });
    } catch (error) {
      // A refused file is shown on the form, so that the manager can pick another; other failures are error pages.
      if (!(error instanceof Problem) || error.code !== 'validation_failed') throw error;
      const detail = error.details[0]?.message ?? '';
      showImport(req, res, { refusal: { reason: KNOWN_REFUSALS[detail] ?? null, message: error.message, details: error.details.slice(0, 20).map((d) => `${d.path}: ${d.message}`) } }, 422);
    }
  });

  /** Who wrote the answer here: travelling answers name people by e-mail, local ones by user id. */
  async function authorEmails(conflicts: readonly ConflictView[]): Promise<Map<number, string>> {
    const ids = [...new Set(conflicts.map((c) => c.current?.authorId).filter((id): id is number => typeof id === 'number'))];
    if (ids.length === 0) return new Map();
    const rows = await db.selectFrom('users').select(['id', 'email']).where('id', 'in', ids).execute();
    return new Map(rows.map((row) => [row.id, row.email]));
  }

  function conflictView(frame: PageFrame, authors: Map<number, string>, conflict: ConflictView) {
    const questionnaire = findQuestionnaire(context.questionnaires, conflict.questionnaireId);
    const question = questionnaire?.questionsById.get(conflict.questionId)?.question;
    const incoming = conflict.incoming.at(-1);
    return {
      id: conflict.id, questionId: conflict.questionId, questionnaireId: conflict.questionnaireId,
      text: question ? question.text[frame.lang] : conflict.questionId,
      retired: !question,
      current: conflict.current && { value: display(conflict.current.value), note: conflict.current.note, source: conflict.current.source, evidence: conflict.current.evidence,
        author: conflict.current.authorId === null ? null : authors.get(conflict.current.authorId) ?? null, at: conflict.current.updatedAt, revision: conflict.current.revision },
      incoming: incoming && { value: display(incoming.value), note: incoming.note, source: incoming.source, evidence: incoming.evidence, author: incoming.author, at: incoming.createdAt, revision: incoming.revision },
      status: conflict.status, resolvedAt: conflict.resolvedAt, resolvedBy: conflict.resolvedBy,
    };
  }

  router.get('/missions/:id/conflicts', requireUser, async (req, res) => {
    const user = userOf(req);
    const mission = await getMission(db, idParam(req.params.id as string, 'Mission'));
    authorize(user, 'country.read', mission.countryCode);
    const frame = frameFor(req, { title: '', pageId: 'mission-conflicts' });
    const conflicts = await listConflicts(db, mission.id);
    const authors = await authorEmails(conflicts);
    sendPage(res, context.renderer, 'mission-conflicts', { ...frame, title: frame.t('workspace:bundle.conflictsTitle', { title: mission.title }) }, {
      mission,
      canResolve: can(user, 'answer.write', mission.countryCode),
      open: conflicts.filter((c) => c.status === 'open').map((c) => conflictView(frame, authors, c)),
      resolved: conflicts.filter((c) => c.status === 'resolved').map((c) => conflictView(frame, authors, c)),
      justResolved: typeof req.query.resolved === 'string' ? req.query.resolved : null,
    });
  });

  router.post('/conflicts/:id/resolve', requireUser, async (req, res) => {
    const conflict = await getConflict(db, idParam(req.params.id as string, 'Conflict'));
    const user = userOf(req);
    authorize(user, 'answer.write', conflict.countryCode);
    const { choice } = parseInput(resolutionForm, req.body);
    if (choice === 'keep') {
      await resolveConflict(db, user, conflict.id, { choice: 'keep' });
    } else {
      const incoming = conflict.incoming.at(-1);
      if (!incoming) throw Problem.validation(`Conflict ${conflict.id} holds no incoming answer: keep the answer here.`, [{ path: 'choice', message: 'nothing incoming' }]);
      const question = findQuestionnaire(context.questionnaires, conflict.questionnaireId)?.questionsById.get(conflict.questionId)?.question;
      if (!question) throw Problem.validation(`Question "${conflict.questionId}" is no longer in questionnaire ${conflict.questionnaireId}: keep the answer here instead.`, [{ path: 'choice', message: 'the question is retired' }]);
      const value = answerValueSchema(question).safeParse(incoming.value);
      if (!value.success) throw Problem.validation(`The incoming answer to ${conflict.questionId} does not fit the questionnaire installed here (${value.error.issues[0]?.message ?? 'invalid'}): keep the answer here and edit it.`, [{ path: 'value', message: 'does not fit the questionnaire' }]);
      await resolveConflict(db, user, conflict.id, {
        choice: 'answer', value: value.data, note: incoming.note, source: incoming.source, evidence: incoming.evidence, baseRevision: conflict.current?.revision ?? 0,
      });
    }
    res.redirect(303, `/missions/${conflict.missionId}/conflicts?resolved=${conflict.id}#conflict-${conflict.id}`);
  });

  return router;
}
