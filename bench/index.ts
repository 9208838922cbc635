/**
 * `npm run bench`: every benchmark, one after the other (`npm run bench -- <name>` runs one). They print
 * figures and assert nothing. A figure counts only on a quiet machine: each benchmark prints the load
 * average at its start (below ~1.5 on 2 cores). BENCH_QUICK=1 shortens every benchmark (fewer runs and
 * seconds) for a smoke run; the figures are then rougher.
 */
import { loadavg } from 'node:os';
import { runAutosaveBenchmark } from './autosave.js';
import { runPagesBenchmark } from './pages.js';
import { runReportBenchmark } from './report.js';
import { runStartupBenchmark } from './startup.js';

const benchmarks: [string, () => Promise<void>][] = [
  ['startup', runStartupBenchmark],
  ['autosave', runAutosaveBenchmark],
  ['pages', runPagesBenchmark],
  ['report', runReportBenchmark],
];

const only = process.argv[2];
if (only && !benchmarks.some(([name]) => name === only)) {
  console.error(`No benchmark "${only}": choose one of ${benchmarks.map(([name]) => name).join(', ')}.`);
  process.exit(1);
}
for (const [name, run] of benchmarks) {
  if (only && only !== name) continue;
  console.log(`\n=== ${name} === load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  await run();
}
