/**
 * Reads one YAML file and checks it against a zod schema, turning every problem (syntax, zod issue,
 * cross-check) into a ValidationIssue that names file, line, column and path.
 */
import { readFile, stat } from 'node:fs/promises';
import { relative } from 'node:path';
import { LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { cachedValue, storeValue } from './parseCache.js';
import { formatPath, positionOf, type DocPath } from './sourcePositions.js';

export interface ValidationIssue {
  file: string;
  line: number;
  column: number;
  path: string;
  message: string;
}

export function formatIssue(issue: ValidationIssue): string {
  return `${issue.file}:${issue.line}:${issue.column}  ${issue.path}: ${issue.message}`;
}

/** A problem found after parsing, located by its path inside the document. */
export interface PathIssue {
  path: DocPath;
  message: string;
  /** Point at the key rather than its value (unknown keys, duplicate ids). */
  atKey?: boolean;
}

export interface YamlSource {
  file: string;
  doc: Document;
  lines: LineCounter;
}

export function displayName(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel.startsWith('..') ? file : rel;
}

export function locate(source: YamlSource, issues: readonly PathIssue[]): ValidationIssue[] {
  return issues.map((issue) => {
    const { line, column } = positionOf(source.doc, source.lines, issue.path, issue.atKey);
    return { file: displayName(source.file), line, column, path: formatPath(issue.path), message: issue.message };
  });
}

const languageNames: Record<string, string> = { en: 'English', ru: 'Russian' };
/** How an author reads a YAML value's kind (`version: "one"` is text, not a "string"). */
const kindNames: Partial<Record<string, string>> = { string: 'text', number: 'a number', boolean: 'true or false', object: 'a mapping (key: value)' };

function describeZodIssue(issue: z.core.$ZodIssue): PathIssue[] {
  const path = issue.path as PropertyKey[];
  const last = path[path.length - 1];
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({
      path: [...path, key],
      atKey: true,
      message: /[\s.,;:]/.test(key)
        ? `"${key}" looks like text cut off at a comma inside { … }: put the whole text in quotes, e.g. ru: "БК, ст. 16"`
        : `"${key}" is not a field here: check its spelling against docs/QUESTIONNAIRES.md, or remove it`,
    }));
  }
  if (issue.code === 'invalid_type' && issue.input === undefined) {
    const language = typeof last === 'string' ? languageNames[last] : undefined;
    const hint = language ? `add the ${language} text` : `add "${String(last)}"`;
    return [{ path, message: `is missing: ${hint}` }];
  }
  if (issue.code === 'invalid_type') {
    const got = Array.isArray(issue.input) ? 'a list' : issue.input === null ? 'empty' : kindNames[typeof issue.input] ?? typeof issue.input;
    return [{ path, message: `must be ${issue.expected === 'array' ? 'a list' : issue.expected === 'object' ? 'a mapping (key: value)' : `a ${issue.expected}`}, but is ${got}` }];
  }
  return [{ path, message: issue.message }];
}

export type ParsedYaml<T> =
  | { ok: true; source: YamlSource; value: T }
  | { ok: false; source: YamlSource | undefined; issues: ValidationIssue[] };

/** The largest questionnaire is about 125 kB; a file 40 times that is not a questionnaire someone wrote. */
export const MAX_YAML_BYTES = 5_000_000;
/**
 * Aliases (*name) may refer to anchors (&name) at most this often in one file. ENA's files use none; a
 * "billion laughs" file nests anchors so that a few lines expand to gigabytes when read.
 */
export const MAX_YAML_ALIASES = 100;

export async function readYaml<S extends z.ZodType>(file: string, schema: S): Promise<ParsedYaml<z.infer<S>>> {
  let text: string;
  const fileIssue = (path: string, message: string): ParsedYaml<z.infer<S>> => ({ ok: false, source: undefined, issues: [{ file: displayName(file), line: 1, column: 1, path, message }] });
  try {
    const size = (await stat(file)).size;
    if (size > MAX_YAML_BYTES) return fileIssue('(file)', `is ${(size / 1e6).toFixed(1)} MB; ENA reads YAML files of at most ${MAX_YAML_BYTES / 1e6} MB: split it, or check that it is the right file`);
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : String(error);
    return fileIssue('(file)', `cannot be read (${reason})`);
  }
  const cached = cachedValue(file, text);
  // Parsed only if a cross-check finds something to locate (see parseCache.ts).
  if (cached !== undefined) return { ok: true, source: lazySource(file, text), value: cached as z.infer<S> };
  const { doc, lines } = parseYaml(text);
  const source: YamlSource = { file, doc, lines };
  if (doc.errors.length > 0) {
    return {
      ok: false,
      source,
      issues: doc.errors.map((error) => {
        const { line, col } = lines.linePos(error.pos[0]);
        return { file: displayName(file), line, column: col, path: '(syntax)', message: `YAML syntax error: ${error.message.split('\n')[0]}` };
      }),
    };
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
  } catch (error) {
    // yaml refuses an alias that expands too much ("resource exhaustion") with a ReferenceError.
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return { ok: false, source, issues: [{ file: displayName(file), line: 1, column: 1, path: '(aliases)', message: `its aliases (*name) expand too much (${message}); at most ${MAX_YAML_ALIASES} alias expansions are allowed: write the content out instead of repeating anchors` }] };
  }
  // zod leaves `input` out of its issues unless asked, and describeZodIssue needs it to tell a missing
  // field from one of the wrong type (`version: "one"` is not "missing").
  const result = schema.safeParse(value, { reportInput: true });
  if (!result.success) {
    return { ok: false, source, issues: locate(source, result.error.issues.flatMap(describeZodIssue)) };
  }
  storeValue(file, text, result.data);
  return { ok: true, source, value: result.data };
}

function parseYaml(text: string): { doc: Document; lines: LineCounter } {
  const lines = new LineCounter();
  return { doc: parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true }), lines };
}

/** A source whose YAML is parsed on first use. */
function lazySource(file: string, text: string): YamlSource {
  let parsed: { doc: Document; lines: LineCounter } | undefined;
  const load = (): { doc: Document; lines: LineCounter } => (parsed ??= parseYaml(text));
  return { file, get doc() { return load().doc; }, get lines() { return load().lines; } };
}
