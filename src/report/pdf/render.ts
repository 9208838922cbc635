/**
 * HTML → PDF with a table of contents whose page numbers are right. Chromium has no CSS
 * target-counter(), so:
 *  1. the HTML's TOC page boxes hold a one-digit placeholder (fixed-width boxes: a number lays out the
 *     same); the whole document is printed ONCE, with outline (bookmarks) and tagging, and the page of
 *     every TOC link target is read from that PDF (Chromium writes each `<a href="#id">` target as a
 *     named destination: see destinations.ts);
 *  2. through the DevTools DOM domain (no script runs in the page) the numbers are written into the
 *     boxes and only the front pages (cover and TOC, up to the page before the first TOC target) are
 *     printed again; frontMatter.ts puts their drawing into the whole print (page numbers, outline,
 *     links and tagging kept). The result's destinations are read again and must match the numbers.
 * If the front pages cannot be swapped (their tagging differs) the whole document is printed again
 * with the numbers, as the earlier two-pass renderer did; that costs a second full print.
 */
import type { CDPSession, PDFOptions } from 'puppeteer';
import { Problem } from '../../shared/problem.js';
import { TOC_PAGE_CLASS, type RenderedReport } from '../html.js';
import { namedDestinations, readNamedDestinations, readPdfObjects } from './destinations.js';
import { spliceFrontMatter } from './frontMatter.js';
import type { PdfPool } from './pool.js';

export interface PdfResult {
  pdf: Uint8Array;
  pageCount: number;
  /** Page of each TOC anchor, as printed in the TOC. */
  tocPages: Map<string, number>;
  /** Prints of the whole document: 1, or 2 when the front pages could not be swapped in. */
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

/** A TOC page box as Chromium serialises it: class, anchor, then the placeholder or a number. */
const TOC_BOX = new RegExp(`<span class="${TOC_PAGE_CLASS}" data-anchor="([^"<>&]*)">[^<]*</span>`, 'g');

/**
 * Writes the page numbers into the loaded document's TOC boxes: the TOC's list is read, its boxes
 * filled in and written back in one piece (a few DevTools calls; two calls per box cost ~45 ms on a
 * 27-entry TOC). Where the TOC does not read back as expected, each box is written on its own.
 */
async function fillTocNumbers(session: CDPSession, pages: ReadonlyMap<string, number>): Promise<void> {
  const { root } = await session.send('DOM.getDocument', { depth: 0 });
  const [{ nodeIds: boxes }, { nodeIds: tocs }] = await Promise.all([
    session.send('DOM.querySelectorAll', { nodeId: root.nodeId, selector: `.${TOC_PAGE_CLASS}[data-anchor]` }),
    // The TOC's list, not the TOC section: DOM.setOuterHTML diffs the new markup against the old node's
    // siblings too, and the section's siblings are the whole report (~50 ms; the list's, a heading: ~1 ms).
    session.send('DOM.querySelectorAll', { nodeId: root.nodeId, selector: `body > .toc > :has(.${TOC_PAGE_CLASS}[data-anchor])` }),
  ]);
  const [toc] = tocs;
  if (tocs.length === 1 && toc !== undefined) {
    const { outerHTML } = await session.send('DOM.getOuterHTML', { nodeId: toc });
    let filled = 0;
    const html = outerHTML.replace(TOC_BOX, (box, anchor: string) => {
      const number = pages.get(anchor);
      if (number === undefined) return box;
      filled++;
      return `<span class="${TOC_PAGE_CLASS}" data-anchor="${anchor}">${number}</span>`;
    });
    if (filled === boxes.length) {
      await session.send('DOM.setOuterHTML', { nodeId: toc, outerHTML: html });
      return;
    }
  }
  for (const nodeId of boxes) {
    const { attributes } = await session.send('DOM.getAttributes', { nodeId });
    const anchor = attributes[attributes.indexOf('data-anchor') + 1] ?? '';
    const number = pages.get(anchor);
    if (number === undefined) continue;
    // Anchors are ENA's own slugs and numbers are numbers; escaped all the same.
    await session.send('DOM.setOuterHTML', { nodeId, outerHTML: `<span class="${TOC_PAGE_CLASS}" data-anchor="${escapeAttribute(anchor)}">${number}</span>` });
  }
}

/**
 * Leaves only the front matter (cover and TOC) in the loaded document, followed by empty pages up to
 * the whole print's page count, so that "page X of Y" in the front pages' footers stays right while
 * Chromium lays out and paints almost nothing else. The calls go out together: DevTools runs them in
 * order, and one round trip each cost 15–40 ms on a 15-chapter report.
 */
async function keepOnlyFrontMatter(session: CDPSession, totalPages: number, frontPages: number): Promise<void> {
  const { root } = await session.send('DOM.getDocument', { depth: 0 });
  const { nodeIds } = await session.send('DOM.querySelectorAll', { nodeId: root.nodeId, selector: 'body > :not(.cover):not(.toc)' });
  const [first, ...rest] = nodeIds;
  if (first === undefined) return;
  await Promise.all([
    ...rest.map((nodeId) => session.send('DOM.removeNode', { nodeId })),
    session.send('DOM.setOuterHTML', { nodeId: first, outerHTML: '<div style="break-before: page"></div>'.repeat(Math.max(0, totalPages - frontPages)) }),
  ]);
}

const escapeAttribute = (value: string): string => value.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/**
 * Renders a report to PDF, TOC page numbers included. The report may still be being built: the pool
 * opens the page (Chromium starts a renderer process, ~0.1 s) while node builds the HTML.
 */
export async function renderPdf(pool: PdfPool, pending: RenderedReport | Promise<RenderedReport>): Promise<PdfResult> {
  return pool.run(async (page) => {
    // One DevTools session for the TOC numbers, opened while the page loads (it ends with the page).
    const opening = page.createCDPSession();
    opening.catch(() => undefined); // awaited below, unless the HTML or the print fails first
    const report = await pending;
    if (!report.tocPlaceholders && report.anchors.length > 0) throw new Error('renderPdf needs HTML rendered with { tocPlaceholders: true }');
    await page.setContent(report.html, { waitUntil: 'load' });
    const whole = await page.pdf(FINAL_PDF_OPTIONS);
    const wholeObjects = readPdfObjects(whole);
    const read = namedDestinations(wholeObjects);
    if (report.anchors.length === 0) return { pdf: whole, pageCount: read.pageCount, tocPages: new Map(), passes: 1 };
    const pages = locate(report.anchors, read.destinations);
    const session = await opening;
    await fillTocNumbers(session, pages);
    const frontPages = Math.min(...pages.values()) - 1;
    if (frontPages >= 1) {
      await keepOnlyFrontMatter(session, read.pageCount, frontPages);
      const front = await page.pdf({ ...FINAL_PDF_OPTIONS, outline: false, pageRanges: `1-${frontPages}` });
      // The splice changes only the front pages' drawing: destinations and page count stay as read.
      const spliced = spliceFrontMatter(whole, wholeObjects, front, frontPages);
      if (spliced) return { pdf: spliced, pageCount: read.pageCount, tocPages: pages, passes: 1 };
      // Fallback: the whole document again with the numbers written in, loaded afresh (the body was removed).
      await page.setContent(report.html, { waitUntil: 'load' });
      await fillTocNumbers(session, pages);
    }
    const pdf = await page.pdf(FINAL_PDF_OPTIONS);
    const check = readNamedDestinations(pdf);
    if (!samePages(locate(report.anchors, check.destinations), pages) || check.pageCount !== read.pageCount) {
      throw new Problem('internal', 'The table of contents page numbers moved when they were written in; check templates/report/styles.css (.toc-page must keep a fixed width).');
    }
    return { pdf, pageCount: check.pageCount, tocPages: pages, passes: 2 };
  });
}
