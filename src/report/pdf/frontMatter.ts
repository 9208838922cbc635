/**
 * Puts the finished front matter (cover and TOC, with page numbers) into the printed report without
 * printing the body twice.
 *
 * The report is printed once, whole, with a one-digit placeholder in every TOC page box (boxes have a
 * fixed width, so the placeholder lays out exactly as the number that replaces it). That print already
 * holds all that belongs to the document as a whole: running page numbers, the outline, named
 * destinations, the TOC's links, the structure tree (tagging) and /Lang. Then only the front pages are
 * printed again with the numbers written in, and their drawing (/Contents, /Resources and what those
 * refer to: fonts, images) replaces the drawing of the same pages in the whole print. The page objects
 * themselves stay, so all that points at them (the structure tree's /Pg, outline, destinations,
 * /StructParents, link annotations) stays right.
 *
 * The change is appended as a PDF incremental update (ISO 32000-1 §7.5.6: new and changed objects, a
 * cross-reference section and a trailer with /Prev after the original bytes), so nothing of the whole
 * print is parsed or rewritten. pdf-lib can do the same swap, but loading and saving a 70-page report
 * with its embedded fonts took it ~1 s (CPU profile, issue 13) — a third of the print it saves — and a
 * copy into a new document would drop the structure tree and the outline.
 *
 * Tagging ties marked content in a page's drawing (MCID n) to structure elements through that page's
 * /StructParents entry. A placeholder and a number are both one text run, so both prints number their
 * marked content alike; every swapped page's MCIDs are compared, and on any difference (or a PDF
 * shaped unlike Chromium's) the splice is refused: the caller then prints the whole document again.
 */
import { inflateSync } from 'node:zlib';
import { readPdfObjects, type PdfObjects, type PdfObjectSpan } from './destinations.js';

interface ParsedPdf extends PdfObjects {
  /** Page object numbers in page order. */
  pageIds: number[];
}

function withPageIds(objects: PdfObjects): ParsedPdf {
  return { ...objects, pageIds: [...objects.pages].sort((a, b) => a[1] - b[1]).map(([id]) => id) };
}

/** The value of `/key` in a dictionary body: a reference, a name, a number, an array or a dictionary. */
function dictValue(body: string, key: string): { start: number; end: number; text: string } | undefined {
  const found = new RegExp(`/${key}(?![\\w.#-])\\s*`).exec(body);
  if (!found) return undefined;
  const start = found.index + found[0].length;
  const reference = /^\d+\s+\d+\s+R/.exec(body.slice(start));
  if (reference) return { start, end: start + reference[0].length, text: reference[0] };
  if (body.startsWith('<<', start) || body.startsWith('[', start)) {
    let depth = 0;
    for (let i = start; i < body.length; i++) {
      if (body.startsWith('<<', i) || body[i] === '[') depth += 1;
      else if (body.startsWith('>>', i) || body[i] === ']') depth -= 1;
      if (body.startsWith('<<', i) || body.startsWith('>>', i)) i += 1;
      if (depth === 0) return { start, end: i + 1, text: body.slice(start, i + 1) };
    }
    return undefined;
  }
  // A name (/FlateDecode) or a number.
  const token = /^\/?[^\s/<>[\]()]*/.exec(body.slice(start))?.[0] ?? '';
  return { start, end: start + token.length, text: token };
}

const REFERENCE = /(?<![\w.])(\d+) 0 R\b/g;

/** The decoded drawing of a page (its content streams joined), for reading its MCIDs. */
function drawing(pdf: ParsedPdf, pageId: number): string | undefined {
  const contents = dictValue(pdf.spans.get(pageId)?.body ?? '', 'Contents')?.text ?? '';
  let text = '';
  for (const [, id] of contents.matchAll(REFERENCE)) {
    const span = pdf.spans.get(Number(id));
    if (!span) return undefined;
    const raw = pdf.text.slice(span.start, span.end);
    const data = streamData(raw, span.body);
    if (data === undefined) return undefined;
    const filter = dictValue(span.body, 'Filter')?.text;
    if (filter !== undefined && filter !== '/FlateDecode') return undefined;
    try {
      text += filter === undefined ? data.toString('latin1') : inflateSync(data).toString('latin1');
    } catch {
      return undefined;
    }
  }
  return text;
}

/**
 * A stream object's bytes: /Length of them after `stream` and its end-of-line. Without a direct /Length,
 * up to `endstream` less the one end-of-line marker before it (ISO 32000-1 §7.3.8.1): never a pattern
 * that could eat the data's own last byte (compressed data may end in \r).
 */
function streamData(raw: string, dictionary: string): Buffer | undefined {
  const begin = /stream\r?\n/.exec(raw);
  const finish = raw.lastIndexOf('endstream');
  if (!begin || finish < 0) return undefined;
  const start = begin.index + begin[0].length;
  const length = Number(dictValue(dictionary, 'Length')?.text);
  if (Number.isInteger(length) && start + length <= finish) return Buffer.from(raw.slice(start, start + length), 'latin1');
  const eol = raw.startsWith('\r\n', finish - 2) ? 2 : /[\r\n]/.test(raw[finish - 1] ?? '') ? 1 : 0;
  const end = finish - eol;
  return Buffer.from(raw.slice(start, end), 'latin1');
}

const mcids = (drawn: string): string => [...drawn.matchAll(/\/MCID\s+(\d+)/g)].map((match) => match[1]).join(',');

/**
 * The whole print (`wholePdf`, indexed as `wholeObjects`) with its first `expectedPages` pages drawn
 * as in `frontPdf`, appended as an incremental update; undefined when that cannot be done faithfully
 * (the caller prints again).
 */
export function spliceFrontMatter(wholePdf: Uint8Array, wholeObjects: PdfObjects, frontPdf: Uint8Array, expectedPages: number): Uint8Array | undefined {
  const whole = withPageIds(wholeObjects);
  const front = withPageIds(readPdfObjects(frontPdf));
  if (front.pageIds.length !== expectedPages || expectedPages > whole.pageIds.length) return undefined;
  // A classic cross-reference table and trailer, as Chromium writes them.
  const trailer = /trailer\s*<<([\s\S]*?)>>\s*startxref\s+(\d+)\s+%%EOF\s*$/.exec(whole.text.slice(-4096));
  const size = Number(/\/Size\s+(\d+)/.exec(trailer?.[1] ?? '')?.[1]);
  if (!trailer || !Number.isInteger(size)) return undefined;

  // Front objects the swapped drawing needs, numbered after the whole print's objects.
  const renumbered = new Map<number, number>();
  const pending: number[] = [];
  const need = (text: string): void => {
    for (const [, id] of text.matchAll(REFERENCE)) {
      if (!renumbered.has(Number(id))) {
        renumbered.set(Number(id), size + renumbered.size);
        pending.push(Number(id));
      }
    }
  };
  const swaps: { pageId: number; contents: string; resources: string }[] = [];
  for (let i = 0; i < expectedPages; i++) {
    const [pageId, frontId] = [whole.pageIds[i] as number, front.pageIds[i] as number];
    const [before, after] = [drawing(whole, pageId), drawing(front, frontId)];
    if (before === undefined || after === undefined || mcids(before) !== mcids(after)) return undefined;
    const frontPage = front.spans.get(frontId)?.body ?? '';
    const contents = dictValue(frontPage, 'Contents')?.text;
    const resources = dictValue(frontPage, 'Resources')?.text;
    if (!contents || !resources) return undefined;
    need(contents);
    need(resources);
    swaps.push({ pageId, contents, resources });
  }
  for (let next = pending.shift(); next !== undefined; next = pending.shift()) {
    const span = front.spans.get(next);
    if (!span) return undefined;
    need(span.body);
  }
  const renumber = (text: string): string => text.replace(REFERENCE, (_, id: string) => `${renumbered.get(Number(id)) ?? id} 0 R`);

  // The update: copied objects (dictionary renumbered, stream bytes as they are), then the changed pages.
  const parts: string[] = [];
  const offsets = new Map<number, number>();
  let length = wholePdf.byteLength;
  const emit = (id: number, text: string): void => {
    offsets.set(id, length);
    parts.push(text);
    length += text.length;
  };
  if (!whole.text.endsWith('\n')) { parts.push('\n'); length += 1; }
  for (const [frontId, id] of renumbered) {
    const span = front.spans.get(frontId) as PdfObjectSpan;
    const raw = front.text.slice(span.start, span.end);
    // `n 0 obj`, the dictionary (span.body), then `stream … endstream endobj` or `endobj`.
    const rest = raw.slice(raw.indexOf('obj') + 3 + span.body.length);
    if (!/^(stream|endobj)/.test(rest)) return undefined;
    emit(id, `${id} 0 obj${renumber(span.body)}${rest}\n`);
  }
  for (const swap of swaps) {
    let body = whole.spans.get(swap.pageId)?.body ?? '';
    for (const [key, value] of [['Resources', renumber(swap.resources)], ['Contents', renumber(swap.contents)]] as const) {
      const old = dictValue(body, key);
      if (!old) return undefined;
      body = `${body.slice(0, old.start)}${value}${body.slice(old.end)}`;
    }
    emit(swap.pageId, `${swap.pageId} 0 obj${body}endobj\n`);
  }
  const xrefAt = length;
  const rows = [...offsets].sort((a, b) => a[0] - b[0]).map(([id, offset]) => `${id} 1\n${String(offset).padStart(10, '0')} 00000 n \n`);
  const newSize = size + renumbered.size;
  const kept = (trailer[1] ?? '').replace(/\/Size\s+\d+/, '').replace(/\/Prev\s+\d+/, '');
  parts.push(`xref\n0 1\n0000000000 65535 f \n${rows.join('')}trailer\n<< /Size ${newSize} /Prev ${trailer[2]} ${kept.trim()} >>\nstartxref\n${xrefAt}\n%%EOF\n`);
  return Buffer.concat([Buffer.from(wholePdf.buffer, wholePdf.byteOffset, wholePdf.byteLength), Buffer.from(parts.join(''), 'latin1')]);
}
