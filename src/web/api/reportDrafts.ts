/**
 * The report workspace over HTTP: the mission's report draft (texts and recommendations, each saved
 * like an answer: revision, 409 with both versions, idempotent opId), its state, finalisation into a
 * version with PDF and DOCX files, and their download. Roles: managers and admins edit and finalise;
 * experts of the country edit texts and propose recommendations while the draft is not final; whoever
 * may read the country reads the draft. Every handler loads the mission, then checks the user.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { finalizeReport } from '../../report/draft/finalize.js';
import { reportStatusOf } from '../../report/draft/status.js';
import { REPORT_LANGUAGES } from '../../report/input.js';
import { configuredMarking } from '../../report/model/common.js';
import { storeReportSource } from '../../report/storeSource.js';
import { PRIORITIES, TIMEFRAMES } from '../../questionnaire/vocabulary.js';
import { Problem } from '../../shared/problem.js';
import { getMission, type MissionDto } from '../../storage/missions.js';
import { addCustomRecommendation, getDraft, saveDraftRecommendation, saveDraftText, setDraftState, type DraftDto } from '../../storage/reportDrafts.js';
import { getVersionFile, listVersions, type ReportVersionDto } from '../../storage/reportVersions.js';
import { OUTPUT_FORMATS, type OutputFormat } from '../../storage/reportDraftTables.js';
import { enqueueJob, findJob, getJob, type ReportJobDto } from '../../storage/reportJobs.js';
import { reportWorkerFor } from '../reportWorker.js';
import { can, type SessionUser } from '../auth/permissions.js';
import { authorize, requireUser, userOf } from '../auth/session.js';
import type { ApiContext } from './context.js';
import { idParam, parseInput } from './validate.js';

const longText = z.string({ error: 'must be text' }).max(50_000, 'is too long (at most 50,000 characters)');
const baseRevision = z.number({ error: 'must be the revision you edited' }).int().min(0);
const opId = z.string({ error: 'must be a unique id of this change (e.g. a UUID); send the same one when retrying' }).min(1).max(128).optional();
const institution = z.union([z.string().trim().min(1).max(300), z.array(z.string().trim().min(1).max(300)).max(20)], { error: 'must be an institution (e.g. "police" or a name) or a list of them' })
  .transform((value) => (Array.isArray(value) ? value : [value]));
const priority = z.enum(PRIORITIES, { error: `must be one of ${PRIORITIES.join(', ')}` });
const timeframe = z.enum(TIMEFRAMES, { error: `must be one of ${TIMEFRAMES.join(', ')}` });

const textBody = z.strictObject({ en: longText.optional(), ru: longText.optional(), baseRevision, opId })
  .refine((body) => body.en !== undefined || body.ru !== undefined, { path: ['en'], message: 'send en, ru or both' });
const recommendationBody = z.strictObject({
  text: z.strictObject({ en: longText.optional(), ru: longText.optional() }).optional(),
  priority: priority.optional(),
  timeframe: timeframe.optional(),
  institution: institution.optional(),
  status: z.enum(['accepted', 'edited', 'dropped'], { error: 'must be accepted, edited or dropped ("gap-closed" is set by ENA when the answers close the gap)' }).optional(),
  reason: z.string().max(2_000, 'is too long (at most 2,000 characters)').nullable().optional(),
  mergedInto: z.number().int().min(1).nullable().optional(),
  baseRevision,
  opId,
});
const customBody = z.strictObject({
  text: z.strictObject({ en: longText.default(''), ru: longText.default('') }).refine((text) => text.en.trim() !== '' || text.ru.trim() !== '', { message: 'write the recommendation in English, Russian or both' }),
  priority: priority.default('medium'),
  timeframe: timeframe.default('medium'),
  institution: institution.default([]),
  indicators: z.array(z.string().regex(/^[\w.-]+\/[\w.-]+$/, 'must name a question as questionnaireId/questionId')).max(50).default([]),
  references: z.array(z.string().min(1).max(100)).max(50).default([]),
  opId,
});
const stateBody = z.strictObject({ state: z.enum(['draft', 'in_review'], { error: 'must be draft or in_review (finalise with POST …/finalize)' }) });
const jobBody = z.strictObject({
  language: z.enum(REPORT_LANGUAGES, { error: `must be one of ${REPORT_LANGUAGES.join(', ')}` }),
  format: z.enum(OUTPUT_FORMATS, { error: 'must be pdf or docx' }).default('pdf'),
});
const finalizeBody = z.strictObject({
  languages: z.array(z.enum(REPORT_LANGUAGES, { error: `must be one of ${REPORT_LANGUAGES.join(', ')}` })).min(1, 'name at least one language').max(3),
  changeNote: z.string().max(2_000, 'is too long (at most 2,000 characters)').optional(),
});

async function sendFile(res: Response, filePath: string, format: OutputFormat, sha: string, missing: string): Promise<void> {
  const size = await stat(filePath).then((info) => info.size, () => {
    throw new Problem('not_found', missing);
  });
  res.set('Content-Type', format === 'pdf' ? 'application/pdf' : 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
  res.set('Content-Length', String(size));
  if (sha) res.set('X-Content-SHA256', sha);
  res.attachment(basename(filePath));
  await pipeline(createReadStream(filePath), res);
}

/** What clients see of a draft: the interface of issue 11, plus the mission it belongs to. */
export const draftView = (draft: DraftDto) => ({
  missionId: draft.missionId,
  revision: draft.revision,
  state: draft.state,
  texts: draft.texts.map(({ key, en, ru, origin, translation, revision, authorId, updatedAt }) => ({ key, en, ru, origin, translation, revision, authorId, updatedAt })),
  recommendations: draft.recommendations,
});

export const versionView = (version: ReportVersionDto) => ({
  version: version.version,
  changeNote: version.changeNote,
  dataRevision: version.dataRevision,
  draftRevision: version.draftRevision,
  approvedBy: version.approvedBy,
  approvedAt: version.approvedAt,
  files: version.files.map((file) => ({
    format: file.format, language: file.language, sha256: file.sha256, size: file.size, fileName: basename(file.filePath),
    downloadUrl: `/api/missions/${version.missionId}/report-versions/files/${file.id}`,
  })),
});

export const jobView = (job: ReportJobDto, now = Date.now()) => ({
  id: job.id,
  status: job.status,
  format: job.format,
  language: job.language,
  dataRevision: job.dataRevision,
  draftRevision: job.draftRevision,
  attempts: job.attempts,
  pagesDone: job.pagesDone,
  pageCount: job.pageCount,
  /** Since the job started, or its whole run once finished. */
  elapsedMs: job.startedAt === null ? 0 : (job.finishedAt === null ? now : Date.parse(job.finishedAt)) - Date.parse(job.startedAt),
  error: job.status === 'failed' ? job.error : null,
  statusUrl: `/api/report-jobs/${job.id}`,
  downloadUrl: job.status === 'done' ? `/api/report-jobs/${job.id}/download` : null,
});

export function reportDraftsRouter(context: ApiContext): Router {
  const router = Router();
  const { db } = context.store;
  const worker = reportWorkerFor(context);
  const sourceFor = (user: SessionUser) => storeReportSource(db, context.questionnaires, { marking: configuredMarking(context.config.reportMarking), actor: user });

  async function mission(req: Request): Promise<MissionDto> {
    return getMission(db, idParam(req.params.id as string, 'Mission'));
  }

  /** The draft brought up to date with the answers (made on first use). */
  async function synced(user: SessionUser, of: MissionDto) {
    const input = await sourceFor(user).countryReport(of.countryCode, String(of.id));
    return { input, draft: (await getDraft(db, of.id)) as DraftDto };
  }

  async function existing(user: SessionUser, of: MissionDto): Promise<DraftDto> {
    return (await getDraft(db, of.id)) ?? (await synced(user, of)).draft;
  }

  /** Managers always; experts of the country while the draft is not final. */
  function authorizeContribution(user: SessionUser, of: MissionDto, draft: DraftDto): void {
    if (can(user, 'report.generate', of.countryCode)) return;
    authorize(user, 'report.preview', of.countryCode);
    if (draft.state === 'final') throw Problem.forbidden('The report is final: only a manager can start its next version.');
  }

  router.get('/missions/:id/report-draft', requireUser, async (req, res) => {
    const of = await mission(req);
    const user = userOf(req);
    authorize(user, 'country.read', of.countryCode);
    const { input, draft } = await synced(user, of);
    // What a report generated now prints: whether it may call itself the approved version.
    const status = reportStatusOf(input);
    res.json({ draft: draftView(draft), versions: (await listVersions(db, of.id)).map(versionView), dataRevision: input.dataRevision, status });
  });

  router.put('/missions/:id/report-draft/texts/:key', requireUser, async (req, res) => {
    const of = await mission(req);
    const user = userOf(req);
    authorize(user, 'country.read', of.countryCode);
    authorizeContribution(user, of, await existing(user, of));
    const body = parseInput(textBody, req.body);
    const saved = await saveDraftText(db, user, { missionId: of.id, key: req.params.key as string, en: body.en, ru: body.ru, baseRevision: body.baseRevision, opId: body.opId });
    res.json({ text: saved.text, draftRevision: saved.draftRevision, replayed: saved.replayed });
  });

  router.put('/missions/:id/report-draft/recommendations/:recId', requireUser, async (req, res) => {
    const of = await mission(req);
    const user = userOf(req);
    authorize(user, 'report.generate', of.countryCode);
    await existing(user, of);
    const body = parseInput(recommendationBody, req.body);
    const saved = await saveDraftRecommendation(db, user, {
      missionId: of.id, id: idParam(req.params.recId as string, 'Recommendation'), text: body.text, priority: body.priority, timeframe: body.timeframe,
      institution: body.institution, status: body.status, reason: body.reason, mergedInto: body.mergedInto, baseRevision: body.baseRevision, opId: body.opId,
    });
    res.json({ recommendation: saved.recommendation, draftRevision: saved.draftRevision, replayed: saved.replayed });
  });

  router.post('/missions/:id/report-draft/recommendations', requireUser, async (req, res) => {
    const of = await mission(req);
    const user = userOf(req);
    authorize(user, 'country.read', of.countryCode);
    authorizeContribution(user, of, await existing(user, of));
    const body = parseInput(customBody, req.body);
    body.indicators.forEach((indicator, index) => {
      const [questionnaireId, questionId] = indicator.split('/');
      const questionnaire = context.questionnaires.questionnaires.find((candidate) => candidate.id === questionnaireId);
      if (!questionnaire?.questionsById.has(questionId ?? '')) throw Problem.validation(`Indicator "${indicator}" is not a question of an installed questionnaire.`, [{ path: `indicators.${index}`, message: 'unknown question' }]);
    });
    body.references.forEach((reference, index) => {
      if (!context.questionnaires.catalogue.references.has(reference)) throw Problem.validation(`Reference "${reference}" is not in the references catalogue.`, [{ path: `references.${index}`, message: 'unknown reference' }]);
    });
    const saved = await addCustomRecommendation(db, user, { missionId: of.id, ...body });
    res.status(saved.replayed ? 200 : 201).json({ recommendation: saved.recommendation, draftRevision: saved.draftRevision, replayed: saved.replayed });
  });

  router.put('/missions/:id/report-draft/state', requireUser, async (req, res) => {
    const of = await mission(req);
    const user = userOf(req);
    authorize(user, 'report.generate', of.countryCode);
    await existing(user, of);
    const { state } = parseInput(stateBody, req.body);
    await setDraftState(db, user, of.id, state);
    res.json({ draft: draftView((await getDraft(db, of.id)) as DraftDto) });
  });

  router.post('/missions/:id/report-draft/finalize', requireUser, async (req, res) => {
    const of = await mission(req);
    const user = userOf(req);
    authorize(user, 'report.generate', of.countryCode);
    const body = parseInput(finalizeBody, req.body);
    const { input } = await synced(user, of);
    const version = await finalizeReport({
      db, pool: context.pdf.get(), actor: user, missionId: of.id, input, languages: body.languages, changeNote: body.changeNote, reportsDir: context.config.reportsDir,
    });
    res.status(201).json(versionView(version));
  });

  /** Generates the draft report off the request; an unchanged report is answered from its stored file at once. */
  router.post('/missions/:id/report-draft/jobs', requireUser, async (req, res) => {
    const of = await mission(req);
    const user = userOf(req);
    if (!can(user, 'report.generate', of.countryCode)) authorize(user, 'report.preview', of.countryCode);
    const body = parseInput(jobBody, req.body);
    const { input, draft } = await synced(user, of);
    const key = { missionId: of.id, format: body.format, language: body.language, dataRevision: Number(input.dataRevision), draftRevision: draft.revision };
    const found = await findJob(db, key);
    if (found?.status === 'done' && found.filePath && (await stat(found.filePath).then(() => true, () => false))) {
      res.json({ job: jobView(found), reused: true });
      return;
    }
    const job = found && found.status !== 'done' ? found : await enqueueJob(db, user, key);
    worker.kick();
    res.status(202).json({ job: jobView(job), reused: false });
  });

  async function loadJob(req: Request) {
    const job = await getJob(db, idParam(req.params.jobId as string, 'Report job'));
    const of = await getMission(db, job.missionId);
    const user = userOf(req);
    if (!can(user, 'report.generate', of.countryCode)) authorize(user, 'report.preview', of.countryCode);
    return job;
  }

  router.get('/report-jobs/:jobId', requireUser, async (req, res) => {
    res.json({ job: jobView(await loadJob(req)) });
  });

  router.get('/report-jobs/:jobId/download', requireUser, async (req, res) => {
    const job = await loadJob(req);
    if (job.status !== 'done' || !job.filePath) throw new Problem('conflict', `Report job ${job.id} is ${job.status}: download it once it is done (see its statusUrl).`);
    await sendFile(res, job.filePath, job.format, job.sha256 ?? '', `The file of report job ${job.id} is no longer in the reports folder: generate the report again.`);
  });

  router.get('/missions/:id/report-versions', requireUser, async (req, res) => {
    const of = await mission(req);
    authorize(userOf(req), 'country.read', of.countryCode);
    res.json({ versions: (await listVersions(db, of.id)).map(versionView) });
  });

  router.get('/missions/:id/report-versions/files/:fileId', requireUser, async (req, res) => {
    const of = await mission(req);
    const user = userOf(req);
    if (!can(user, 'report.generate', of.countryCode)) authorize(user, 'report.preview', of.countryCode);
    const file = await getVersionFile(db, of.id, idParam(req.params.fileId as string, 'Report file'));
    await sendFile(res, file.filePath, file.format, file.sha256, `The file of version ${file.version} is no longer in the reports folder (ENA_REPORTS): restore it from the backup.`);
  });

  return router;
}
