/**
 * HTML → PDF with a table of contents whose page numbers are right. Chromium has no CSS
 * target-counter(), so the TOC is filled in two passes on the same page:
 *  1. render the document with empty page-number boxes of fixed width, as a lean PDF (no header, no
 *     outline, no tagging) with the same page size and margins, and read from it the page of every
 *     TOC link target (Chromium writes each `<a href="#id">` target as a named destination);
 *  2. render again with those numbers, this time with the running header and footer, the outline
 *     (bookmarks) and tagging, and check that every target is still on the page the TOC says; if a
 *     number moved anything (it should not: the boxes have a fixed width), render once more.
 */
import type { PDFOptions } from 'puppeteer';
import { Problem } from '../../shared/problem.js';
import type { RenderedReport } from '../html.js';
import { readNamedDestinations } from './destinations.js';
import type { PdfPool } from './pool.js';

export const PAGE_MARGINS = { top: '21mm', bottom: '17mm', left: '18mm', right: '18mm' } as const;
const MAX_PASSES = 3;

export interface PdfResult {
  pdf: Uint8Array;
  pageCount: number;
  /** Page of each TOC anchor, as printed in the TOC. */
  tocPages: Map<string, number>;
  passes: number;
}

/** What the final pass (and the benchmark's single-pass floor) hands to page.pdf. */
export function finalPdfOptions(report: Pick<RenderedReport, 'headerTemplate' | 'footerTemplate'>): PDFOptions {
  return {
    format: 'A4',
    printBackground: true,
    margin: PAGE_MARGINS,
    displayHeaderFooter: true,
    headerTemplate: report.headerTemplate,
    footerTemplate: report.footerTemplate,
    outline: true,
    tagged: true,
    timeout: 0, // the pool's task timeout governs
  };
}

const layoutPdfOptions: PDFOptions = {
  format: 'A4',
  printBackground: true,
  margin: PAGE_MARGINS,
  displayHeaderFooter: false,
  outline: false,
  tagged: false,
  timeout: 0,
};

function locate(anchors: readonly string[], destinations: ReadonlyMap<string, number>): Map<string, number> {
  const pages = new Map<string, number>();
  const missing: string[] = [];
  for (const anchor of anchors) {
    const page = destinations.get(anchor);
    if (page === undefined) missing.push(anchor);
    else pages.set(anchor, page);
  }
  if (missing.length > 0) {
    throw new Problem('internal', `The table of contents links to ${missing.map((a) => `#${a}`).join(', ')}, but the rendered PDF has no such target: every TOC anchor needs an element with that id.`);
  }
  return pages;
}

const samePages = (a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): boolean =>
  a.size === b.size && [...a].every(([anchor, page]) => b.get(anchor) === page);

/**
 * Renders a report to PDF. `render(pages)` must return the same document each time except for the
 * TOC page numbers it is given (none in the first pass).
 */
export async function renderPdf(pool: PdfPool, render: (pages?: ReadonlyMap<string, number>) => RenderedReport): Promise<PdfResult> {
  return pool.run(async (page) => {
    let pages: Map<string, number> | undefined;
    for (let pass = 1; pass <= MAX_PASSES; pass++) {
      const report = render(pages);
      await page.setContent(report.html, { waitUntil: 'load' });
      const final = pages !== undefined || report.anchors.length === 0;
      const pdf = await page.pdf(final ? finalPdfOptions(report) : layoutPdfOptions);
      const read = readNamedDestinations(pdf);
      const located = locate(report.anchors, read.destinations);
      if (final && (pages === undefined || samePages(located, pages))) {
        return { pdf, pageCount: read.pageCount, tocPages: located, passes: pass };
      }
      pages = located;
    }
    throw new Problem('internal', `The table of contents page numbers still moved after ${MAX_PASSES} renders; check templates/report/styles.css (.toc-page must keep a fixed width).`);
  });
}
