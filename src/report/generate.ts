/**
 * The report pipeline end to end: input → model (pure) → HTML (templates) → PDF (Chromium pool).
 * The web layer calls reportPreviewHtml for the browser preview and generateReportPdf for downloads.
 */
import type { ReportLanguage, ReportRequest } from './input.js';
import { renderReportHtml, type RenderedReport, type ReportModel } from './html.js';
import { buildCountryReport } from './model/country.js';
import { buildProgressReport } from './model/progress.js';
import { buildRegionalReport } from './model/regional.js';
import type { PdfPool } from './pdf/pool.js';
import { renderPdf } from './pdf/render.js';

export function buildReportModel(request: ReportRequest, language: ReportLanguage): ReportModel {
  switch (request.kind) {
    case 'country': return buildCountryReport(request.input, language);
    case 'regional': return buildRegionalReport(request.input, language);
    case 'progress': return buildProgressReport(request.input, language);
  }
}

/** The report as one HTML page for the browser (no page numbers in the TOC; serve it with REPORT_PREVIEW_CSP). */
export function reportPreviewHtml(request: ReportRequest, language: ReportLanguage): string {
  return renderReportHtml(buildReportModel(request, language), { preview: true }).html;
}

const safe = (part: string): string => part.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || 'x';

/** e.g. ENA_country_KZ_kz-2024_ru.pdf — only characters that are safe in every file system and URL. */
export function reportFileName(request: ReportRequest, language: ReportLanguage): string {
  switch (request.kind) {
    case 'country':
      return `ENA_country_${safe(request.input.country.code)}_${safe(request.input.mission.id)}_${language}.pdf`;
    case 'regional':
      return `ENA_regional_${request.input.countries.map((entry) => safe(entry.country.code)).join('-')}_${language}.pdf`;
    case 'progress':
      return `ENA_progress_${safe(request.input.country.code)}_${safe(request.input.baseline.mission.id)}_to_${safe(request.input.followUp.mission.id)}_${language}.pdf`;
  }
}

export interface GeneratedReport {
  pdf: Uint8Array;
  fileName: string;
  title: string;
  language: ReportLanguage;
  kind: ReportRequest['kind'];
  pageCount: number;
  tocPages: Map<string, number>;
  passes: number;
  /** Milliseconds spent building the model, rendering the HTML and in Chromium. */
  timings: { model: number; html: number; pdf: number };
}

export interface GeneratedDocx {
  docx: Uint8Array;
  fileName: string;
  language: ReportLanguage;
  kind: ReportRequest['kind'];
}

/** The Word version of a report (a country report's charts are photographed by the pool's Chromium). */
export async function generateReportDocx(pool: PdfPool, request: ReportRequest, language: ReportLanguage): Promise<GeneratedDocx> {
  // The docx package (~1 MB of JavaScript) loads with the first Word report, not with the server.
  const [{ chartImages }, { renderCountryDocx }, { renderProgressDocx, renderRegionalDocx }] = await Promise.all([
    import('./docx/charts.js'), import('./docx/render.js'), import('./docx/others.js'),
  ]);
  const fileName = reportFileName(request, language).replace(/\.pdf$/, '.docx');
  switch (request.kind) {
    case 'country': {
      const model = buildCountryReport(request.input, language);
      const charts = await chartImages(pool, renderReportHtml(model).html);
      return { docx: await renderCountryDocx(model, charts), fileName, language, kind: request.kind };
    }
    case 'regional':
      return { docx: await renderRegionalDocx(buildRegionalReport(request.input, language)), fileName, language, kind: request.kind };
    case 'progress':
      return { docx: await renderProgressDocx(buildProgressReport(request.input, language)), fileName, language, kind: request.kind };
  }
}

/**
 * A report as PDF. The request may still be being read from the database: Chromium opens the report's
 * page meanwhile (a new renderer process, ~0.1–0.2 s), so reading, scoring and the HTML overlap it.
 */
export async function generateReportPdf(pool: PdfPool, pendingRequest: ReportRequest | Promise<ReportRequest>, language: ReportLanguage): Promise<GeneratedReport> {
  const started = performance.now();
  const requested = Promise.resolve(pendingRequest);
  requested.catch(() => undefined); // awaited below, after the page was asked for
  let built!: { resolve: (report: RenderedReport) => void; reject: (error: unknown) => void };
  const html = new Promise<RenderedReport>((resolve, reject) => {
    built = { resolve, reject };
  });
  html.catch(() => undefined); // a failed read or build may come before the page awaits the HTML
  // The pool is asked for the page first, and one turn of the event loop lets that request go out.
  const printing = renderPdf(pool, html);
  printing.catch(() => undefined); // awaited below; a failed build rejects it too
  await new Promise((resolve) => setImmediate(resolve));
  let modelDone = started;
  let htmlDone = started;
  let rendered: RenderedReport;
  let request: ReportRequest;
  try {
    request = await requested;
    const model = buildReportModel(request, language);
    modelDone = performance.now();
    rendered = renderReportHtml(model, { tocPlaceholders: true, printOnly: true });
    htmlDone = performance.now();
    built.resolve(rendered);
  } catch (error) {
    built.reject(error);
    throw error;
  }
  const result = await printing;
  return {
    pdf: result.pdf,
    fileName: reportFileName(request, language),
    title: rendered.title,
    language,
    kind: request.kind,
    pageCount: result.pageCount,
    tocPages: result.tocPages,
    passes: result.passes,
    timings: { model: modelDone - started, html: htmlDone - modelDone, pdf: performance.now() - htmlDone },
  };
}
