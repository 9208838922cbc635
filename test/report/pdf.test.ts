/**
 * Real PDFs from real Chromium, read back with poppler-utils the way a reader's viewer sees them.
 */
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadQuestionnaires } from '../../src/questionnaire/load.js';
import { generateReportPdf, buildReportModel, type GeneratedReport } from '../../src/report/generate.js';
import { PdfPool } from '../../src/report/pdf/pool.js';
import type { ReportLanguage, ReportRequest } from '../../src/report/input.js';
import type { TocEntry } from '../../src/report/model/common.js';
import { countryInput, progressInput, regionalInput } from './fixtures.js';
import { demoProgressInput, demoRegionalInput } from './demoInputs.js';
import { pageTexts, pageWords, pdfInfo, squash, type Word } from './pdfText.js';

const LANGUAGES: readonly ReportLanguage[] = ['en', 'ru', 'bilingual'];
const DEMO = { en: 'Demo data — not an assessment', ru: 'Демонстрационные данные — не результат оценки' };

/** Text set in heading sizes (h1, h2), per page: body text, tables and the TOC are smaller. */
async function headingText(pdf: Uint8Array): Promise<string[]> {
  return (await pageWords(pdf)).map((words) => words.filter((word) => word.height > 15.5).map((word) => word.text).join(' '));
}

const headingLabel = (entry: TocEntry, language: ReportLanguage): string =>
  `${entry.number} ${language === 'ru' ? entry.title.ru : entry.title.en}`;

/** The page number printed after each TOC entry, read from the TOC pages' text. */
function printedTocPages(tocPages: readonly string[]): Map<string, number> {
  const printed = new Map<string, number>();
  for (const line of tocPages.join('\n').split('\n')) {
    const match = /^\s*(\d+(?:\.\d+)?)\s+(\S.*?)\s{2,}(\d+)\s*$/.exec(line);
    if (match) printed.set(match[1] ?? '', Number(match[3]));
  }
  return printed;
}

describe('country report PDF', () => {
  const pool = new PdfPool();
  const input = countryInput('KZ');
  const request: ReportRequest = { kind: 'country', input };
  const reports = new Map<ReportLanguage, { report: GeneratedReport; pages: string[]; layout: string[]; headings: string[]; words: Word[][] }>();

  beforeAll(async () => {
    await Promise.all(LANGUAGES.map(async (language) => {
      const report = await generateReportPdf(pool, request, language);
      reports.set(language, { report, pages: await pageTexts(report.pdf), layout: await pageTexts(report.pdf, { layout: true }), headings: await headingText(report.pdf), words: await pageWords(report.pdf) });
    }));
  }, 600_000);
  afterAll(() => pool.close());

  const get = (language: ReportLanguage) => {
    const entry = reports.get(language);
    if (!entry) throw new Error(`no ${language} report`);
    return entry;
  };

  it('writes Russian as real Cyrillic text, in the embedded Noto fonts', () => {
    const { pages } = get('ru');
    const text = squash(pages.join(' '));
    expect(text).toContain('Оценка потребностей в сфере электронных доказательств: Казахстан');
    expect(text).toContain('Резюме');
    expect(text).toContain('Процессуальные полномочия');
    expect(text).toContain('Оперативное обеспечение сохранности данных: имеется ли прямо предусмотренная правовая основа?');
    expect(text).not.toContain('\uFFFD');
    expect(text).not.toMatch(/Executive summary|Recommendations/);
  });

  it.each(LANGUAGES)('prints on every TOC entry the page its heading is on (%s)', (language) => {
    const { report, layout, headings } = get(language);
    const model = buildReportModel(request, language);
    const firstChapter = headings.findIndex((text) => text.includes(headingLabel(model.toc[0] as TocEntry, language)));
    expect(firstChapter).toBeGreaterThan(1);
    const printed = printedTocPages(layout.slice(1, firstChapter));
    for (const entry of model.toc) {
      const label = headingLabel(entry, language);
      const onPages = headings.flatMap((text, index) => (text.includes(label) ? [index + 1] : []));
      expect({ label, printed: printed.get(entry.number) }).toEqual({ label, printed: onPages[0] });
      expect({ label, onPages }).toEqual({ label, onPages: [report.tocPages.get(entry.anchor)] });
    }
  });

  it('has a sensible length for five assessment areas', async () => {
    for (const language of LANGUAGES) {
      const { report, pages } = get(language);
      expect(report.pageCount).toBeGreaterThanOrEqual(20);
      expect(report.pageCount).toBeLessThan(150);
      expect(pages.length).toBe(report.pageCount);
      expect(Number((await pdfInfo(report.pdf)).Pages)).toBe(report.pageCount);
    }
    expect(get('bilingual').report.pageCount).toBeGreaterThan(get('en').report.pageCount);
  });

  it('never leaves a heading alone at the bottom of a page', () => {
    const FOOTER_TOP = 842 - 48; // A4 height minus the 17 mm bottom margin, in points
    for (const language of LANGUAGES) {
      get(language).words.forEach((words, index) => {
        const body = words.filter((word) => word.yMax < FOOTER_TOP && word.yMin > 60);
        const lastHeading = body.filter((word) => word.height > 15.5).reduce((lowest, word) => Math.max(lowest, word.yMax), -1);
        if (lastHeading < 0) return;
        const below = body.filter((word) => word.height <= 15.5 && word.yMin > lastHeading);
        expect(below.length, `${language} page ${index + 1}: nothing follows the last heading`).toBeGreaterThan(0);
      });
    }
  });

  it('puts English and Russian on the same page in the bilingual report', () => {
    const { pages, headings } = get('bilingual');
    const model = buildReportModel(request, 'bilingual');
    if (model.kind !== 'country') throw new Error('country model expected');
    const pageWith = (text: string): number => pages.findIndex((page, index) => index > 2 && squash(page).includes(text));
    for (const area of model.areas) {
      const page = headings.findIndex((text) => text.includes(`${area.number} ${area.title.en} / ${area.title.ru}`));
      expect(page, area.title.en).toBeGreaterThan(2);
      expect(squash(pages[page] ?? '')).toContain(area.description.ru.slice(0, 30));
      const first = area.recommendations[0];
      if (first) {
        const recPage = pageWith(first.text.en.slice(0, 40));
        expect(squash(pages[recPage] ?? '')).toContain(first.text.ru.slice(0, 40));
      }
    }
    const frame = ['Demo data', 'Electronic evidence needs assessment:', 'e-Evidence Needs Assessment'];
    for (const page of pages.slice(3)) {
      const body = page.split('\n').filter((line) => !frame.some((part) => line.includes(part))).join(' ');
      expect(/[А-Яа-яЁё]{4,}/.test(body) && /[A-Za-z]{4,}/.test(body)).toBe(true);
    }
  });

  it('prints the demo marking on every page, in the report’s language(s)', () => {
    for (const language of LANGUAGES) {
      const { pages } = get(language);
      const expected = language === 'bilingual' ? [DEMO.en, DEMO.ru] : [DEMO[language]];
      pages.forEach((page, index) => {
        for (const marking of expected) expect(squash(page), `${language} page ${index + 1}`).toContain(marking);
      });
    }
  });

  it('carries the document title, language, tagging and bookmarks', async () => {
    const { report } = get('ru');
    const info = await pdfInfo(report.pdf);
    expect(info.Title).toBe('Оценка потребностей в сфере электронных доказательств: Казахстан');
    expect(info.Tagged).toBe('yes');
    const raw = Buffer.from(report.pdf).toString('latin1');
    expect(raw).toContain('/Lang (ru)');
    expect(raw).toMatch(/\/Type \/Outlines/);
    expect((raw.match(/\/Dest \[\d+ 0 R \/XYZ/g) ?? []).length).toBeGreaterThanOrEqual(12);
  });

  it('prints the body once: the cover and TOC with their numbers are swapped into that one print', () => {
    // passes 1: the splice was accepted, so every front page's marked content matched the structure
    // tree page by page (frontMatter.ts; test/report/frontMatter.test.ts reads the tagged text back).
    // A report whose content is wider than the page would be shrunk by Chromium, its front pages printed
    // alone would not be, and the renderer would fall back to a second whole print (passes 2): nothing in
    // any language may overflow the page (styles.css, bilingual facts and pills).
    for (const language of LANGUAGES) expect(get(language).report.passes, language).toBe(1);
  });

  it('takes a request still being read, and a read that fails fails the report alone', async () => {
    // The page opens while the request is read (generate.ts): a failed read must not leave that page or
    // its pool slot behind, nor surface as an unhandled rejection.
    const failedRead = new Promise<ReportRequest>((_, reject) => setTimeout(() => reject(new Error('the database is gone')), 50));
    await expect(generateReportPdf(pool, failedRead, 'en')).rejects.toThrow('the database is gone');
    const later = await generateReportPdf(pool, new Promise<ReportRequest>((done) => setTimeout(() => done({ kind: 'country', input: countryInput() }), 50)), 'en');
    expect(later.pageCount).toBe(get('en').report.pageCount);
  });
});

describe('a country report from the real questionnaires', () => {
  const pool = new PdfPool();
  afterAll(() => pool.close());

  it('runs to 20+ pages with every TOC number right', async (context) => {
    const loaded = await loadQuestionnaires([resolve('questionnaires')]);
    if (loaded.issues.length > 0 || loaded.questionnaires.length < 5) {
      context.skip(`questionnaires/ does not hold five valid questionnaires yet (${loaded.questionnaires.length}, ${loaded.issues.length} issue(s))`);
      return;
    }
    const request: ReportRequest = { kind: 'country', input: countryInput('TJ', { questionnaires: loaded.questionnaires, catalogue: loaded.catalogue }) };
    const report = await generateReportPdf(pool, request, 'en');
    expect(report.pageCount).toBeGreaterThanOrEqual(20);
    const headings = await headingText(report.pdf);
    for (const entry of buildReportModel(request, 'en').toc) {
      const onPages = headings.flatMap((text, index) => (text.includes(headingLabel(entry, 'en')) ? [index + 1] : []));
      expect({ anchor: entry.anchor, onPages }).toEqual({ anchor: entry.anchor, onPages: [report.tocPages.get(entry.anchor)] });
    }
    const firstChapter = headings.findIndex((text) => text.includes('1 Executive summary'));
    const printed = printedTocPages((await pageTexts(report.pdf, { layout: true })).slice(1, firstChapter));
    const model = buildReportModel(request, 'en');
    expect(Object.fromEntries(model.toc.map((entry) => [entry.number, printed.get(entry.number)])))
      .toEqual(Object.fromEntries(model.toc.map((entry) => [entry.number, report.tocPages.get(entry.anchor)])));
  }, 300_000);
});

describe('a mission that is not demo data', () => {
  const pool = new PdfPool();
  afterAll(() => pool.close());

  it('carries no demo marking and prints the configured marking on every page', async () => {
    const input = { ...countryInput('UZ', { isDemo: false }), marking: 'OSCE restricted' };
    const report = await generateReportPdf(pool, { kind: 'country', input }, 'en');
    const pages = await pageTexts(report.pdf);
    for (const page of pages) {
      expect(page).not.toContain(DEMO.en);
      expect(page.toUpperCase()).toContain('OSCE RESTRICTED');
    }
  }, 300_000);
});

describe('regional and progress report PDFs', () => {
  const pool = new PdfPool();
  afterAll(() => pool.close());

  it('renders the regional comparison with a heat map of areas × countries and one profile per country', async () => {
    const request: ReportRequest = { kind: 'regional', input: regionalInput() };
    const report = await generateReportPdf(pool, request, 'ru');
    const pages = await pageTexts(report.pdf);
    const headings = await headingText(report.pdf);
    const overview = squash(pages[(report.tocPages.get('overview') ?? 0) - 1] ?? '');
    expect(overview).toMatch(/Направление KZ KG TJ TM UZ/);
    expect(overview).toContain('Процессуальные полномочия');
    for (const code of ['kz', 'kg', 'tj', 'tm', 'uz']) {
      const page = report.tocPages.get(`profile-${code}`) ?? 0;
      expect(headings[page - 1]).toMatch(/4\.\d (Казахстан|Кыргызстан|Таджикистан|Туркменистан|Узбекистан)/);
    }
    expect(report.pageCount).toBeGreaterThanOrEqual(10);
  }, 300_000);

  it('says in the PDF when the compared missions had different scopes, beside the comparison', async () => {
    const regional = await generateReportPdf(pool, { kind: 'regional', input: demoRegionalInput({ KZ: 'core' }) }, 'ru');
    const overview = squash((await pageTexts(regional.pdf)).slice((regional.tocPages.get('overview') ?? 1) - 1).join(' '));
    expect(overview).toContain('Охват сопоставляемых миссий различается. KZ — только основные показатели');
    expect(overview.indexOf('Охват сопоставляемых миссий различается')).toBeLessThan(overview.indexOf('Оценки по направлениям и государствам'));
    expect(overview).toContain('Оценка по основным показателям');
    const progress = await generateReportPdf(pool, { kind: 'progress', input: demoProgressInput('KZ', 'full', 'core') }, 'en');
    const text = squash((await pageTexts(progress.pdf)).join(' '));
    expect(text).toContain('The two missions had different scopes: the baseline mission assessed every question, the follow-up mission only the core indicators');
    expect(text).toMatch(/Scope Full Core indicators/);
  }, 300_000);

  it('renders the progress report with closed and open recommendations', async () => {
    const request: ReportRequest = { kind: 'progress', input: progressInput() };
    const report = await generateReportPdf(pool, request, 'en');
    const text = squash((await pageTexts(report.pdf)).join(' '));
    expect(text).toMatch(/Closed \(\d+\)/);
    expect(text).toMatch(/Still open \(\d+\)/);
    expect(text).toMatch(/Reference kz-2024 kz-2025/);
  }, 300_000);
});
