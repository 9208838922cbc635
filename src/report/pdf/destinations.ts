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

/** Object number → object body for every `n 0 obj … endobj` in the file. */
function indexObjects(text: string): Map<number, string> {
  const objects = new Map<number, string>();
  const pattern = /(?:^|[\r\n])(\d+) 0 obj\b/g;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(text)) !== null) {
    const start = match.index + match[0].length;
    let end = text.indexOf('endobj', start);
    const stream = text.indexOf('stream', start);
    // Skip binary stream data, so nothing inside it is mistaken for PDF syntax.
    if (stream >= 0 && end >= 0 && stream < end) {
      const streamEnd = text.indexOf('endstream', stream + 6);
      end = streamEnd < 0 ? -1 : text.indexOf('endobj', streamEnd);
    }
    if (end < 0) break;
    objects.set(Number(match[1]), text.slice(start, stream >= 0 && stream < end ? stream : end));
    pattern.lastIndex = end;
  }
  return objects;
}

function pageOrder(objects: Map<number, string>, rootPages: number): Map<number, number> {
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

export function readNamedDestinations(pdf: Uint8Array): PdfPages {
  // Latin-1 keeps every byte as one character, so offsets and ASCII syntax survive binary streams.
  const text = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength).toString('latin1');
  const objects = indexObjects(text);
  let catalogue: string | undefined;
  for (const body of objects.values()) {
    if (/\/Type\s*\/Catalog\b/.test(body)) catalogue = body;
  }
  if (!catalogue) throw new PdfStructureError('no document catalogue');
  const pagesRef = /\/Pages\s+(\d+)\s+0\s+R/.exec(catalogue)?.[1];
  if (!pagesRef) throw new PdfStructureError('the catalogue has no page tree');
  const pages = pageOrder(objects, Number(pagesRef));

  const destinations = new Map<string, number>();
  const destsRef = /\/Dests\s+(\d+)\s+0\s+R/.exec(catalogue)?.[1];
  if (destsRef) {
    const dests = objects.get(Number(destsRef)) ?? '';
    for (const entry of dests.matchAll(/\/([^\s/[\]<>()]+)\s*\[\s*(\d+)\s+0\s+R/g)) {
      const page = pages.get(Number(entry[2]));
      if (page !== undefined) destinations.set(decodeName(entry[1] ?? ''), page);
    }
  }
  return { pageCount: pages.size, destinations };
}
