/**
 * The report preview's accessibility findings, fixed: score badges readable (≥ 4.5:1 against their white
 * text, in the preview and the PDF, which share the stylesheet), charts with a text alternative, and PDF
 * bookmarks that keep the number apart from the title ("1 Executive summary", not "1Executive summary").
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDict, PDFDocument, PDFHexString, PDFName, PDFString } from 'pdf-lib';
import { afterAll, describe, expect, it } from 'vitest';
import { generateReportPdf } from '../../src/report/generate.js';
import { TEMPLATES_DIR, renderReportHtml } from '../../src/report/html.js';
import { buildCountryReport } from '../../src/report/model/country.js';
import { PdfPool } from '../../src/report/pdf/pool.js';
import { countryInput } from '../report/fixtures.js';

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0);
}
const contrast = (a: string, b: string): number => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
};

const pool = new PdfPool();
afterAll(() => pool.close());

describe('report accessibility', () => {
  it('draws every score badge at 4.5:1 or more against its white text', () => {
    const css = readFileSync(join(TEMPLATES_DIR, 'styles.css'), 'utf8');
    for (let band = 0; band <= 4; band++) {
      const rule = css.match(new RegExp(`\\.score\\.band-${band} \\{ background: var\\(--([\\w-]+)\\); \\}`));
      expect(rule, `.score.band-${band}`).not.toBeNull();
      const colour = css.match(new RegExp(`--${rule?.[1]}: (#[0-9a-f]{6});`, 'i'))?.[1] as string;
      expect(contrast(colour, '#ffffff'), `band ${band} ${colour}`).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('gives every chart a text alternative naming what it shows', () => {
    const html = renderReportHtml(buildCountryReport(countryInput('KZ'), 'en')).html;
    const charts = html.match(/<svg class="chart[^>]*role="img">\s*<title>[^<]+<\/title>/g) ?? [];
    expect(charts.length).toBe((html.match(/<svg class="chart/g) ?? []).length);
    expect(charts[0]).toMatch(/Substantive law[^<]*\d+%/);
  });

  it('keeps numbers apart from titles in the PDF bookmarks', async () => {
    const { pdf } = await generateReportPdf(pool, { kind: 'country', input: countryInput('KZ') }, 'en');
    const doc = await PDFDocument.load(pdf);
    const titles: string[] = [];
    const walk = (dict: PDFDict | undefined): void => {
      for (let item = dict; item; item = item.lookupMaybe(PDFName.of('Next'), PDFDict)) {
        const title = item.lookupMaybe(PDFName.of('Title'), PDFString, PDFHexString);
        if (title) titles.push(title.decodeText());
        walk(item.lookupMaybe(PDFName.of('First'), PDFDict));
      }
    };
    walk(doc.catalog.lookupMaybe(PDFName.of('Outlines'), PDFDict)?.lookupMaybe(PDFName.of('First'), PDFDict));
    expect(titles).toContain('1 Executive summary');
    expect(titles.filter((title) => /^\d+(\.\d+)* \p{L}/u.test(title)).length).toBeGreaterThan(10);
    for (const title of titles) expect(title).not.toMatch(/^\d+(\.\d+)*\p{L}/u);
  }, 120_000);
});
