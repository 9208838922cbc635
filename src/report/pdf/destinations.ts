/**
 * Reads, from a PDF that Chromium (Skia) wrote, the page each named destination lands on. Chromium
 * writes one named destination per in-document link target (`<a href="#anchor">`), listed in the
 * catalogue's /Dests dictionary as `/anchor [pageRef /XYZ x y z]`, and a plain (uncompressed) page
 * tree. That is all the TOC needs: which page every TOC anchor is on. Pure: bytes in, numbers out.
 */

export class PdfStructureError extends Error {
  constructor(message: string) {
    super(`Cannot read the page numbers from the rendered PDF: ${message}`);
    this.name = 'PdfStructureError';
  }
}

/** PDF name escapes (#xx) back to text. */
function decodeName(name: string): string {
  return name.replace(/#([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** Where one `n 0 obj … endobj` lies in the file's text, and its body without stream data. */
export interface PdfObjectSpan {
  /** Offset of the object number. */
  start: number;
  /** Offset just after `endobj`. */
  end: number;
  /** From after `obj` to `stream` (or `endobj`): the dictionary, without binary stream data. */
  body: string;
}

/** Object number → where it lies, for every `n 0 obj … endobj` (a later definition wins, as in an incremental update). */
export function indexObjectSpans(text: string): Map<number, PdfObjectSpan> {
  const objects = new Map<number, PdfObjectSpan>();
  const pattern = /(?:^|[\r\n])(\d+) 0 obj\b/g;
  // The first keyword after the dictionary: searching for each separately would scan from every
  // stream-less object to the next stream (in a tagged PDF, thousands of structure elements from the
  // end of the file: quadratic, ~0.15 s per report).
  const keyword = /stream|endobj/g;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(text)) !== null) {
    const start = match.index + match[0].length;
    keyword.lastIndex = start;
    const found = keyword.exec(text);
    if (!found) break;
    const bodyEnd = found.index;
    let end = bodyEnd;
    // Skip binary stream data, so nothing inside it is mistaken for PDF syntax.
    if (found[0] === 'stream') {
      const streamEnd = text.indexOf('endstream', bodyEnd + 6);
      end = streamEnd < 0 ? -1 : text.indexOf('endobj', streamEnd);
    }
    if (end < 0) break;
    const number = match[0].length - match[0].trimStart().length;
    objects.set(Number(match[1]), { start: match.index + number, end: end + 6, body: text.slice(start, bodyEnd) });
    pattern.lastIndex = end;
  }
  return objects;
}

export function pageOrder(objects: ReadonlyMap<number, string>, rootPages: number): Map<number, number> {
  const order = new Map<number, number>();
  const visit = (id: number, depth: number): void => {
    if (depth > 64) throw new PdfStructureError('the page tree is too deep');
    const body = objects.get(id);
    if (body === undefined) throw new PdfStructureError(`page tree object ${id} is missing`);
    if (/\/Type\s*\/Pages\b/.test(body)) {
      const kids = /\/Kids\s*\[([^\]]*)\]/.exec(body)?.[1] ?? '';
      for (const kid of kids.matchAll(/(\d+)\s+0\s+R/g)) visit(Number(kid[1]), depth + 1);
    } else {
      order.set(id, order.size + 1);
    }
  };
  visit(rootPages, 0);
  return order;
}

export interface PdfPages {
  pageCount: number;
  /** Destination name → 1-based page number. */
  destinations: Map<string, number>;
}

/** The catalogue's body and page object number → 1-based page number. */
export function catalogueAndPages(objects: ReadonlyMap<number, string>): { catalogue: string; pages: Map<number, number> } {
  let catalogue: string | undefined;
  for (const body of objects.values()) {
    if (/\/Type\s*\/Catalog\b/.test(body)) catalogue = body;
  }
  if (!catalogue) throw new PdfStructureError('no document catalogue');
  const pagesRef = /\/Pages\s+(\d+)\s+0\s+R/.exec(catalogue)?.[1];
  if (!pagesRef) throw new PdfStructureError('the catalogue has no page tree');
  return { catalogue, pages: pageOrder(objects, Number(pagesRef)) };
}

/** A PDF's objects, indexed once (the renderer reads destinations and splices from the same index). */
export interface PdfObjects {
  /** The file as Latin-1 text: one character per byte, so offsets are byte offsets. */
  text: string;
  spans: Map<number, PdfObjectSpan>;
  bodies: Map<number, string>;
  catalogue: string;
  /** Page object number → 1-based page number. */
  pages: Map<number, number>;
}

export function readPdfObjects(pdf: Uint8Array): PdfObjects {
  // Latin-1 keeps every byte as one character, so offsets and ASCII syntax survive binary streams.
  const text = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength).toString('latin1');
  const spans = indexObjectSpans(text);
  const bodies = new Map([...spans].map(([id, span]) => [id, span.body]));
  return { text, spans, bodies, ...catalogueAndPages(bodies) };
}

export function namedDestinations({ bodies, catalogue, pages }: PdfObjects): PdfPages {
  const destinations = new Map<string, number>();
  const destsRef = /\/Dests\s+(\d+)\s+0\s+R/.exec(catalogue)?.[1];
  if (destsRef) {
    const dests = bodies.get(Number(destsRef)) ?? '';
    for (const entry of dests.matchAll(/\/([^\s/[\]<>()]+)\s*\[\s*(\d+)\s+0\s+R/g)) {
      const page = pages.get(Number(entry[2]));
      if (page !== undefined) destinations.set(decodeName(entry[1] ?? ''), page);
    }
  }
  return { pageCount: pages.size, destinations };
}

export function readNamedDestinations(pdf: Uint8Array): PdfPages {
  return namedDestinations(readPdfObjects(pdf));
}
