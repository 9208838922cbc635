/**
 * Report model → HTML through the Handlebars templates in templates/report/. The same HTML is the
 * browser preview and the input of the PDF renderer. User text is only ever printed with {{ }}, so it
 * is escaped; the one triple-stash prints ENA's own CSS (fonts, stylesheet, and the page frame whose
 * few texts are escaped as CSS strings by cssString).
 *
 * The running header and footer are CSS page-margin boxes (@top-left … @bottom-right, with
 * counter(page) and counter(pages)): they belong to the document, so they use its embedded fonts.
 *
 * Language handling: `{{#langs}}…{{/langs}}` renders its block once per report language with @lang
 * set (side by side in a bilingual report); `{{tx text}}` and `{{tr "ns:key"}}` print in @lang and
 * throw outside such a block in a bilingual report, so a forgotten language cannot slip through.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import Handlebars, { type HelperOptions } from 'handlebars';
import { translator, type Language } from '../i18n/i18n.js';
import type { ReportLanguage } from './input.js';
import { formatPercent } from './model/charts.js';
import type { Text, TocEntry } from './model/common.js';
import type { CountryReportModel } from './model/country.js';
import type { ProgressReportModel } from './model/progress.js';
import type { RegionalReportModel } from './model/regional.js';
import { reportFontFaces, reportFontSamples } from './fonts.js';
import type { DocumentMeta, ReportStatus } from './model/common.js';

export type ReportModel = CountryReportModel | RegionalReportModel | ProgressReportModel;

export const TEMPLATES_DIR = join(import.meta.dirname, '..', '..', 'templates', 'report');

/** The Content-Security-Policy a web route should send with the preview HTML (the page has its own meta too). */
export const REPORT_PREVIEW_CSP = "default-src 'none'; style-src 'unsafe-inline'; font-src data:; img-src data:; frame-ancestors 'self'";

export interface RenderedReport {
  /** The full HTML document, running header and footer included. */
  html: string;
  /** Plain-text document title for metadata and file names. */
  title: string;
  /** The anchors the TOC links to: each must land on a page. */
  anchors: string[];
  /** Rendered for the PDF renderer's first pass (see pdf/render.ts). */
  /** The TOC page boxes hold placeholders (pdf/frontMatter.ts) for the PDF renderer to replace. */
  tocPlaceholders: boolean;
}

const translators: Record<Language, ReturnType<typeof translator>> = { en: translator('en'), ru: translator('ru') };
const languagesOf = (mode: ReportLanguage): Language[] => (mode === 'bilingual' ? ['en', 'ru'] : [mode]);

interface ReportData {
  mode: ReportLanguage;
  lang?: Language;
  pages?: ReadonlyMap<string, number> | undefined;
  tocPlaceholders?: boolean;
}

function currentLanguage(options: HelperOptions, helper: string): Language {
  const data = options.data as ReportData;
  if (data.lang) return data.lang;
  throw new Error(`{{${helper}}} used outside a {{#langs}} block in a ${data.mode} report: wrap it so each language is printed`);
}

const dateFormats: Record<Language, Intl.DateTimeFormat> = {
  en: new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }),
  ru: new Intl.DateTimeFormat('ru-RU', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }),
};
const decimalFormats: Record<Language, Intl.NumberFormat> = {
  en: new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 }),
  ru: new Intl.NumberFormat('ru-RU', { maximumFractionDigits: 1 }),
};

function createEnvironment(): typeof Handlebars {
  const hb = Handlebars.create();

  hb.registerHelper('langs', function (this: unknown, options: HelperOptions) {
    const data = options.data as ReportData;
    const layout = (options.hash as { layout?: string }).layout ?? 'columns';
    const parts = languagesOf(data.mode).map((lang) => {
      const frame = hb.createFrame(options.data) as ReportData;
      frame.lang = lang;
      return { lang, html: options.fn(this, { data: frame }) };
    });
    // One language, or both printing the same thing (a number, a name, a one-language marking): print it once.
    if (data.mode !== 'bilingual' || parts.every((part) => part.html === parts[0]?.html)) return parts[0]?.html ?? '';
    // Only static markup is added here; the block content was escaped when it was rendered.
    switch (layout) {
      case 'inline':
        return new hb.SafeString(parts.map((part) => `<span lang="${part.lang}">${part.html}</span>`).join('<span class="sep"> / </span>'));
      case 'stack':
        return new hb.SafeString(parts.map((part) => `<div class="stack" lang="${part.lang}">${part.html}</div>`).join(''));
      default:
        return new hb.SafeString(`<div class="bi">${parts.map((part) => `<div class="bi-col" lang="${part.lang}">${part.html}</div>`).join('')}</div>`);
    }
  });

  hb.registerHelper('tx', (text: Text | null | undefined, options: HelperOptions) => {
    const lang = currentLanguage(options, 'tx');
    return text ? text[lang] : '';
  });

  hb.registerHelper('tr', (key: string, options: HelperOptions) => {
    const lang = currentLanguage(options, 'tr');
    const value = translators[lang](key, options.hash as Record<string, unknown>);
    if (value === key) throw new Error(`Missing report string ${key} (${lang}): add it to src/i18n/locales/{en,ru}/`);
    return value;
  });

  hb.registerHelper('statusLine', (status: ReportStatus | null | undefined, options: HelperOptions) => (status ? statusLine(status, currentLanguage(options, 'statusLine')) : ''));

  hb.registerHelper('date', (iso: string | null | undefined, options: HelperOptions) => {
    if (!iso) return '';
    const date = new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
    return Number.isNaN(date.getTime()) ? iso : dateFormats[currentLanguage(options, 'date')].format(date);
  });

  hb.registerHelper('pct', (percent: number | null | undefined, options: HelperOptions) => {
    const lang = (options.data as ReportData).lang ?? 'en';
    return formatPercent(percent ?? null, lang);
  });

  hb.registerHelper('lvl', (value: number | null | undefined, options: HelperOptions) => {
    if (value === null || value === undefined) return '—';
    return decimalFormats[(options.data as ReportData).lang ?? 'en'].format(value);
  });

  hb.registerHelper('delta', (points: number | null | undefined) => {
    if (points === null || points === undefined) return '—';
    return points > 0 ? `+${points}` : points < 0 ? `−${Math.abs(points)}` : '±0';
  });

  hb.registerHelper('pageOf', (anchor: string, options: HelperOptions) => {
    const data = options.data as ReportData;
    const page = data.pages?.get(anchor);
    return page !== undefined ? String(page) : data.tocPlaceholders ? TOC_PLACEHOLDER : '';
  });

  hb.registerHelper('chapter', (toc: readonly TocEntry[], anchor: string) => toc.find((entry) => entry.anchor === anchor)?.number ?? '');
  hb.registerHelper('paragraphs', (text: string | null | undefined) => (text ?? '').split(/\n\s*\n/).map((part) => part.trim()).filter(Boolean));
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hb.registerHelper('ne', (a: unknown, b: unknown) => a !== b);
  hb.registerHelper('inc', (value: number) => value + 1);
  hb.registerHelper('concat', (...args: unknown[]) => args.slice(0, -1).map(String).join(''));
  hb.registerHelper('range', (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i));

  for (const file of readdirSync(join(TEMPLATES_DIR, 'partials')).filter((name) => name.endsWith('.hbs'))) {
    hb.registerPartial(basename(file, '.hbs'), readFileSync(join(TEMPLATES_DIR, 'partials', file), 'utf8'));
  }
  return hb;
}

interface Compiled {
  document: Handlebars.TemplateDelegate;
  styles: string;
}

let compiled: Compiled | undefined;

function templates(): Compiled {
  if (!compiled) {
    const hb = createEnvironment();
    const read = (name: string): string => readFileSync(join(TEMPLATES_DIR, name), 'utf8');
    const options = { noEscape: false, preventIndent: true };
    compiled = {
      document: hb.compile(read('document.hbs'), options),
      styles: `${reportFontFaces()}\n${read('styles.css')}`,
    };
  }
  return compiled;
}

/**
 * A CSS string literal: letters, digits and plain punctuation as they are, everything else as a hex
 * escape, so no text can end the string, the rule or the <style> element.
 */
export function cssString(text: string): string {
  return `"${[...text].map((ch) => (/[\p{L}\p{N} .,:;()·—–-]/u.test(ch) ? ch : `\\${(ch.codePointAt(0) ?? 32).toString(16)} `)).join('')}"`;
}

/** The running header and footer: margin boxes of every page, in the report's language(s). */
export function pageFrameCss(meta: DocumentMeta): string {
  const languages = languagesOf(meta.language);
  const lines = (pick: (lang: Language) => string): string => {
    const texts = [...new Set(languages.map(pick))];
    return texts.map(cssString).join(' "\\a " ');
  };
  const pageOf = languages.map((lang) => {
    const t = translators[lang];
    return `${cssString(`${t('report:footer.page')} `)} counter(page) ${cssString(` ${t('report:footer.of')} `)} counter(pages)`;
  }).join(' " / " ');
  // Draft or approved version, on its own line above the revision: every page says which it is (above, so
  // that text extraction does not read it into the middle of a wrapped revision line).
  const status = meta.status ? `${lines((lang) => statusLine(meta.status as ReportStatus, lang))} "\\a " ` : '';
  const box = "font-family: 'ENA Sans', sans-serif; font-size: 7pt; line-height: 1.3; color: #4a5568; white-space: pre-line;";
  const top = `${box} vertical-align: bottom; padding-bottom: 1.5mm; border-bottom: 0.5pt solid #c8d1dc;`;
  const bottom = `${box} vertical-align: top; padding-top: 1.5mm; border-top: 0.5pt solid #c8d1dc;`;
  return `@page {
  size: A4;
  margin: ${PAGE_MARGINS.top} ${PAGE_MARGINS.right} ${PAGE_MARGINS.bottom} ${PAGE_MARGINS.left};
  @top-left { content: ${lines((lang) => meta.title[lang])}; ${top} text-align: left; }
  @top-center { content: ${meta.demo ? lines((lang) => translators[lang]('common:demoMarking')) : '""'}; ${top} color: #b42318; font-weight: 700; text-align: center; }
  @top-right { content: ${lines((lang) => meta.marking[lang])}; ${top} color: #1f3a5f; font-weight: 700; text-transform: uppercase; letter-spacing: 0.04em; text-align: right; }
  @bottom-left { content: ${status}${lines((lang) => `${meta.projectName[lang]} · ${translators[lang]('report:footer.revision', { revision: meta.dataRevision })}`)}; ${bottom} text-align: left; }
  @bottom-right { content: ${pageOf}; ${bottom} text-align: right; }
}`;
}

/**
 * "Draft", "Version 2 · approved 3 March 2026", or that this is not the approved text of version 2:
 * printed on every page of a report from the workspace (PDF footer, DOCX header and cover).
 */
export function statusLine(status: ReportStatus, lang: Language): string {
  const t = translators[lang];
  if (status.kind === 'draft') return t('workspace:status.draft');
  const date = dateFormats[lang].format(new Date(status.approvedAt));
  if (status.kind === 'final') return t('workspace:status.final', { version: status.version, date });
  return t(`workspace:status.changed.${status.change}`, { version: status.version, date, revision: status.approvedDataRevision });
}

/** The TOC's page-number boxes; the PDF renderer writes the numbers in (pdf/render.ts). */
export const TOC_PAGE_CLASS = 'toc-page';
/** What a TOC page box holds in the PDF renderer's single print: one text run, like the number that
 * replaces it, in a box of fixed width (see pdf/frontMatter.ts). */
export const TOC_PLACEHOLDER = '0';

/** Page margins: the running header and footer live in them. */
export const PAGE_MARGINS = { top: '21mm', right: '18mm', bottom: '17mm', left: '18mm' } as const;

function plainTitle(title: Text, mode: ReportLanguage): string {
  return mode === 'bilingual' ? `${title.en} / ${title.ru}` : title[mode];
}

export interface RenderOptions {
  /** Page of each TOC anchor, from the first pass; without it the TOC has no numbers yet. */
  pages?: ReadonlyMap<string, number> | undefined;
  /** Screen styling for the browser preview. */
  preview?: boolean;
  /** For the PDF renderer: every TOC page box holds a placeholder digit (see pdf/render.ts). */
  tocPlaceholders?: boolean;
  /**
   * For the PDF renderer: on screen the document shows only a sample of each font face (see
   * styles.css, "PDF rendering"), so Chromium lays the report out for print only.
   */
  printOnly?: boolean;
}

/** Renders a report model to one HTML document. Pure apart from reading the templates once. */
export function renderReportHtml(model: ReportModel, options: RenderOptions = {}): RenderedReport {
  const t = templates();
  const mode = model.meta.language;
  const data: ReportData = { mode, pages: options.pages, tocPlaceholders: options.tocPlaceholders ?? false };
  if (mode !== 'bilingual') data.lang = mode;
  const title = plainTitle(model.meta.title, mode);
  const html = t.document({
    model,
    styles: `${t.styles}\n${pageFrameCss(model.meta)}`,
    htmlLang: mode === 'bilingual' ? 'en' : mode,
    documentTitle: title,
    preview: options.preview ?? false,
    fontSamples: options.printOnly ? reportFontSamples() : undefined,
  }, { data });
  return { html, title, anchors: model.toc.map((entry) => entry.anchor), tocPlaceholders: options.tocPlaceholders ?? false };
}
