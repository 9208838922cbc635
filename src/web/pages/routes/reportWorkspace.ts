/**
 * The report workspace page of a mission: the draft's texts and recommendations as plain forms (each
 * save carries the revision it was edited from; a stale save shows both versions side by side and lets
 * the writer keep theirs on top of the current one or take the current one), what still needs a
 * translation, generation of PDF and DOCX off the request with live progress, finalisation, and the
 * approved versions. Every handler loads the mission, then checks the user, as the API does.
 */
import { Router, type Request, type Response } from 'express';
import { finalizeReport } from '../../../report/draft/finalize.js';
import { findingsKey, TEXT_KEYS } from '../../../report/draft/apply.js';
import { reportStatusOf } from '../../../report/draft/status.js';
import { REPORT_LANGUAGES, isReportLanguage, type ReportLanguage } from '../../../report/input.js';
import { configuredMarking } from '../../../report/model/common.js';
import { storeReportSource } from '../../../report/storeSource.js';
import { PRIORITIES, TIMEFRAMES } from '../../../questionnaire/vocabulary.js';
import { Problem, type ProblemDetail } from '../../../shared/problem.js';
import { getCountry } from '../../../storage/countries.js';
import { getMission, type MissionDto } from '../../../storage/missions.js';
import { OUTPUT_FORMATS, type OutputFormat } from '../../../storage/reportDraftTables.js';
import { addCustomRecommendation, getDraft, saveDraftRecommendation, saveDraftText, setDraftState, type DraftDto } from '../../../storage/reportDrafts.js';
import { enqueueJob, findJob, getJob } from '../../../storage/reportJobs.js';
import { listVersions } from '../../../storage/reportVersions.js';
import { jobView, versionView } from '../../api/reportDrafts.js';
import { idParam } from '../../api/validate.js';
import { can, type SessionUser } from '../../auth/permissions.js';
import { authorize, requireUser, userOf } from '../../auth/session.js';
import type { PagesContext } from '../context.js';
import { lines, many } from '../forms.js';
import { frameFor, sendPage } from '../frame.js';
import type { Translate } from '../translate.js';
import { reportWorkerFor } from '../../reportWorker.js';

interface Conflict {
  kind: 'text' | 'recommendation';
  id: string;
  mine: { en: string; ru: string };
  current: { en: string; ru: string; revision: number };
}

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value.replace(/\r\n/g, '\n') : undefined);

const RECOMMENDATION_FIELDS = ['en', 'ru', 'status', 'priority', 'timeframe', 'institution', 'reason'] as const;

/**
 * A recommendation form that was not saved (refused, e.g. dropped without a reason, or in conflict with
 * someone else's save): shown again as typed, every field, with why when it was refused.
 */
interface TypedEdit {
  id: string;
  message: string | null;
  values: Partial<Record<(typeof RECOMMENDATION_FIELDS)[number], string>>;
}

const typedValues = (body: Record<string, unknown>): TypedEdit['values'] => Object.fromEntries(RECOMMENDATION_FIELDS
  .flatMap((key) => { const value = text(body[key]); return value === undefined ? [] : [[key, value]]; }));

/**
 * A form always posts both languages: only a language whose text changed, or that the writer ticked as
 * checked against the other, counts as sent — so editing English alone still marks Russian for update.
 */
function sentLanguages(body: Record<string, unknown>, current: { en: string; ru: string }): { en?: string; ru?: string } {
  const confirmed = many(body.confirm);
  const result: { en?: string; ru?: string } = {};
  for (const lang of ['en', 'ru'] as const) {
    const value = text(body[lang]);
    if (value !== undefined && (value !== current[lang] || confirmed.includes(lang))) result[lang] = value;
  }
  return result;
}
const revisionOf = (value: unknown): number => {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0) throw Problem.validation('The form is missing the revision it was edited from: reload the page.', [{ path: 'baseRevision', message: 'missing' }]);
  return number;
};

interface FinalizeErrorView {
  /** The field to fix (the textarea's id), when the problem is one text. */
  anchor: string | null;
  label: string;
  message: string;
}

/**
 * A reason the draft cannot be finalised, for the reader: the section's title and language linked to the
 * field, in the page's language (the details name fields by path, e.g. `texts.executive-summary.ru`).
 */
function finalizeErrorView(detail: ProblemDetail, texts: readonly { key: string; label: string; anchor: string; en: string; ru: string }[],
  recommendations: readonly { id: number; anchor: string; text: { en: string; ru: string } }[], t: Translate): FinalizeErrorView {
  const [kind, id, lang] = detail.path.split('.');
  if ((lang === 'en' || lang === 'ru') && (kind === 'texts' || kind === 'recommendations')) {
    const rec = kind === 'recommendations' ? recommendations.find((entry) => String(entry.id) === id) : undefined;
    const item = kind === 'texts' ? texts.find((entry) => entry.key === id) : rec && { anchor: rec.anchor, label: `#${rec.id}`, ...rec.text };
    if (item) {
      const state = item[lang].trim() === '' ? 'empty' : 'needsUpdate';
      return { anchor: `${item.anchor}-${lang}`, label: item.label, message: t(`workspace:page.finalizeProblem.${state}.${lang}`) };
    }
  }
  if (['languages', 'changeNote', 'unchanged'].includes(detail.path)) {
    return { anchor: detail.path === 'changeNote' ? 'change-note' : null, label: t('workspace:page.finalize'), message: t(`workspace:page.finalizeProblem.${detail.path}`) };
  }
  return { anchor: null, label: detail.path, message: detail.message };
}

export function reportWorkspacePages(context: PagesContext): Router {
  const router = Router();
  const { db } = context.store;
  const sourceFor = (user: SessionUser) => storeReportSource(db, context.questionnaires, { marking: configuredMarking(context.config.reportMarking), actor: user });

  async function load(req: Request): Promise<MissionDto> {
    const mission = await getMission(db, idParam(req.params.id as string, 'Mission'));
    authorize(userOf(req), 'country.read', mission.countryCode);
    return mission;
  }

  const mayContribute = (user: SessionUser, mission: MissionDto, draft: DraftDto): boolean =>
    can(user, 'report.generate', mission.countryCode) || (can(user, 'report.preview', mission.countryCode) && draft.state !== 'final');

  async function show(req: Request, res: Response, mission: MissionDto, extra: { conflict?: Conflict; typed?: TypedEdit; finalizeErrors?: ProblemDetail[] } = {}, status = 200): Promise<void> {
    const user = userOf(req);
    const frame = frameFor(req, { title: '', pageId: 'report-workspace', demo: mission.isDemo });
    const t = frame.t;
    const input = await sourceFor(user).countryReport(mission.countryCode, String(mission.id));
    const draft = (await getDraft(db, mission.id)) as DraftDto;
    const country = await getCountry(db, mission.countryCode);
    const areaTitles = new Map(input.assessments.map((assessment) => [findingsKey(assessment.questionnaire.id), (assessment.questionnaire.short_title ?? assessment.questionnaire.title)[frame.lang]]));
    const order = [TEXT_KEYS.summary, TEXT_KEYS.context, ...areaTitles.keys(), TEXT_KEYS.methodology];
    const textLabel = (key: string): string => (areaTitles.has(key) ? t('workspace:page.findings', { area: areaTitles.get(key) }) : t(`workspace:page.text.${key}`, { defaultValue: key }));
    const texts = [...draft.texts].sort((a, b) => order.indexOf(a.key) - order.indexOf(b.key)).map((entry) => ({
      ...entry, label: textLabel(entry.key), anchor: `text-${entry.key.replace(/[^\w-]/g, '-')}`,
      needsEn: entry.translation.en === 'needs-update', needsRu: entry.translation.ru === 'needs-update',
      conflict: extra.conflict?.kind === 'text' && extra.conflict.id === entry.key ? extra.conflict : null,
    }));
    const recommendations = draft.recommendations.map((rec) => {
      // A refused edit is shown as it was typed, so that nothing the writer entered is lost.
      const kept = extra.typed?.id === String(rec.id) ? extra.typed : null;
      const typed = kept?.values ?? {};
      const institutionText = typed.institution ?? rec.institution.map((value) => t(`vocabulary:institution.${value}`, { defaultValue: value })).join('\n');
      return {
        ...rec, anchor: `rec-${rec.id}`, institutionText,
        text: { en: typed.en ?? rec.text.en, ru: typed.ru ?? rec.text.ru }, reason: typed.reason ?? rec.reason,
        rejected: kept?.message ?? null,
        statusLabel: t(`workspace:page.status.${rec.status}`),
        priorities: PRIORITIES.map((value) => ({ value, label: t(`vocabulary:priority.${value}`), selected: value === (typed.priority ?? rec.priority) })),
        timeframes: TIMEFRAMES.map((value) => ({ value, label: t(`vocabulary:timeframe.${value}`), selected: value === (typed.timeframe ?? rec.timeframe) })),
        statuses: (['accepted', 'edited', 'dropped'] as const).map((value) => ({ value, label: t(`workspace:page.status.${value}`), selected: value === (typed.status ?? rec.status) })),
        needsEn: rec.translation.en === 'needs-update', needsRu: rec.translation.ru === 'needs-update',
        printed: rec.status === 'accepted' || rec.status === 'edited',
        conflict: extra.conflict?.kind === 'recommendation' && extra.conflict.id === String(rec.id) ? extra.conflict : null,
      };
    });
    const pending = [
      ...texts.filter((entry) => entry.needsEn || entry.needsRu).map((entry) => ({ anchor: entry.anchor, label: entry.label, language: entry.needsEn ? 'English' : 'Русский' })),
      ...recommendations.filter((rec) => rec.printed && (rec.needsEn || rec.needsRu)).map((rec) => ({ anchor: rec.anchor, label: `#${rec.id} ${(rec.text[frame.lang] || rec.text.en).slice(0, 80)}`, language: rec.needsEn ? 'English' : 'Русский' })),
    ];
    const finalizeErrors = (extra.finalizeErrors ?? []).map((detail) => finalizeErrorView(detail, texts, recommendations, t));
    const jobId = typeof req.query.job === 'string' && /^\d+$/.test(req.query.job) ? Number(req.query.job) : null;
    const job = jobId === null ? null : await getJob(db, jobId).then((found) => (found.missionId === mission.id ? jobView(found) : null), () => null);
    const chosen = isReportLanguage(req.query.lang) ? req.query.lang : job?.language ?? user.language;
    // The same decision the report prints: a final draft whose data or text moved since its approval.
    const printed = reportStatusOf(input);
    const approvalChanged = printed?.kind === 'changed' ? { ...printed, dataRevision: input.dataRevision } : null;
    sendPage(res, context.renderer, 'report-workspace', { ...frame, title: t('workspace:page.title', { mission: mission.title }) }, {
      mission, countryName: country.name[frame.lang], draft, stateLabel: t(`workspace:page.state.${draft.state}`), approvalChanged,
      texts, recommendations, pending,
      canManage: can(user, 'report.generate', mission.countryCode),
      canContribute: mayContribute(user, mission, draft),
      canGenerate: can(user, 'report.generate', mission.countryCode) || can(user, 'report.preview', mission.countryCode),
      languages: REPORT_LANGUAGES.map((value) => ({ value, label: t(`common:language.${value}`), selected: value === chosen })),
      formats: OUTPUT_FORMATS.map((value) => ({ value, label: value.toUpperCase(), selected: value === (job?.format ?? 'pdf') })),
      priorities: PRIORITIES.map((value) => ({ value, label: t(`vocabulary:priority.${value}`) })),
      timeframes: TIMEFRAMES.map((value) => ({ value, label: t(`vocabulary:timeframe.${value}`) })),
      versions: (await listVersions(db, mission.id)).map(versionView),
      job, jobSeconds: job ? Math.round(job.elapsedMs / 100) / 10 : 0,
      jobStrings: JSON.stringify(Object.fromEntries(['queued', 'running', 'done', 'failed'].map((status) => [status, t(`workspace:page.job.${status}`)]).concat([['download', t('web:mission.download')]]))),
      finalizeErrors,
    }, status);
  }

  router.get('/missions/:id/report-workspace', requireUser, async (req, res) => {
    await show(req, res, await load(req));
  });

  router.post('/missions/:id/report-workspace/texts/:key', requireUser, async (req, res) => {
    const mission = await load(req);
    const user = userOf(req);
    const draft = (await getDraft(db, mission.id)) ?? (await sourceFor(user).countryReport(mission.countryCode, String(mission.id)), (await getDraft(db, mission.id)) as DraftDto);
    if (!mayContribute(user, mission, draft)) throw Problem.forbidden(draft.state === 'final' ? 'The report is final: only a manager can start its next version.' : undefined);
    const body = req.body as Record<string, unknown>;
    const key = req.params.key as string;
    const stored = draft.texts.find((entry) => entry.key === key);
    if (!stored) throw Problem.notFound(`Report text "${key}"`);
    const { en, ru } = sentLanguages(body, stored);
    if (en === undefined && ru === undefined) {
      res.redirect(303, `/missions/${mission.id}/report-workspace#text-${key.replace(/[^\w-]/g, '-')}`);
      return;
    }
    try {
      await saveDraftText(db, user, { missionId: mission.id, key, en, ru, baseRevision: revisionOf(body.baseRevision) });
    } catch (error) {
      if (error instanceof Problem && error.code === 'conflict' && error.extra?.current) {
        const current = error.extra.current as { en: string; ru: string; revision: number };
        return show(req, res, mission, { conflict: { kind: 'text', id: key, mine: { en: text(body.en) ?? current.en, ru: text(body.ru) ?? current.ru }, current } }, 409);
      }
      throw error;
    }
    res.redirect(303, `/missions/${mission.id}/report-workspace#text-${key.replace(/[^\w-]/g, '-')}`);
  });

  router.post('/missions/:id/report-workspace/recommendations/:recId', requireUser, async (req, res) => {
    const mission = await load(req);
    const user = userOf(req);
    authorize(user, 'report.generate', mission.countryCode);
    const body = req.body as Record<string, unknown>;
    const id = idParam(req.params.recId as string, 'Recommendation');
    const stored = (await getDraft(db, mission.id))?.recommendations.find((rec) => rec.id === id);
    if (!stored) throw Problem.notFound(`Recommendation ${id}`);
    const { en, ru } = sentLanguages(body, stored.text);
    const status = typeof body.status === 'string' && ['accepted', 'edited', 'dropped'].includes(body.status) ? body.status as 'accepted' | 'edited' | 'dropped' : undefined;
    const priority = PRIORITIES.find((value) => value === body.priority);
    const timeframe = TIMEFRAMES.find((value) => value === body.timeframe);
    try {
      await saveDraftRecommendation(db, user, {
        missionId: mission.id, id, text: { en, ru }, priority, timeframe, institution: body.institution === undefined ? undefined : lines(body.institution),
        status, reason: text(body.reason) ?? undefined, baseRevision: revisionOf(body.baseRevision),
      });
    } catch (error) {
      if (error instanceof Problem && error.code === 'conflict' && error.extra?.current) {
        const current = error.extra.current as { text: { en: string; ru: string }; revision: number };
        return show(req, res, mission, {
          conflict: { kind: 'recommendation', id: String(id), mine: { en: text(body.en) ?? current.text.en, ru: text(body.ru) ?? current.text.ru }, current: { ...current.text, revision: current.revision } },
          typed: { id: String(id), message: null, values: typedValues(body) },
        }, 409);
      }
      if (error instanceof Problem && error.code === 'validation_failed') {
        const field = error.details[0]?.path;
        const { t } = frameFor(req, { title: '', pageId: 'report-workspace' });
        const message = field === 'reason' ? t('workspace:page.reasonRequired') : error.message;
        return show(req, res, mission, { typed: { id: String(id), message, values: typedValues(body) } }, 400);
      }
      throw error;
    }
    res.redirect(303, `/missions/${mission.id}/report-workspace#rec-${id}`);
  });

  router.post('/missions/:id/report-workspace/recommendations', requireUser, async (req, res) => {
    const mission = await load(req);
    const user = userOf(req);
    const draft = (await getDraft(db, mission.id)) as DraftDto;
    if (!draft || !mayContribute(user, mission, draft)) throw Problem.forbidden();
    const body = req.body as Record<string, unknown>;
    const en = text(body.en)?.trim() ?? '';
    const ru = text(body.ru)?.trim() ?? '';
    if (en === '' && ru === '') throw Problem.validation('Write the recommendation in English, Russian or both.', [{ path: 'text', message: 'empty' }]);
    const saved = await addCustomRecommendation(db, user, {
      missionId: mission.id, text: { en, ru }, priority: PRIORITIES.find((value) => value === body.priority) ?? 'medium',
      timeframe: TIMEFRAMES.find((value) => value === body.timeframe) ?? 'medium', institution: lines(body.institution), indicators: [], references: [],
    });
    res.redirect(303, `/missions/${mission.id}/report-workspace#rec-${saved.recommendation.id}`);
  });

  router.post('/missions/:id/report-workspace/generate', requireUser, async (req, res) => {
    const mission = await load(req);
    const user = userOf(req);
    if (!can(user, 'report.generate', mission.countryCode)) authorize(user, 'report.preview', mission.countryCode);
    const body = req.body as Record<string, unknown>;
    const language: ReportLanguage = isReportLanguage(body.language) ? body.language : 'en';
    const format: OutputFormat = body.format === 'docx' ? 'docx' : 'pdf';
    const input = await sourceFor(user).countryReport(mission.countryCode, String(mission.id));
    const key = { missionId: mission.id, format, language, dataRevision: Number(input.dataRevision), draftRevision: input.draft?.revision ?? 0 };
    const found = await findJob(db, key);
    const job = found ?? (await enqueueJob(db, user, key));
    if (job.status !== 'done') reportWorkerFor(context).kick();
    res.redirect(303, `/missions/${mission.id}/report-workspace?job=${job.id}&lang=${language}#generate-title`);
  });

  /** A final draft goes back to being a draft, so that it follows the data again and can become the next version. */
  router.post('/missions/:id/report-workspace/next-version', requireUser, async (req, res) => {
    const mission = await load(req);
    const user = userOf(req);
    authorize(user, 'report.generate', mission.countryCode);
    if ((await getDraft(db, mission.id))?.state === 'final') await setDraftState(db, user, mission.id, 'draft');
    res.redirect(303, `/missions/${mission.id}/report-workspace`);
  });

  router.post('/missions/:id/report-workspace/finalize', requireUser, async (req, res) => {
    const mission = await load(req);
    const user = userOf(req);
    authorize(user, 'report.generate', mission.countryCode);
    const body = req.body as Record<string, unknown>;
    const languages = many(body.languages).filter(isReportLanguage);
    if (languages.length === 0) return show(req, res, mission, { finalizeErrors: [{ path: 'languages', message: 'choose at least one language' }] }, 400);
    const input = await sourceFor(user).countryReport(mission.countryCode, String(mission.id));
    try {
      await finalizeReport({ db, pool: context.pdf.get(), actor: user, missionId: mission.id, input, languages, changeNote: text(body.changeNote), reportsDir: context.config.reportsDir });
    } catch (error) {
      if (error instanceof Problem && ['unprocessable', 'validation_failed', 'conflict'].includes(error.code)) {
        const details = error.details.length > 0 ? error.details : [{ path: error.code === 'conflict' ? 'unchanged' : 'draft', message: error.message }];
        return show(req, res, mission, { finalizeErrors: details }, error.httpStatus);
      }
      throw error;
    }
    res.redirect(303, `/missions/${mission.id}/report-workspace#versions-title`);
  });

  return router;
}
