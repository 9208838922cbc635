/** Reads produced PDFs with poppler-utils, as a reader of the PDF would see them. */
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

async function toFile(pdf: Uint8Array): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ena-pdf-'));
  const file = join(dir, 'report.pdf');
  await writeFile(file, pdf);
  return file;
}

/**
 * The text of every page, index 0 = page 1: in reading (document) order by default, so side-by-side
 * columns come out one after the other; `layout` keeps the physical layout (columns interleave).
 */
export async function pageTexts(pdf: Uint8Array, options: { layout?: boolean } = {}): Promise<string[]> {
  const args = [...(options.layout ? ['-layout'] : []), '-enc', 'UTF-8', await toFile(pdf), '-'];
  const { stdout } = await run('pdftotext', args, { maxBuffer: 64 * 1024 * 1024 });
  const pages = stdout.split('\f');
  if (pages[pages.length - 1]?.trim() === '') pages.pop();
  return pages;
}

export const squash = (text: string): string => text.replace(/\s+/g, ' ').trim();

export interface Word {
  text: string;
  height: number;
  /** Top and bottom, in points from the top of the page. */
  yMin: number;
  yMax: number;
}

/** Every word of every page with its height in points (pdftotext -bbox): tells headings from body text. */
export async function pageWords(pdf: Uint8Array): Promise<Word[][]> {
  const { stdout } = await run('pdftotext', ['-bbox', '-enc', 'UTF-8', await toFile(pdf), '-'], { maxBuffer: 64 * 1024 * 1024 });
  const decode = (text: string): string => text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
  return stdout.split(/<page [^>]*>/).slice(1).map((page) =>
    [...page.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)]
      .map((match) => ({ text: decode(match[5] ?? ''), height: Number(match[4]) - Number(match[2]), yMin: Number(match[2]), yMax: Number(match[4]) })));
}

export async function pdfInfo(pdf: Uint8Array): Promise<Record<string, string>> {
  const { stdout } = await run('pdfinfo', ['-enc', 'UTF-8', await toFile(pdf)]);
  return Object.fromEntries(stdout.split('\n').filter((line) => line.includes(':')).map((line) => {
    const index = line.indexOf(':');
    return [line.slice(0, index).trim(), line.slice(index + 1).trim()];
  }));
}

/** Embedded font names (pdffonts). */
export async function pdfFonts(pdf: Uint8Array): Promise<string[]> {
  const { stdout } = await run('pdffonts', [await toFile(pdf)]);
  return stdout.split('\n').slice(2).filter(Boolean).map((line) => line.split(/\s+/)[0] ?? '');
}

/** The structure tree with the text tagged under each element (pdfinfo -struct-text): what a screen reader reads. */
export async function structureText(pdf: Uint8Array): Promise<string> {
  const { stdout } = await run('pdfinfo', ['-struct-text', await toFile(pdf)], { maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}
