/**
 * HTML → PDF with a table of contents whose page numbers are right. Chromium has no CSS
 * target-counter(), so the TOC is filled in two passes over one loaded document:
 *  1. load the HTML, whose TOC has empty page-number boxes of fixed width and whose root carries the
 *     layout-pass class (everything but headings invisible: same layout, much less to paint), print a
 *     lean PDF and read from it the page of every TOC link target (Chromium writes each
 *     `<a href="#id">` target as a named destination: see destinations.ts);
 *  2. through the DevTools DOM domain (no script runs in the page) write those numbers into the
 *     boxes and drop the layout-pass class, print the final PDF with outline (bookmarks) and
 *     tagging, and check that every target is
 *     still on the page the TOC says; if a number moved anything (it should not: the boxes have a
 *     fixed width), fill and print once more.
 */
import type { Page, PDFOptions } from 'puppeteer';
import { Problem } from '../../shared/problem.js';
import { TOC_PAGE_CLASS, type RenderedReport } from '../html.js';
import { readNamedDestinations } from './destinations.js';
import type { PdfPool } from './pool.js';

const MAX_PASSES = 3;

export interface PdfResult {
  pdf: Uint8Array;
  pageCount: number;
  /** Page of each TOC anchor, as printed in the TOC. */
  tocPages: Map<string, number>;
  passes: number;
}

/**
 * What the final pass (and the benchmark's single-pass floor) hands to page.pdf: page size, margins,
 * header and footer come from the document's own @page rules.
 */
export const FINAL_PDF_OPTIONS: PDFOptions = {
  preferCSSPageSize: true,
  printBackground: true,
  displayHeaderFooter: false,
  outline: true,
  tagged: true,
  timeout: 0, // the pool's task timeout governs
};

/**
 * The first pass only needs to know where the headings land: no structure tree, no bookmarks, no
 * backgrounds, and (through the layout-pass class, see styles.css) nothing painted but the headings.
 */
const LAYOUT_PDF_OPTIONS: PDFOptions = { ...FINAL_PDF_OPTIONS, outline: false, tagged: false, printBackground: false };

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

/** Turns the loaded first-pass document into the final one: TOC numbers in, everything painted. */
async function prepareFinalPass(page: Page, pages: ReadonlyMap<string, number>): Promise<void> {
  const session = await page.createCDPSession();
  try {
    const { root } = await session.send('DOM.getDocument', { depth: 0 });
    const { nodeId: html } = await session.send('DOM.querySelector', { nodeId: root.nodeId, selector: 'html' });
    await session.send('DOM.removeAttribute', { nodeId: html, name: 'class' });
    const { nodeIds } = await session.send('DOM.querySelectorAll', { nodeId: root.nodeId, selector: `.${TOC_PAGE_CLASS}[data-anchor]` });
    for (const nodeId of nodeIds) {
      const { attributes } = await session.send('DOM.getAttributes', { nodeId });
      const anchor = attributes[attributes.indexOf('data-anchor') + 1] ?? '';
      const number = pages.get(anchor);
      if (number === undefined) continue;
      // Anchors are ENA's own slugs and numbers are numbers; escaped all the same.
      await session.send('DOM.setOuterHTML', { nodeId, outerHTML: `<span class="${TOC_PAGE_CLASS}" data-anchor="${escapeAttribute(anchor)}">${number}</span>` });
    }
  } finally {
    await session.detach();
  }
}

const escapeAttribute = (value: string): string => value.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** Renders a report to PDF, TOC page numbers included. */
export async function renderPdf(pool: PdfPool, report: RenderedReport): Promise<PdfResult> {
  if (!report.layoutPass && report.anchors.length > 0) throw new Error('renderPdf needs HTML rendered with { layoutPass: true }');
  return pool.run(async (page) => {
    await page.setContent(report.html, { waitUntil: 'load' });
    let pages: Map<string, number> | undefined;
    for (let pass = 1; pass <= MAX_PASSES; pass++) {
      const final = pages !== undefined || report.anchors.length === 0;
      if (pages) await prepareFinalPass(page, pages);
      const pdf = await page.pdf(final ? FINAL_PDF_OPTIONS : LAYOUT_PDF_OPTIONS);
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
