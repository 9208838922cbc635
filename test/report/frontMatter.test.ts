/**
 * The front-matter splice on real Chromium prints: the new drawing replaces the old on the front pages
 * only, the result is a valid PDF that poppler reads, and a front print whose tagging differs is refused.
 */
import { deflateSync, inflateSync } from 'node:zlib';
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

/**
 * The same PDF with its first page's drawing compressed again (a comment line appended) until the
 * compressed data ends in a carriage return, as about one content stream in 256 does. The object keeps
 * Chromium's layout (`/Length n>> stream`, data, a newline, `endstream`); offsets after it shift, which
 * the splice does not read.
 */
function drawingEndingInCarriageReturn(pdf: Uint8Array): Uint8Array {
  const text = Buffer.from(pdf).toString('latin1');
  const objects = readPdfObjects(pdf);
  const [pageId] = [...objects.pages].sort((a, b) => a[1] - b[1])[0] ?? [];
  const contentsId = Number(/\/Contents (\d+) 0 R/.exec(objects.spans.get(pageId ?? -1)?.body ?? '')?.[1]);
  const span = objects.spans.get(contentsId);
  if (!span) throw new Error('no content stream on page 1');
  const raw = text.slice(span.start, span.end);
  const start = raw.indexOf('stream\n') + 'stream\n'.length;
  const drawn = inflateSync(Buffer.from(raw.slice(start, start + Number(/\/Length (\d+)/.exec(span.body)?.[1])), 'latin1'));
  for (let pad = 0; pad < 10_000; pad++) {
    const data = deflateSync(Buffer.concat([drawn, Buffer.from(`\n%${'x'.repeat(pad)}\n`)]));
    if (data[data.length - 1] !== 0x0d) continue;
    const object = `${contentsId} 0 obj\n<</Filter /FlateDecode\n/Length ${data.length}>> stream\n${data.toString('latin1')}\nendstream\nendobj`;
    return Buffer.from(text.slice(0, span.start) + object + text.slice(span.end), 'latin1');
  }
  throw new Error('no padding made the compressed drawing end in a carriage return');
}

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

  it('reads a drawing whose compressed data ends in a carriage return (it took the slow path: a whole second print)', async () => {
    const whole = drawingEndingInCarriageReturn(await print(document('0')));
    const front = await print(document('2'), { ...FINAL_PDF_OPTIONS, outline: false, pageRanges: '1-1' });
    expect(spliceFrontMatter(whole, readPdfObjects(whole), front, 1)).toBeInstanceOf(Uint8Array);
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
