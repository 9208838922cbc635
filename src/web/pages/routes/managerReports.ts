/**
 * The managers' reports and data page: a regional report over chosen countries, a progress report
 * between two missions of a country (PDF or Word, in any report language), the data exports
 * (XLSX / CSV / JSON, through the existing export routes), and, for administrators, the audit log with
 * filters. Forms post here and get the file back as a download; each handler checks the user first.
 */
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { generateReportDocx, generateReportPdf } from '../../../report/generate.js';
import { REPORT_LANGUAGES, type ReportRequest } from '../../../report/input.js';
import { configuredMarking } from '../../../report/model/common.js';
import { storeReportSource } from '../../../report/storeSource.js';
import { listCountries } from '../../../storage/countries.js';
import { getMission, listMissions } from '../../../storage/missions.js';
import { progressChoices } from '../progressChoices.js';
import { OUTPUT_FORMATS } from '../../../storage/reportDraftTables.js';
import { countryCode, parseInput } from '../../api/validate.js';
import { can, type SessionUser } from '../../auth/permissions.js';
import { authorize, requirePermission, userOf } from '../../auth/session.js';
import type { PagesContext } from '../context.js';
import { many, readForm, type FormError } from '../forms.js';
import { frameFor, sendPage } from '../frame.js';

const language = z.enum(REPORT_LANGUAGES, { error: `must be one of ${REPORT_LANGUAGES.join(', ')}` });
const format = z.enum(OUTPUT_FORMATS, { error: 'must be pdf or docx' }).default('pdf');
const regionalForm = z.object({ countries: z.array(countryCode).min(1, 'choose at least one country'), language, format });
const progressForm = z.object({ from: z.coerce.number().int().min(1), to: z.coerce.number().int().min(1), language, format })
  .refine((body) => body.from !== body.to, { path: ['to'], message: 'must be a different mission' });
const auditQuery = z.object({ entityType: z.string().max(50).optional(), entityId: z.string().max(200).optional(), action: z.string().max(100).optional() });

export function managerReportPages(context: PagesContext): Router {
  const router = Router();
  const { db } = context.store;
  const sourceFor = (user: SessionUser) => storeReportSource(db, context.questionnaires, { marking: configuredMarking(context.config.reportMarking), actor: user });

  async function send(res: Response, request: ReportRequest, body: { language: (typeof REPORT_LANGUAGES)[number]; format: 'pdf' | 'docx' }): Promise<void> {
    const pool = context.pdf.get();
    const file = body.format === 'docx'
      ? await generateReportDocx(pool, request, body.language).then((docx) => ({ bytes: docx.docx, fileName: docx.fileName, type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' }))
      : await generateReportPdf(pool, request, body.language).then((pdf) => ({ bytes: pdf.pdf, fileName: pdf.fileName, type: 'application/pdf' }));
    res.set('Content-Type', file.type);
    res.attachment(file.fileName);
    res.send(Buffer.from(file.bytes));
  }

  router.get('/reports', requirePermission('report.generate'), async (req: Request, res: Response) => {
    const user = userOf(req);
    const frame = frameFor(req, { title: '', pageId: 'manager-reports' });
    const countries = await listCountries(db, 'all');
    const missions = await listMissions(db, 'all');
    const query = can(user, 'audit.read') ? parseInput(auditQuery, req.query, 'query string') : {};
    let audit: unknown[] = [];
    if (can(user, 'audit.read')) {
      let select = db.selectFrom('audit_log').leftJoin('users', 'users.id', 'audit_log.actor_id')
        .select(['audit_log.id', 'audit_log.at', 'users.email as actor', 'audit_log.action', 'audit_log.entity_type', 'audit_log.entity_id'])
        .orderBy('audit_log.id', 'desc').limit(100);
      if (query.entityType) select = select.where('audit_log.entity_type', '=', query.entityType);
      if (query.entityId) select = select.where('audit_log.entity_id', '=', query.entityId);
      if (query.action) select = select.where('audit_log.action', '=', query.action);
      audit = await select.execute();
    }
    sendPage(res, context.renderer, 'manager-reports', { ...frame, title: frame.t('workspace:manager.title') }, {
      countries: countries.map((country) => ({ code: country.code, name: country.name[frame.lang] })),
      progress: progressChoices(missions, new Map(countries.map((country) => [country.code, country.name[frame.lang]]))),
      languages: REPORT_LANGUAGES.map((value) => ({ value, label: frame.t(`common:language.${value}`) })),
      canAudit: can(user, 'audit.read'),
      audit, query,
    });
  });

  /** A form filled in wrongly: what to correct, field by field, in the reader's language (not a bare 400 page). */
  function sendFormErrors(req: Request, res: Response, errors: FormError[]): void {
    const frame = frameFor(req, { title: '', pageId: 'form-errors' });
    sendPage(res, context.renderer, 'form-errors', { ...frame, title: frame.t('web:form.title') }, { errors, back: '/reports' }, 400);
  }

  router.post('/reports/regional', requirePermission('report.generate'), async (req, res) => {
    const user = userOf(req);
    const form = readForm(regionalForm, { ...(req.body as object), countries: many((req.body as Record<string, unknown>).countries) }, frameFor(req, { title: '', pageId: 'form-errors' }).t);
    if (!form.ok) return sendFormErrors(req, res, form.errors);
    const body = form.data;
    for (const code of body.countries) authorize(user, 'report.generate', code);
    await send(res, { kind: 'regional', input: await sourceFor(user).regionalReport(body.countries) }, body);
  });

  router.post('/reports/progress', requirePermission('report.generate'), async (req, res) => {
    const user = userOf(req);
    const { t } = frameFor(req, { title: '', pageId: 'form-errors' });
    const form = readForm(progressForm, req.body, t);
    if (!form.ok) return sendFormErrors(req, res, form.errors);
    const body = form.data;
    const [from, to] = [await getMission(db, body.from), await getMission(db, body.to)];
    if (from.countryCode !== to.countryCode) return sendFormErrors(req, res, [{ field: 'to', message: t('web:form.errors.to') }]);
    authorize(user, 'report.generate', from.countryCode);
    await send(res, { kind: 'progress', input: await sourceFor(user).progressReport(from.countryCode, String(from.id), String(to.id)) }, body);
  });

  return router;
}
