import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadQuestionnaires, type LoadResult } from '../../src/questionnaire/load.js';

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'catalogue');
export const SAMPLE = 'preservation-demo.yaml';

/** A copy of the fixture folder with one file rewritten by `edit`, loaded like `ena validate` does. */
export async function loadEdited(file: string, edit: (text: string) => string): Promise<{ result: LoadResult; text: string; dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'ena-q-'));
  await cp(FIXTURES, dir, { recursive: true });
  const text = edit(await readFile(join(dir, file), 'utf8'));
  await writeFile(join(dir, file), text);
  return { result: await loadQuestionnaires([dir]), text, dir };
}

/** 1-based line of the first line containing `needle` (and after `after`, when given). */
export function lineOf(text: string, needle: string, after?: string): number {
  const lines = text.split('\n');
  const start = after ? lines.findIndex((line) => line.includes(after)) : 0;
  const index = lines.findIndex((line, i) => i >= start && line.includes(needle));
  if (index < 0) throw new Error(`fixture has no line with ${needle}`);
  return index + 1;
}

export function replaceOnce(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`fixture does not contain ${from}`);
  return text.replace(from, to);
}
