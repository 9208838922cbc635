/**
 * Mission pages: the mission (country, dates, team, institutions met, its assessments, report
 * controls), creating and editing missions, starting assessments, and the country review with its
 * radar chart over the assessed areas.
 */
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { reportPreviewHtml } from '../../../report/generate.js';
import { REPORT_PREVIEW_CSP } from '../../../report/html.js';
import { isReportLanguage } from '../../../report/input.js';
import { configuredMarking } from '../../../report/model/common.js';
import { storeReportSource } from '../../../report/storeSource.js';
import { Problem } from '../../../shared/problem.js';
import { createAssessment, listAssessments } from '../../../storage/assessments.js';
import { findQuestionnaire } from '../../../assessment/assessmentView.js';
import { listConflicts } from '../../../exchange/conflicts.js';
import { getCountry } from '../../../storage/countries.js';
import { createMission, getMission, updateMission, type MissionDto } from '../../../storage/missions.js';
import { listReports } from '../../../storage/reports.js';
import { MISSION_STATUSES } from '../../../storage/schema.js';
import { SCOPES } from '../../../questionnaire/vocabulary.js';
import { getUser } from '../../../storage/users.js';
import { inTransaction } from '../../../storage/transaction.js';
import { maySeeReport, reportView, type ReportView } from '../../api/reports.js';
import { countryCode, idParam, isoDate, shortText, stringList } from '../../api/validate.js';
import { can, type SessionUser } from '../../auth/permissions.js';
import { authorize, requireUser, userOf } from '../../auth/session.js';
import type { PagesContext } from '../context.js';
import { offlineStrings } from '../clientStrings.js';
import { summariseMission } from '../data/summaries.js';
import { readForm, lines, type FormError } from '../forms.js';
import { frameFor, sendPage } from '../frame.js';
import { radarChart } from '../radar.js';

const missionForm = z.object({
  title: shortText,
  startsOn: isoDate,
  endsOn: isoDate,
  team: stringList,
  institutionsMet: stringList,
  status: z.enum(MISSION_STATUSES).optional(),
  scope: z.enum(SCOPES).optional(),
}).refine((m) => m.endsOn >= m.startsOn, { path: ['endsOn'], message: 'ends before it starts' });
const newMissionForm = z.object({ countryCode }).and(missionForm);

const institutionLabel = (t: (key: string, options?: Record<string, unknown>) => string, value: string): string =>
  t(`vocabulary:institution.${value}`, { defaultValue: value });

function missionFields(body: Record<string, unknown>): Record<string, unknown> {
  return { ...body, team: lines(body.team), institutionsMet: lines(body.institutionsMet) };
}

export function missionPages(context: PagesContext): Router {
  const router = Router();
  const { db } = context.store;

  async function loadMission(req: Request, action: 'country.read' | 'mission.update'): Promise<MissionDto> {
    const mission = await getMission(db, idParam(req.params.id as string, 'Mission'));
    authorize(userOf(req), action, mission.countryCode);
    return mission;
  }

  /** The mission's recorded reports this user may read, newest first, with who generated them. */
  async function reportsOf(user: SessionUser, mission: MissionDto): Promise<(ReportView & { authorName: string | null })[]> {
    const reports = (await listReports(db, { missionId: mission.id })).filter((report) => maySeeReport(user, report));
    const authors = new Map<number, string>();
    for (const id of new Set(reports.flatMap((report) => (report.createdBy === null ? [] : [report.createdBy])))) {
      authors.set(id, (await getUser(db, id).catch(() => undefined))?.name ?? `#${id}`);
    }
    return reports.map((report) => ({ ...reportView(report), authorName: report.createdBy === null ? null : authors.get(report.createdBy) ?? null }));
  }

  async function showMission(req: Request, res: Response, mission: MissionDto, errors: FormError[] = [], status = 200): Promise<void> {
    const user = userOf(req);
    const frame = frameFor(req, { title: mission.title, pageId: 'mission', demo: mission.isDemo });
    const country = await getCountry(db, mission.countryCode);
    const assessments = await listAssessments(db, 'all', { missionId: mission.id });
    const summary = await summariseMission(db, context.questionnaires, mission, assessments, frame.lang);
    sendPage(res, context.renderer, 'mission', frame, {
      ...summary,
      countryName: country.name[frame.lang],
      institutions: mission.institutionsMet.map((value) => institutionLabel(frame.t, value)),
      canEdit: can(user, 'mission.update', mission.countryCode),
      canAnswer: can(user, 'answer.write', mission.countryCode),
      canReport: can(user, 'report.generate', mission.countryCode),
      canPreview: can(user, 'report.preview', mission.countryCode),
      canExportBundle: can(user, 'export.read', mission.countryCode),
      canImportBundle: can(user, 'bundle.import', mission.countryCode),
      openConflicts: (await listConflicts(db, mission.id, 'open')).length,
      reports: await reportsOf(user, mission),
      statuses: MISSION_STATUSES.map((value) => ({ value, label: frame.t(`web:missionStatus.${value}`), selected: value === mission.status })),
      scopes: SCOPES.map((value) => ({ value, label: frame.t(`web:missionScope.${value}`), selected: value === mission.scope })),
      teamText: mission.team.join('\n'),
      institutionsText: mission.institutionsMet.join('\n'),
      errors,
      offlineStrings: offlineStrings(frame.t),
    }, status);
  }

  router.get('/missions/:id', requireUser, async (req, res) => {
    await showMission(req, res, await loadMission(req, 'country.read'));
  });

  router.post('/missions', requireUser, async (req, res) => {
    const user = userOf(req);
    const frame = frameFor(req, { title: '', pageId: 'mission' });
    const form = readForm(newMissionForm, missionFields(req.body as Record<string, unknown>), frame.t);
    if (!form.ok) {
      sendPage(res, context.renderer, 'form-errors', { ...frame, title: frame.t('web:form.title') }, { errors: form.errors, back: '/' }, 400);
      return;
    }
    authorize(user, 'mission.create', form.data.countryCode);
    const mission = await inTransaction(db, async (trx) => {
      const created = await createMission(trx, user, form.data);
      for (const questionnaire of context.questionnaires.questionnaires) {
        await createAssessment(trx, user, { missionId: created.id, questionnaireId: questionnaire.id, questionnaireVersion: questionnaire.version });
      }
      return created;
    });
    res.redirect(303, `/missions/${mission.id}`);
  });

  router.post('/missions/:id', requireUser, async (req, res) => {
    const mission = await loadMission(req, 'mission.update');
    const frame = frameFor(req, { title: '', pageId: 'mission' });
    const form = readForm(missionForm, missionFields(req.body as Record<string, unknown>), frame.t);
    if (!form.ok) return showMission(req, res, mission, form.errors, 400);
    await updateMission(db, userOf(req), mission.id, form.data);
    res.redirect(303, `/missions/${mission.id}`);
  });

  router.post('/missions/:id/assessments', requireUser, async (req, res) => {
    const mission = await loadMission(req, 'mission.update');
    const questionnaireId = (req.body as { questionnaireId?: unknown }).questionnaireId;
    const questionnaire = typeof questionnaireId === 'string' ? findQuestionnaire(context.questionnaires, questionnaireId) : undefined;
    if (!questionnaire) throw Problem.validation('Unknown questionnaire.', [{ path: 'questionnaireId', message: 'is not installed' }]);
    const assessment = await createAssessment(db, userOf(req), { missionId: mission.id, questionnaireId: questionnaire.id, questionnaireVersion: questionnaire.version });
    res.redirect(303, `/assessments/${assessment.id}`);
  });

  /** The country report as one HTML page, under the report's own CSP (inline styles, embedded fonts, nothing fetched). */
  router.get('/missions/:id/report', requireUser, async (req, res) => {
    const mission = await getMission(db, idParam(req.params.id as string, 'Mission'));
    const user = userOf(req);
    authorize(user, 'report.preview', mission.countryCode);
    const lang = req.query.lang ?? user.language;
    if (!isReportLanguage(lang)) {
      throw Problem.validation('The report language is not valid: lang must be en, ru or bilingual (e.g. ?lang=ru).', [{ path: 'lang', message: 'must be en, ru or bilingual' }]);
    }
    const source = storeReportSource(db, context.questionnaires, { marking: configuredMarking(context.config.reportMarking), actor: user });
    const html = reportPreviewHtml({ kind: 'country', input: await source.countryReport(mission.countryCode, String(mission.id)) }, lang);
    res.set('Content-Security-Policy', REPORT_PREVIEW_CSP);
    res.set('Cache-Control', 'no-store');
    res.type('html').send(html);
  });

  router.get('/missions/:id/review', requireUser, async (req, res) => {
    const mission = await loadMission(req, 'country.read');
    const frame = frameFor(req, { title: '', pageId: 'country-review', demo: mission.isDemo });
    const country = await getCountry(db, mission.countryCode);
    const assessments = await listAssessments(db, 'all', { missionId: mission.id });
    const summary = await summariseMission(db, context.questionnaires, mission, assessments, frame.lang);
    frame.title = frame.t('web:review.countryTitle', { country: country.name[frame.lang] });
    const installed = summary.assessments.filter((a) => a.installed);
    sendPage(res, context.renderer, 'country-review', frame, {
      ...summary,
      countryName: country.name[frame.lang],
      radar: {
        id: `radar-${mission.id}`,
        title: frame.title,
        caption: frame.t('web:review.radarCaptionCountry', { country: country.name[frame.lang] }),
        chart: radarChart(installed.map((a) => ({ label: a.title, score: a.score }))),
      },
    });
  });

  return router;
}
