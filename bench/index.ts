/** `npm run bench`: every benchmark, one after the other. They print figures and assert nothing. */
import { runAutosaveBenchmark } from './autosave.js';
import { runPagesBenchmark } from './pages.js';
import { runReportBenchmark } from './report.js';

const benchmarks: [string, () => Promise<void>][] = [
  ['autosave', runAutosaveBenchmark],
  ['pages', runPagesBenchmark],
  ['report', runReportBenchmark],
];

const only = process.argv[2];
for (const [name, run] of benchmarks) {
  if (only && only !== name) continue;
  console.log(`\n=== ${name} ===`);
  await run();
}
