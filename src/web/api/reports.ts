/**
 * Recommendation reports over HTTP: managers and admins generate country, regional and progress PDFs
 * (written to ENA_REPORTS and recorded with who, when and which data revision); whoever may preview a
 * report's countries may list and download the recorded files. Each handler loads what the path names,
 * then checks the user against its country before doing anything.
 *
 * Download is allowed with report.generate, or with report.preview on every country the report covers:
 * the PDF shows nothing the expert cannot already read in the preview of the same country, and the
 * mission page lists generated reports to exactly those users.
 */
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { removeQuietly, writeFileAtomically } from '../../shared/files.js';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { generateReportPdf } from '../../report/generate.js';
import { REPORT_LANGUAGES, type ReportLanguage, type ReportRequest } from '../../report/input.js';
import { configuredMarking } from '../../report/model/common.js';
import { storeReportSource } from '../../report/storeSource.js';
import { Problem } from '../../shared/problem.js';
import { getMission } from '../../storage/missions.js';
import { getReport, listReports, recordReport, type GeneratedReportDto } from '../../storage/reports.js';
import { can, type SessionUser } from '../auth/permissions.js';
import { authorize, requirePermission, requireUser, userOf } from '../auth/session.js';
import type { ApiContext } from './context.js';
import { countryCode, idParam, parseInput } from './validate.js';

const language = z.enum(REPORT_LANGUAGES, { error: `must be one of ${REPORT_LANGUAGES.join(', ')}` });
const countryBody = z.strictObject({ language });
const regionalBody = z.strictObject({
  countries: z.array(countryCode).min(1, 'must name at least one country').max(50, 'has too many entries (at most 50)'),
  language,
});
const missionNumber = z.coerce.number({ error: 'must be a mission number' }).int('must be a mission number').min(1, 'must be a mission number');
const progressBody = z.strictObject({ country: countryCode, from: missionNumber, to: missionNumber, language })
  .refine((body) => body.from !== body.to, { path: ['to'], message: 'must be a different mission from "from"' });

/** What clients see of a recorded report: no server paths, a link to the file instead. */
export interface ReportView {
  id: number;
  kind: GeneratedReportDto['kind'];
  missionId: number | null;
  countries: string[];
  language: string;
  dataRevision: number;
  createdBy: number | null;
  createdAt: string;
  fileName: string;
  downloadUrl: string;
}

export const reportView = (report: GeneratedReportDto): ReportView => ({
  id: report.id, kind: report.kind, missionId: report.missionId, countries: report.countries, language: report.language,
  dataRevision: report.dataRevision, createdBy: report.createdBy, createdAt: report.createdAt,
  fileName: basename(report.filePath), downloadUrl: `/api/reports/${report.id}/download`,
});

/** May `user` read this recorded report (see the module comment)? */
export function maySeeReport(user: SessionUser, report: GeneratedReportDto): boolean {
  return report.countries.every((code) => can(user, 'report.generate', code) || can(user, 'report.preview', code));
}

/** An HTML form asked (the mission page), rather than a script wanting JSON. */
const fromForm = (req: Request): boolean => req.is('application/x-www-form-urlencoded') === 'application/x-www-form-urlencoded';

export function reportsRouter(context: ApiContext): Router {
  const router = Router();
  const { db } = context.store;

  /** Renders, writes (never half a file under the final name) and records one report. */
  async function generate(user: SessionUser, request: ReportRequest, reportLanguage: ReportLanguage): Promise<GeneratedReportDto> {
    const report = await generateReportPdf(context.pdf.get(), request, reportLanguage);
    await mkdir(context.config.reportsDir, { recursive: true });
    // Every generation gets its own file: an earlier record must keep pointing at the revision it recorded.
    const file = join(context.config.reportsDir, report.fileName.replace(/\.pdf$/, `_r${request.input.dataRevision}_${randomUUID().slice(0, 8)}.pdf`));
    await writeFileAtomically(file, report.pdf, 'The report');
    return recordReport(db, user, {
      kind: request.kind,
      missionId: request.kind === 'country' ? Number(request.input.mission.id) : request.kind === 'progress' ? Number(request.input.followUp.mission.id) : null,
      countries: request.kind === 'regional' ? request.input.countries.map((entry) => entry.country.code) : [request.input.country.code],
      language: reportLanguage,
      filePath: file,
      dataRevision: Number(request.input.dataRevision),
    }).catch(async (error: unknown) => {
      // No record, no file: a PDF nobody can find would only fill the disk further.
      await removeQuietly(file);
      throw error;
    });
  }

  const sourceFor = (user: SessionUser) => storeReportSource(db, context.questionnaires, { marking: configuredMarking(context.config.reportMarking), actor: user });

  router.post('/missions/:id/reports', requireUser, async (req, res) => {
    const mission = await getMission(db, idParam(req.params.id as string, 'Mission'));
    const user = userOf(req);
    authorize(user, 'report.generate', mission.countryCode);
    const body = parseInput(countryBody, req.body);
    const input = await sourceFor(user).countryReport(mission.countryCode, String(mission.id));
    const report = await generate(user, { kind: 'country', input }, body.language);
    if (fromForm(req)) {
      res.redirect(303, `/missions/${mission.id}#reports-title`);
      return;
    }
    res.status(201).json({ report: reportView(report) });
  });

  router.post('/reports/regional', requirePermission('report.generate'), async (req, res) => {
    const user = userOf(req);
    const body = parseInput(regionalBody, req.body);
    const codes = [...new Set(body.countries)];
    for (const code of codes) authorize(user, 'report.generate', code);
    const input = await sourceFor(user).regionalReport(codes);
    res.status(201).json({ report: reportView(await generate(user, { kind: 'regional', input }, body.language)) });
  });

  router.post('/reports/progress', requirePermission('report.generate'), async (req, res) => {
    const user = userOf(req);
    const body = parseInput(progressBody, req.body);
    authorize(user, 'report.generate', body.country);
    // Checked here so that the errors name this route's fields.
    const [from, to] = [await getMission(db, body.from), await getMission(db, body.to)];
    for (const [field, mission] of [['from', from], ['to', to]] as const) {
      if (mission.countryCode !== body.country) throw Problem.validation(`Mission ${mission.id} belongs to ${mission.countryCode}, not ${body.country}.`, [{ path: field, message: `is not a mission of ${body.country}` }]);
    }
    if (to.startsOn < from.startsOn) {
      throw Problem.validation(`The follow-up mission ${to.id} (${to.startsOn}) starts before the baseline ${from.id} (${from.startsOn}): swap "from" and "to".`, [{ path: 'to', message: 'starts before "from"' }]);
    }
    const input = await sourceFor(user).progressReport(body.country, String(from.id), String(to.id));
    res.status(201).json({ report: reportView(await generate(user, { kind: 'progress', input }, body.language)) });
  });

  router.get('/reports', requireUser, async (req, res) => {
    const user = userOf(req);
    const query = parseInput(z.strictObject({ mission: z.string().optional(), country: countryCode.optional() }), req.query, 'query string');
    let missionId: number | undefined;
    if (query.mission !== undefined) {
      const mission = await getMission(db, idParam(query.mission, 'Mission'));
      if (!can(user, 'report.generate', mission.countryCode)) authorize(user, 'report.preview', mission.countryCode);
      missionId = mission.id;
    }
    const reports = await listReports(db, { missionId, countryCode: query.country });
    res.json({ reports: reports.filter((report) => maySeeReport(user, report)).map(reportView) });
  });

  router.get('/reports/:id/download', requireUser, async (req, res: Response) => {
    const report = await getReport(db, idParam(req.params.id as string, 'Report'));
    const user = userOf(req);
    if (!maySeeReport(user, report)) {
      throw Problem.forbidden(`Your role (${user.role}) and country assignment do not allow reading reports on ${report.countries.join(', ')}.`);
    }
    const size = await stat(report.filePath).then((info) => info.size, () => {
      throw new Problem('not_found', `The file of report ${report.id} is no longer in the reports folder (ENA_REPORTS). Generate the report again on the mission page.`);
    });
    res.set('Content-Type', 'application/pdf');
    res.set('Content-Length', String(size));
    res.attachment(basename(report.filePath));
    await pipeline(createReadStream(report.filePath), res);
  });

  return router;
}
