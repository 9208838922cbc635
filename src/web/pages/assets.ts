/**
 * Static files of the web pages (src/web/public: CSS, the built bundle) and the bundle build itself.
 *
 * The browser bundle is built with esbuild by the build step (scripts/build.mjs, run by `npm start`,
 * `npm test` and `npx ena` when a source changed). startServer calls it again, which only compares file
 * times (a few milliseconds) unless the bundle is missing or stale — e.g. tests run straight from src/
 * by vitest after a client file was edited. It is skipped when the output is newer than every source file. Output goes to src/web/public/build/ (gitignored), written to a
 * temporary file and renamed, so two servers starting at once never serve a half-written file.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join, normalize } from 'node:path';
import type { BuildOptions } from 'esbuild';
import express, { type RequestHandler } from 'express';
import { Problem } from '../../shared/problem.js';
import { SOURCE_DIR } from '../../shared/projectPaths.js';

// From src/ also when the compiled dist/ runs: CSS and browser sources are not compiled into dist/.
export const PUBLIC_DIR = join(SOURCE_DIR, 'web', 'public');
export const BUNDLE_DIR = join(PUBLIC_DIR, 'build');
const SRC_DIR = SOURCE_DIR;
const CLIENT_DIR = join(SOURCE_DIR, 'web', 'client');
export const BUNDLE_FILE = join(BUNDLE_DIR, 'main.js');
export const SERVICE_WORKER_FILE = join(BUNDLE_DIR, 'sw.js');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (path !== BUNDLE_DIR) newest = Math.max(newest, newestSource(path));
    } else if (entry.name.endsWith('.ts')) {
      newest = Math.max(newest, statSync(path).mtimeMs);
    }
  }
  return newest;
}

export interface BundleResult {
  built: boolean;
  bytes: number;
  file: string;
}

export async function buildClientBundle(options: { force?: boolean } = {}): Promise<BundleResult> {
  const built = [BUNDLE_FILE, SERVICE_WORKER_FILE].every((file) => existsSync(file));
  if (!options.force && built && Math.min(statSync(BUNDLE_FILE).mtimeMs, statSync(SERVICE_WORKER_FILE).mtimeMs) >= newestSource(SRC_DIR)) {
    return { built: false, bytes: statSync(BUNDLE_FILE).size, file: BUNDLE_FILE };
  }
  let build: typeof import('esbuild').build;
  try {
    ({ build } = await import('esbuild'));
  } catch (error) {
    // esbuild is a development dependency: an install without it serves the bundle already built.
    if (built) return { built: false, bytes: statSync(BUNDLE_FILE).size, file: BUNDLE_FILE };
    throw new Problem('internal', `The browser bundle ${BUNDLE_FILE} is missing and esbuild is not installed to build it (${String(error)}). Run npm install (with development dependencies) once, then start ENA again.`);
  }
  const common: BuildOptions = { bundle: true, platform: 'browser', target: ['es2022', 'chrome100', 'firefox100', 'safari15'], minify: true, sourcemap: 'linked', write: false, logLevel: 'silent' };
  // The page bundle is an ES module; the service worker a classic script (what register() expects).
  const results = await Promise.all([
    build({ ...common, entryPoints: [join(CLIENT_DIR, 'main.ts')], format: 'esm', outfile: BUNDLE_FILE }),
    build({ ...common, entryPoints: [join(CLIENT_DIR, 'sw.ts')], format: 'iife', outfile: SERVICE_WORKER_FILE }),
  ]);
  mkdirSync(BUNDLE_DIR, { recursive: true });
  let bytes = 0;
  for (const file of results.flatMap((result) => result.outputFiles ?? [])) {
    const temporary = `${file.path}.${process.pid}.tmp`;
    writeFileSync(temporary, file.contents);
    renameSync(temporary, file.path);
    if (file.path === BUNDLE_FILE) bytes = file.contents.length;
  }
  return { built: true, bytes, file: BUNDLE_FILE };
}

/** /sw.js at the root, so that the worker's scope covers the fill-in pages. */
export const serviceWorkerScript: RequestHandler = (_req, res) => {
  res.set({ 'Cache-Control': 'no-cache', 'Content-Type': 'text/javascript; charset=utf-8' }).sendFile(SERVICE_WORKER_FILE);
};

/**
 * /static/v/<hash>/<file>: the address of a static file carries a hash of its content, so a browser may keep it
 * for a year without asking (`immutable`); a changed file gets a new address. /static/<file> (no hash) and an
 * address whose hash is no longer current are revalidated on every use (ETag) instead.
 */
export function staticAssets(): RequestHandler {
  const revalidated = express.static(PUBLIC_DIR, { index: false, fallthrough: true, etag: true, lastModified: true, maxAge: 0, setHeaders: (res) => res.setHeader('Cache-Control', 'no-cache') });
  const immutable = express.static(PUBLIC_DIR, { index: false, fallthrough: true, etag: true, lastModified: false, setHeaders: (res) => res.setHeader('Cache-Control', 'public, max-age=31536000, immutable') });
  return (req, res, next) => {
    const hashed = /^\/v\/([0-9a-f]{12})(\/.+)$/.exec(req.path);
    if (!hashed) return revalidated(req, res, next);
    const [, hash, file] = hashed as unknown as [string, string, string];
    req.url = file;
    return (contentHash(file) === hash ? immutable : revalidated)(req, res, next);
  };
}

const hashes = new Map<string, { mtimeMs: number; hash: string }>();

/** The first 12 hex digits of the SHA-256 of a file under src/web/public, or '' when there is no such file. */
function contentHash(file: string): string {
  const path = join(PUBLIC_DIR, normalize(file).replace(/^([/\\])+/, ''));
  if (!path.startsWith(PUBLIC_DIR) || !existsSync(path)) return '';
  const { mtimeMs } = statSync(path);
  const known = hashes.get(path);
  if (known?.mtimeMs === mtimeMs) return known.hash;
  const hash = createHash('sha256').update(readFileSync(path)).digest('hex').slice(0, 12);
  hashes.set(path, { mtimeMs, hash });
  return hash;
}

/** The address of a static file under its content hash (templates: `{{asset "ena.css"}}`). */
export function assetUrl(file: string): string {
  const hash = contentHash(file);
  return hash ? `/static/v/${hash}/${file}` : `/static/${file}`;
}
