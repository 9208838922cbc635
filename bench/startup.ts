/**
 * Start-up benchmark (prints figures, asserts nothing): wall time of
 *  - `ena --help`                         target ≤ 0.3 s
 *  - `ena validate` (the real questionnaires) target ≤ 1 s
 *  - `npm start` until "listening", database present (the npm prestart setup check included), target ≤ 1.5 s
 * each as a fresh process, median of BENCH_STARTUP_RUNS (default 5), after one untimed run that brings
 * dist/ up to date.
 *
 * Where the time went (CPU profiles, `node --cpu-prof bin/ena.js …`, before issue 13):
 *  - `--help` took 2.4–2.9 s: the module loader with tsx's hooks (TypeScript transpiled off-thread at
 *    every start, ~55 % "node core" + tsx), and every subcommand's dependencies were imported up front —
 *    Puppeteer, exceljs (with bluebird, lazystream…), Express, zod, yaml, Kysely, Handlebars, i18next.
 *    Now: compiled JavaScript from dist/ (scripts/build.mjs, rebuilt when a source is newer) and each
 *    command loads its dependencies inside its action; exceljs and Puppeteer load on first use even in
 *    the server. `--help` loads commander and the command definitions only.
 *  - `validate` took 4.8 s: besides loading, 60 % of its CPU was the glossary check (one Unicode
 *    case-insensitive regex per avoided variant per Russian text); a substring pre-test on lower-cased
 *    text removed nearly all of it. What remains is the yaml package parsing 630 KB with line counting
 *    (~40 % of the profile) and zod (~6 %).
 *  - `npm start` took 6.5 s: tsx loading, the bundle build check, yaml + zod of the questionnaires; now
 *    the parse of the questionnaires (~27 %), module loading and GC dominate.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const ROOT = join(import.meta.dirname, '..');
const RUNS = Number(process.env.BENCH_STARTUP_RUNS ?? (process.env.BENCH_QUICK ? 2 : 5));
const run = promisify(execFile);

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};

async function timedCommand(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const started = performance.now();
  await run(command, args, { cwd: ROOT, env, maxBuffer: 16 * 1024 * 1024 });
  return performance.now() - started;
}

/** Seconds from spawning `npm start` until it prints that ENA is listening; then stops it. */
function timedStart(env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    // detached: npm, sh and node form one process group, stopped together below.
    const child = spawn('npm', ['start', '--silent'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (/listening on/.test(output)) {
        const elapsed = performance.now() - started;
        child.stdout.off('data', onData);
        child.once('exit', () => resolve(elapsed));
        process.kill(-(child.pid ?? 0), 'SIGTERM');
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    child.once('exit', (code) => {
      if (!/listening on/.test(output)) reject(new Error(`npm start exited with ${code} before listening:\n${output}`));
    });
  });
}

async function series(label: string, target: string, once: () => Promise<number>): Promise<void> {
  await once(); // untimed: dist/ up to date, files in the page cache
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) times.push(await once());
  const fmt = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
  console.log(`  ${label.padEnd(44)} median ${fmt(median(times))}   (min ${fmt(Math.min(...times))}, max ${fmt(Math.max(...times))})   target ${target}`);
}

export async function runStartupBenchmark(): Promise<void> {
  console.log(`Start-up — fresh processes, median of ${RUNS}; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  const ena = join(ROOT, 'bin', 'ena.js');
  await series('ena --help', '≤ 0.3 s', () => timedCommand(process.execPath, [ena, '--help']));
  await series('ena validate (questionnaires/)', '≤ 1 s', () => timedCommand(process.execPath, [ena, 'validate']));
  const dir = await mkdtemp(join(tmpdir(), 'ena-bench-start-'));
  try {
    const env = { ...process.env, ENA_DB: join(dir, 'ena.sqlite'), PORT: '0', ENA_LOG_LEVEL: 'warn' };
    // The first start creates the database and loads the demo data; the timed ones find it present.
    await series('npm start until listening (database present)', '≤ 1.5 s', () => timedStart(env));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === import.meta.filename) await runStartupBenchmark();
