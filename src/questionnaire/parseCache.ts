/**
 * A cache of YAML files that parsed and passed their schema, for the compiled program only (dist/):
 * parsing ~630 KB of questionnaires with the yaml package and checking them with zod was a third of
 * `npm start` and most of `ena validate` (CPU profiles, bench/startup.ts). An entry holds the checked
 * value as JSON and is used only for the same file, the same bytes (SHA-256) and the same build of ENA
 * (the schema is code: every rebuild starts a fresh cache), so a hit returns exactly what parsing would.
 * Files with problems are never cached; cross-checks against the catalogue always run.
 * Entries live in dist/.cache/yaml/, one per file path; a failure to read or write one is ignored.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../shared/projectPaths.js';

const DIST = join(PROJECT_ROOT, 'dist');
const CACHE_DIR = join(DIST, '.cache', 'yaml');

let buildId: string | null | undefined;

/** The build this code came from, or null when it runs from src/ (tests, benchmarks): no cache then. */
function currentBuild(): string | null {
  if (buildId === undefined) {
    try {
      buildId = import.meta.dirname.startsWith(DIST) ? readFileSync(join(DIST, '.built'), 'utf8').trim() : null;
    } catch {
      buildId = null;
    }
  }
  return buildId;
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
const entryFile = (file: string): string => join(CACHE_DIR, `${sha256(file).slice(0, 32)}.json`);

interface Entry {
  key: string;
  value: unknown;
}

function keyOf(file: string, text: string): string | undefined {
  const build = currentBuild();
  return build === null ? undefined : sha256(`${build}\n${file}\n${text}`);
}

/** The value stored for these exact bytes of `file` by this build, if any. */
export function cachedValue(file: string, text: string): unknown {
  const key = keyOf(file, text);
  if (key === undefined) return undefined;
  try {
    const entry = JSON.parse(readFileSync(entryFile(file), 'utf8')) as Entry;
    return entry.key === key ? entry.value : undefined;
  } catch {
    return undefined;
  }
}

/** Remembers a value that parsed and passed its schema. */
export function storeValue(file: string, text: string, value: unknown): void {
  const key = keyOf(file, text);
  if (key === undefined) return;
  try {
    mkdirSync(CACHE_DIR, { recursive: true });
    const target = entryFile(file);
    const temporary = `${target}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify({ key, value } satisfies Entry));
    renameSync(temporary, target);
  } catch {
    // A read-only installation simply parses every time.
  }
}
