/**
 * The front-matter splice on real Chromium prints: the new drawing replaces the old on the front pages
 * only, the result is a valid PDF that poppler reads, and a front print whose tagging differs is refused.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { readPdfObjects, readNamedDestinations } from '../../src/report/pdf/destinations.js';
import { spliceFrontMatter } from '../../src/report/pdf/frontMatter.js';
import { PdfPool } from '../../src/report/pdf/pool.js';
import { FINAL_PDF_OPTIONS } from '../../src/report/pdf/render.js';
import { pageTexts, pdfInfo, structureText } from './pdfText.js';

const document = (pageNumber: string, extra = ''): string => `<!doctype html><html lang="en"><head><style>
  @page { size: A4; margin: 20mm; @bottom-right { content: "Page " counter(page) " of " counter(pages); } }
  section { break-before: page; } .n { display: inline-block; width: 9mm; }
</style></head><body>
  <section class="toc"><h1>Contents</h1><a href="#one">Chapter one <span class="n">${pageNumber}</span></a>${extra}</section>
  <section><h1 id="one">Chapter one</h1><p>Body text of chapter one.</p></section>
  <section><h1>Chapter two</h1><p>More body text.</p></section>
</body></html>`;

describe('front-matter splice', () => {
  const pool = new PdfPool();
  afterAll(() => pool.close());
  const print = (html: string, options = FINAL_PDF_OPTIONS): Promise<Uint8Array> => pool.run(async (page) => {
    await page.setContent(html, { waitUntil: 'load' });
    return page.pdf(options);
  });

  it('swaps the drawing of the front page and keeps pages, destinations, tagging and page count', async () => {
    const whole = await print(document('0'));
    const front = await print(document('2'), { ...FINAL_PDF_OPTIONS, outline: false, pageRanges: '1-1' });
    const spliced = spliceFrontMatter(whole, readPdfObjects(whole), front, 1);
    expect(spliced).toBeInstanceOf(Uint8Array);
    const result = spliced as Uint8Array;
    // An incremental update: the original bytes unchanged in front.
    expect(Buffer.from(result.subarray(0, whole.byteLength)).equals(Buffer.from(whole))).toBe(true);
    const texts = await pageTexts(result);
    expect(texts).toHaveLength(3);
    expect(texts[0]).toMatch(/Chapter one\s+2/);
    expect(texts[0]).toContain('Page 1 of 3');
    expect(texts[1]).toContain('Body text of chapter one.');
    expect(readNamedDestinations(result)).toEqual(readNamedDestinations(whole));
    expect((await pdfInfo(result)).Tagged).toBe('yes');
    // The new number is tagged where the placeholder was.
    expect(await structureText(result)).toMatch(/"Chapter one\s*"[\s\S]*?"2"/);
  });

  it('refuses a front print whose marked content differs, and a page count that does not match', async () => {
    const whole = await print(document('0'));
    const objects = readPdfObjects(whole);
    const different = await print(document('2', '<p>An extra paragraph</p>'), { ...FINAL_PDF_OPTIONS, outline: false, pageRanges: '1-1' });
    expect(spliceFrontMatter(whole, objects, different, 1)).toBeUndefined();
    const untagged = await print(document('2'), { ...FINAL_PDF_OPTIONS, tagged: false, outline: false, pageRanges: '1-1' });
    expect(spliceFrontMatter(whole, objects, untagged, 1)).toBeUndefined();
    const front = await print(document('2'), { ...FINAL_PDF_OPTIONS, outline: false, pageRanges: '1-1' });
    expect(spliceFrontMatter(whole, objects, front, 2)).toBeUndefined();
  });
});
