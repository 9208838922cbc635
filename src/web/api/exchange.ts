/**
 * Data exchange over HTTP (docs/EXCHANGE.md): spreadsheet and JSON exports, mission bundles out and in,
 * and the conflicts a bundle import left for a person to resolve. Each handler loads what the path
 * names, then checks the user against its country before doing anything.
 */
import express, { Router, type Response } from 'express';
import { z } from 'zod';
import { exportMissionBundle, importMissionBundle } from '../../exchange/bundle/bundles.js';
import { getConflict, listConflicts, resolveConflict } from '../../exchange/conflicts.js';
import { exportFile, type ExportFile } from '../../exchange/exportData.js';
import type { ExportScope } from '../../exchange/exportModel.js';
import { EXPORT_FORMATS } from '../../exchange/render.js';
import { CONFLICT_STATUSES } from '../../exchange/tables.js';
import { LANGUAGES } from '../../i18n/i18n.js';
import { answerValueSchema, evidenceLevel } from '../../questionnaire/answerValue.js';
import { Problem } from '../../shared/problem.js';
import { findQuestionnaire } from '../../assessment/assessmentView.js';
import { getMission } from '../../storage/missions.js';
import { authorize, requirePermission, requireUser, userOf } from '../auth/session.js';
import type { ApiContext } from './context.js';
import { countryCode, idParam, parseInput } from './validate.js';

/** A bundle of a large mission with its whole history is a few megabytes; this leaves ample room. */
export const BUNDLE_BODY_LIMIT = '50mb';

const exportQuery = z.strictObject({
  format: z.enum(EXPORT_FORMATS, { error: `must be one of ${EXPORT_FORMATS.join(', ')}` }).default('xlsx'),
  lang: z.enum(LANGUAGES, { error: 'must be en or ru' }).default('en'),
  separator: z.enum([',', ';'], { error: 'must be "," or ";"' }).default(','),
});

const resolutionBody = z.discriminatedUnion('choice', [
  z.strictObject({ choice: z.literal('keep') }),
  z.strictObject({
    choice: z.literal('answer'),
    value: z.unknown(),
    note: z.string().max(20_000).nullable().optional(),
    source: z.string().max(2_000).nullable().optional(),
    evidence: evidenceLevel.nullable().optional(),
    baseRevision: z.number({ error: 'must be the revision of the answer here that you looked at' }).int().min(0),
    opId: z.string().min(1).max(128).optional(),
  }),
], { error: 'must be { "choice": "keep" } or { "choice": "answer", "value", "baseRevision", … }' });

function sendFile(res: Response, file: ExportFile): void {
  res.set('Content-Type', file.contentType);
  res.set('Content-Disposition', `attachment; filename="${file.fileName}"`);
  res.send(file.body);
}

export function exchangeRouter(context: ApiContext): Router {
  const router = Router();
  const { db } = context.store;

  async function sendExport(res: Response, query: unknown, scope: ExportScope): Promise<void> {
    const options = parseInput(exportQuery, query, 'query string');
    sendFile(res, await exportFile(db, context.questionnaires, { scope, format: options.format, language: options.lang, marking: context.config.reportMarking, csvSeparator: options.separator }));
  }

  router.get('/exports/all', requirePermission('export.read'), async (req, res) => {
    await sendExport(res, req.query, { kind: 'all' });
  });

  router.get('/exports/countries/:code', requireUser, async (req, res) => {
    const code = req.params.code as string;
    // A malformed code names no country, like a malformed id.
    if (!countryCode.safeParse(code).success) throw Problem.notFound(`Country ${code}`);
    authorize(userOf(req), 'export.read', code);
    await sendExport(res, req.query, { kind: 'country', code });
  });

  router.get('/exports/missions/:id', requireUser, async (req, res) => {
    const mission = await getMission(db, idParam(req.params.id as string, 'Mission'));
    authorize(userOf(req), 'export.read', mission.countryCode);
    await sendExport(res, req.query, { kind: 'mission', id: mission.id });
  });

  router.get('/missions/:id/bundle', requireUser, async (req, res) => {
    const mission = await getMission(db, idParam(req.params.id as string, 'Mission'));
    const user = userOf(req);
    authorize(user, 'export.read', mission.countryCode);
    const { file } = await exportMissionBundle(db, mission.id, { key: context.config.bundleKey, exportedBy: user.email });
    sendFile(res, { body: file, contentType: 'application/octet-stream', fileName: `ena-mission-${mission.id}-${mission.countryCode}-${new Date().toISOString().slice(0, 10)}.ena-bundle` });
  });

  router.post('/bundles', requirePermission('bundle.import'), express.raw({ type: () => true, limit: BUNDLE_BODY_LIMIT }), async (req, res) => {
    const user = userOf(req);
    const body: unknown = req.body;
    if (!Buffer.isBuffer(body) || body.length === 0) {
      throw Problem.validation('Send the bundle file as the request body (Content-Type: application/octet-stream).', [{ path: 'body', message: 'empty' }]);
    }
    const result = await importMissionBundle(db, user, body, {
      key: context.config.bundleKey, questionnaires: context.questionnaires.questionnaires, via: 'http',
      authorizeCountry: (code) => authorize(user, 'bundle.import', code),
      // A large import reports where it is in the server log (checking the file, then answers applied).
      onProgress: (progress) => req.log.info({ bundleImport: progress }, 'bundle import progress'),
    });
    res.status(result.changed && result.summary.missionCreated ? 201 : 200).json({ import: result });
  });

  router.get('/missions/:id/conflicts', requireUser, async (req, res) => {
    const mission = await getMission(db, idParam(req.params.id as string, 'Mission'));
    authorize(userOf(req), 'country.read', mission.countryCode);
    const status = req.query.status === undefined ? undefined : parseInput(z.enum(CONFLICT_STATUSES, { error: 'must be open or resolved' }), req.query.status, 'status');
    res.json({ conflicts: await listConflicts(db, mission.id, status) });
  });

  router.post('/conflicts/:id/resolve', requireUser, async (req, res) => {
    const conflict = await getConflict(db, idParam(req.params.id as string, 'Conflict'));
    const user = userOf(req);
    authorize(user, 'answer.write', conflict.countryCode);
    const body = parseInput(resolutionBody, req.body);
    if (body.choice === 'keep') {
      res.json({ conflict: await resolveConflict(db, user, conflict.id, { choice: 'keep' }) });
      return;
    }
    const question = findQuestionnaire(context.questionnaires, conflict.questionnaireId)?.questionsById.get(conflict.questionId)?.question;
    if (!question) throw Problem.validation(`Question "${conflict.questionId}" is no longer in questionnaire ${conflict.questionnaireId}: keep the answer here instead.`, [{ path: 'choice', message: 'the question is retired' }]);
    const value = answerValueSchema(question).safeParse(body.value);
    if (!value.success) {
      const message = body.value === undefined ? 'is missing: send the answer value' : value.error.issues[0]?.message ?? 'is not valid for this question';
      throw Problem.validation(`The answer to ${conflict.questionId} is not valid: value ${message}.`, [{ path: 'value', message }]);
    }
    res.json({ conflict: await resolveConflict(db, user, conflict.id, { ...body, value: value.data }) });
  });

  return router;
}
