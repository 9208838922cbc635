// Compiles ENA's sources (src/**/*.ts except tests) to JavaScript in dist/,
// one file per module, and builds the browser bundle. `npm start`, `npm test` and `npx ena` run it when
// a source is newer than the last build, so a fresh clone still needs only the README's two commands.
//
// Why: transpiling TypeScript at every start (tsx) cost ~2 s of `ena --help` on the module loader alone.
// dist/ sits beside src/ (one level below the project root), so paths that modules compute from
// import.meta.dirname to templates/, data/ and the project root resolve the same from either.
//
// Node built-ins only until a build is actually needed (then esbuild, which tsx depends on anyway).
import { existsSync, mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

export const ROOT = join(import.meta.dirname, '..');
export const SRC_DIR = join(ROOT, 'src');
export const DIST_DIR = join(ROOT, 'dist');
/** Written last by a build: its time is the time of the build. */
const STAMP = join(DIST_DIR, '.built');
/** Every .ts under src/ except tests (the server also imports pure modules of the browser client). */
function serverSources(dir = SRC_DIR, found = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      serverSources(path, found);
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && !entry.name.endsWith('.d.ts')) {
      found.push(path);
    }
  }
  return found;
}

function newestTs(dir, newest = 0) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = newestTs(path, newest);
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** True when dist/ is missing or older than a source. */
export function isStale() {
  if (!existsSync(STAMP)) return true;
  return newestTs(SRC_DIR) > statSync(STAMP).mtimeMs;
}

/** Compiles src/ → dist/ and builds the browser bundle. Each file is written to a temporary name and
 * renamed, so a process starting meanwhile never loads a half-written module. */
export async function build({ quiet = false } = {}) {
  const started = performance.now();
  const { build: esbuild } = await import('esbuild');
  const sources = serverSources();
  const result = await esbuild({
    entryPoints: sources,
    outbase: SRC_DIR,
    outdir: DIST_DIR,
    bundle: false,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked',
    write: false,
    logLevel: 'silent',
  });
  for (const file of result.outputFiles) {
    mkdirSync(dirname(file.path), { recursive: true });
    const temporary = `${file.path}.${process.pid}.tmp`;
    writeFileSync(temporary, file.contents);
    renameSync(temporary, file.path);
  }
  // The bundle build lives in one function (src/web/pages/assets.ts); run it from the code just compiled.
  const { buildClientBundle } = await import(pathToFileURL(join(DIST_DIR, 'web', 'pages', 'assets.js')).href);
  const bundle = await buildClientBundle();
  writeFileSync(STAMP, `${new Date().toISOString()}\n`);
  if (!quiet) {
    console.log(`[ena build] ${sources.length} modules → ${relative(ROOT, DIST_DIR)}/, browser bundle ${bundle.built ? 'built' : 'up to date'} (${Math.round(performance.now() - started)} ms)`);
  }
}

/** Builds when needed; what `npx ena` and the npm pre-scripts call. */
export async function ensureBuilt(options) {
  if (isStale()) await build(options);
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  await (process.argv.includes('--force') ? build() : ensureBuilt());
}
