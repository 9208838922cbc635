/**
 * Report benchmark (prints figures, asserts nothing). On a fresh SQLite file with the real
 * questionnaires and the five demo missions:
 *  1. warm country report KZ (en), DB → score → HTML → PDF with TOC: median time, against
 *     (a) one page.pdf of the same final HTML in the same pool (the floor)      target ENA / floor ≤ 1.2×
 *     (b) `chromium --headless --print-to-pdf` of the same HTML as a fresh process  target (b) / ENA ≥ 2×
 *     (c) WeasyPrint on the same HTML when it is installed (apt install weasyprint) target (c) / ENA ≥ 8×
 *  2. five countries × three languages as one batch: total time, then (a second run) peak memory
 *     (node RSS + Chromium PSS, read from /proc)                                 target ≤ 25 s, ≤ 1.2 GB
 *  3. memory of node and Chromium over consecutive renders (BENCH_REPORT_RENDERS, default 120) of a
 *     one-area country report.
 * BENCH_REPORT_REPEATS (default 9) sets the repeats of 1; BENCH_QUICK=1 shortens everything.
 *
 * Where the time went (CPU profiles of node and Chromium tracing of the render, issue 13, before):
 *  - The two-pass TOC: a layout pass (a lean page.pdf with only the headings painted) then the final
 *    print: the layout pass cost ~0.68 of a full print (the pagination and the PDF writer's per-page
 *    work do not shrink with visibility:hidden), hence ENA / floor = 1.68×.
 *    Now one print of the whole document (TOC boxes hold a placeholder digit of the same width), its
 *    destinations give the numbers; the numbers are written in through the DevTools DOM domain, the body
 *    is replaced by empty pages (so "page X of Y" stays right) and only the cover and TOC are printed
 *    again (~5 % of a full print); src/report/pdf/frontMatter.ts swaps their drawing into the whole print
 *    as a PDF incremental update (page objects, outline, destinations, links, structure tree kept;
 *    marked-content ids checked page by page). pdf-lib did the same swap correctly but its load + save
 *    of a 2 MB, 8,800-object tagged PDF took ~1 s of node CPU per report, a third of the print it saved.
 *  - Node's share of a warm report is small (model ~50–100 ms, HTML ~150 ms of which Handlebars and the
 *    base64 font CSS dominate); Chromium's print is the bulk.
 *
 * Where Chromium's time went on the real report HTML (issue 13, second round; KZ en, 75 pages, 6,800
 * elements, 11,700 layout objects; Chromium 156). Variants side by side in one browser, Chromium CPU of
 * setContent + page.pdf from /proc (utime+stime of its process tree), median of 3–5, load 1.4–3.0:
 *  - Layout, not fonts or tagging, was the bulk: a Chromium trace showed SIX full layouts of the whole
 *    document per print, 100–330 ms each: two for the screen while loading (one with fallback fonts, one
 *    again when the data: URL fonts arrived), then two inside printing (page size, then the print) and a
 *    layout back to the screen afterwards (plus one more when a face first used in print arrived late).
 *    The PDF's HTML now lays out for print only: `printOnly` in src/report/html.ts gives the body a class
 *    under which the screen shows nothing but one letter of each of the 20 font faces
 *    (templates/report/styles.css "PDF rendering", reportFontSamples in src/report/fonts.ts), so every face
 *    is decoded before the load event and printing meets no late face. Two full layouts remain, both
 *    inside printing (print-media emulation, a viewport of the page width, preferCSSPageSize off with
 *    format A4: none removed one). Chromium CPU 1.73–1.91 s → 0.92–0.99 s, pdftotext output identical,
 *    pages 1, 2, 10, 60 pixel-identical (pdftoppm), same fonts embedded (pdffonts).
 *  - Fonts: without the 20 faces (system fonts) Chromium CPU was ~2.2 → ~1.1 s, but that was mostly the
 *    second screen layout the late web fonts caused. With the layout fixed, the faces cost nothing
 *    measurable: 8 faces (sans normal only) = 20 faces; one face per style holding all ranges 1.76 s vs
 *    1.95 s (noise level); glyph-subset faces holding only the 158 characters the KZ reports use (fontTools
 *    one-off, 13–17 KB each) 2.00 s vs 1.95 s. No subsetter is in node_modules and none would pay: faces
 *    kept as they are. (Faces without OpenType layout tables were ~15 % faster, but kerning changes the
 *    layout: not taken.)
 *  - Tagging (with the outline, which implies it) ~0.3–0.45 s of ~2 s and 1.2 MB of the 1.9 MB PDF; kept.
 *    printBackground: no difference. setContent's parse of 0.8 MB HTML (0.45 MB base64 fonts): ~30 ms.
 *  - The bilingual reports were shrunk by Chromium (content wider than the page: `.qa-facts .fact` lines
 *    778 px and pills in `table.data` 676 px in a 658 px column) and fell back to two whole prints. Now
 *    such labels break between the two languages, never inside one, and the facts column is at most 45 mm
 *    (styles.css, `.lang-bilingual`); no demo report or test fixture overflows (every `passes` is 1, and
 *    test/report/pdf.test.ts now requires it for en, ru and bilingual). The bilingual reports print at
 *    their designed type size instead of ~85–90 %: KZ bilingual 111 → 145 pages, the batch 1,495 pages.
 *    (The test fixture's Russian fallback is gone too: it was the late font face above.)
 *  - Node: the PDF object index scanned, for every stream-less object, to the next `stream` keyword
 *    (quadratic in a tagged PDF: 118 ms for KZ en, 261 ms bilingual) → 13 / 17 ms. The TOC numbers took
 *    two DevTools calls per box (~45 ms); now the TOC's list is read, filled and written back once (~5 ms:
 *    not the TOC section, as DOM.setOuterHTML diffs against the node's siblings, i.e. the whole report). Chromium opens
 *    the report's page (a new renderer process, 110–200 ms) while node builds the model and HTML: 60–90 ms
 *    overlapped per report (measured with a 140 ms busy loop against pool.run, 6 pairs).
 *  - A warm KZ en report now (laps, load ~3): page open 110–150 ms (overlapped with model + HTML),
 *    setContent 160–175 ms, the whole print ~950 ms, TOC numbers ~5 ms, body removed ~20 ms, front pages
 *    printed 67–88 ms (a print's fixed cost: Chromium still lays the 75 pages out twice), splice 3 ms.
 *  - (b) prints the same HTML, so it gains what ENA gains: (b) ≈ Chromium's work W + ~0.9 s start-up,
 *    ENA ≈ W + ~0.3 s (page, front matter, node). With W ≈ 1 s that is (b) / ENA ≈ 1.5–1.7; 2× would need
 *    W ≤ ~0.3 s, or one report printed on both cores (two pages printing halves, then joining two tagged
 *    PDFs with structure tree, outline and destinations: not done), or an unchanged report served from a
 *    cache (not done: it would measure a cache, not the renderer).
 *  - Batch memory: idle Chromium was 376 MB PSS, of which a renderer for the omnibox popup's WebUI
 *    (60–80 MB, ~0.5 s CPU at launch), a spare renderer (~20 MB) and the launch's blank tab (35–60 MB),
 *    none used by the pool: now off / closed (src/report/pdf/pool.ts). A bilingual print's renderer peaks
 *    at ~210–220 MB, two print at once; node's RSS grows from ~180 MB to ~330–380 MB during the batch
 *    (the bench process holds the demo database, tsx and the transient HTML and PDF strings and buffers).
 *    The batch's page count was undercounted before (`total += await …` lost the other worker's pages).
 *
 * Figures (npm run bench -- report, BENCH_QUICK=1; NOT a quiet machine, both helpers were benchmarking):
 *   before (last session): ENA 3.0 s, ENA / floor 1.27×, (b) / ENA 1.09×, (c) / ENA 4.73×; batch 55.6 s,
 *     1.74 GB.
 *   after, load 4.5 (median of 5): ENA 1520 ms, floor 1215 ms, ENA / floor 1.25×, (b) 2514 ms (b) / ENA
 *     1.65×, (c) 12783 ms (c) / ENA 8.41×; then the batch with the load rising to 7.5: 47.3 s, peak 1,111 MB.
 *   after (all of the above, the i18n lookups remembered: model + HTML of KZ en 143 → 96 ms CPU, and the
 *     number formats made once), load 2.4 at the start (median of 5): ENA 1536 ms, floor 1289 ms,
 *     ENA / floor 1.19×, (b) 2208 ms (b) / ENA 1.44×, (c) 12898 ms (c) / ENA 8.40×; batch 15 reports,
 *     1,495 pages, 21.8 s, peak 1,110 MB. Not quiet (the other helper was running benchmarks too).
 *   after the TOC-list fix, load 3.2 at the start (median of 5): ENA 1436 ms, floor 1190 ms, ENA / floor
 *     1.21×, (b) 2183 ms (b) / ENA 1.52×, (c) 11587 ms (c) / ENA 8.07×; batch 19.1 s, peak 1,149 MB.
 *     ENA − floor ≈ 0.25 s: DB → input ~35–50 ms (syncDraft builds the country model once more), model +
 *     HTML ~50 ms beyond the page open they overlap, front matter ~100 ms, PDF reads and splice ~30 ms.
 *
 * Third round (lead, load printed beside each figure):
 *  - A leak: every render left its page, and with it its ~1 MB of HTML, reachable from the browser
 *    (node heap +1.1 MB per render, flat after the fix at 41 MB over 60 renders). puppeteer's once()
 *    registers a wrapper, so off(handler) never removed the pool's per-task 'disconnected' listener.
 *  - The batch ran under the memory sampler, which reads smaps_rollup of every Chromium process five
 *    times a second: that cost the batch ~25 % (unsampled 17–19 s, sampled 24–26 s on a quiet machine).
 *    The batch is now timed alone, then run again under the sampler for its peak memory.
 *  - Why (b) / ENA ≥ 2 is out of reach while the PDF stays tagged: printing only page 1 of the tagged
 *    75-page KZ report costs 0.82–1.03 s against 1.08–1.30 s for all 75 pages; untagged, 0.40–0.49 s
 *    against 0.66–0.93 s (same browser, three rounds, load ~1). The print's cost is mostly per document
 *    (layout of the whole document, and for tagging the accessibility tree of the whole document), not
 *    per page, so two renderers printing halves would each pay ~85 % of it, and (b) pays the same per-
 *    document work plus ~0.6–0.9 s of start-up: ENA ≈ W + 0.2 s against (b) ≈ W + 0.8 s. 2× would need
 *    W ≤ ~0.4 s, a third of today's, from a lighter document (fewer elements, cheaper layout), not from
 *    the renderer.
 *   after, load 6.3 (median of 3, before the page-open overlap): ENA 1649 ms, ENA / floor 1.28×, (b) / ENA
 *     1.23×, (c) / ENA 7.16×; batch 15 reports, 1,495 pages, 30.4 s, peak 1,195 MB. Batch CPU (load ~5):
 *     Chromium 31–35 s + node 10.7 s, i.e. ~22 s on two idle cores.
 *
 * Fourth round: where (b) / ENA stands, measured (Chromium 156; KZ en, 75 pages; experiments side by side
 * in one browser, load 1.0–2.5):
 *  - (b) is start-up plus the document: a fresh `chromium --print-to-pdf` of a one-line page takes
 *    0.75–0.98 s (launch, a new profile, exit), of the KZ report 2.41–2.46 s (same minute). The bench now
 *    prints that start-up beside (b). All a warm pool can save against (b) is that start-up.
 *  - One print of the whole document (setContent + page.pdf, a warm browser) is CPU-bound on both cores:
 *    wall 1.12–1.29 s for 1.7–2.0 s of CPU (system-wide, /proc/stat). Its stages, serial: the renderer
 *    (two full print layouts, 140 + 215 ms, text shaping 116 ms of them; style 87 ms; paint 51 ms; the
 *    accessibility tree and paint recording ~200 ms), then a PrintCompositor utility process that
 *    Chromium starts for every print (~280–380 ms CPU: the PDF, fonts, structure tree), then the PDF
 *    to node. Tagging costs 0.25–0.3 s of wall time (untagged median 0.89 s against 1.17 s).
 *  - Two renderers printing the two halves of the report at once (split between chapters, both start a
 *    page): 1.03–1.11 s against 1.12–1.29 s for the whole in one; each half alone 0.72–0.92 s. The
 *    machine's two cores are already busy with one print, so splitting a report and joining two tagged
 *    PDFs (structure trees, outline, destinations, running page numbers) would gain ~10 %: not done.
 *  - The structure tree has 8,645 elements, 5,212 of them NonStruct (text runs and their boxes); marking
 *    every div and span role="none" removed 15 % of them and no measurable time. hyphens, break rules,
 *    grid/flex, tables as blocks, colours, whitespace between tags, the screen viewport at page width,
 *    print media emulation before load, format A4 instead of the CSS page size: no measurable change
 *    (±10 % noise); Chromium lays out twice whatever the viewport.
 *  - So ENA ≈ W + 0.1–0.2 s and (b) ≈ W + 0.25 + 0.85 s with W ≈ 1.1 s on a quiet machine; 2× needs
 *    W ≤ ~0.6 s: a document of half the layout and tagging work, or no tagging. The issue keeps tagging
 *    and the report's content is not ours to halve, so (b) / ENA stays ~1.5–1.6×.
 *  - syncDraft no longer builds the country model a second time when the data revision, the
 *    questionnaires and the draft are unchanged since its last synchronisation (src/report/draft/store.ts,
 *    `syncNeeded`): DB → input 21–23 ms → 9–12 ms.
 *  - A latent slow path, found by this bench printing "2 print(s)": the front-matter splice read a content
 *    stream up to `endstream` less a /\r?\n$/ match, which also ate the data's last byte whenever the
 *    compressed data ended in \r (1 stream in 256). The splice was then refused and the report printed a
 *    second time (KZ en: 3.0 s instead of 1.3 s, since the cover states the report's status). Streams are
 *    now read by their /Length (test/report/frontMatter.test.ts builds such a stream).
 *  - After the whole print (laps, load ~1.5): destinations 8–14 ms, TOC numbers 13–59 ms, body removed
 *    15–42 ms, front pages printed 62–92 ms, splice 2–5 ms. One DevTools session per report, opened while
 *    the page loads, and the body's removal sent as one batch of calls instead of a round trip each.
 *  - ENA and the floor now alternate (first place swapped each round), nine pairs: on this day the same
 *    print varied by 40 % within one run (floor 1165–1655 ms), and five runs in a row moved the medians.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadDemoData } from '../src/demo/loadDemo.js';
import { loadQuestionnaires } from '../src/questionnaire/load.js';
import { buildReportModel, generateReportPdf } from '../src/report/generate.js';
import { renderReportHtml } from '../src/report/html.js';
import type { ReportLanguage } from '../src/report/input.js';
import { configuredMarking } from '../src/report/model/common.js';
import { PdfPool } from '../src/report/pdf/pool.js';
import { FINAL_PDF_OPTIONS } from '../src/report/pdf/render.js';
import { storeReportSource } from '../src/report/storeSource.js';
import { openStore } from '../src/storage/db.js';
import { recordSnapshots } from '../src/storage/questionnaireVersions.js';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..');
const QUICK = Boolean(process.env.BENCH_QUICK);
const REPEATS = Number(process.env.BENCH_REPORT_REPEATS ?? (QUICK ? 2 : 9));
const RENDERS = Number(process.env.BENCH_REPORT_RENDERS ?? (QUICK ? 10 : 120));
const CHROMIUM = process.env.PUPPETEER_EXECUTABLE_PATH ?? '/usr/bin/chromium';

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};
const ms = (value: number): string => `${Math.round(value)} ms`;
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

async function timed<T>(work: () => Promise<T>): Promise<[number, T]> {
  const started = performance.now();
  const result = await work();
  return [performance.now() - started, result];
}

/**
 * Memory of a process and all its descendants, from /proc (0 where /proc is unavailable): PSS, so
 * pages Chromium's processes share are counted once, not once per process.
 */
async function treeRss(rootPid: number | undefined): Promise<number> {
  if (rootPid === undefined) return 0;
  try {
    const parents = new Map<number, number>();
    for (const entry of await readdir('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(Number(entry), ppid);
    }
    const tree = new Set([rootPid]);
    for (let grew = true; grew;) {
      grew = false;
      for (const [pid, ppid] of parents) if (tree.has(ppid) && !tree.has(pid)) { tree.add(pid); grew = true; }
    }
    let total = 0;
    for (const pid of tree) {
      const rollup = await readFile(`/proc/${pid}/smaps_rollup`, 'utf8').catch(() => '');
      const pss = /^Pss:\s+(\d+) kB/m.exec(rollup)?.[1];
      const rss = pss ?? /VmRSS:\s+(\d+) kB/.exec(await readFile(`/proc/${pid}/status`, 'utf8').catch(() => ''))?.[1];
      total += Number(rss ?? 0) * 1024;
    }
    return total;
  } catch {
    return 0;
  }
}

/** Samples node + Chromium RSS every 200 ms while `work` runs; returns the peak. */
async function peakRss<T>(pool: PdfPool, work: () => Promise<T>): Promise<[number, T]> {
  let peak = 0;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      peak = Math.max(peak, process.memoryUsage().rss + await treeRss(pool.browserPid));
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  })();
  try {
    const result = await work();
    return [peak, result];
  } finally {
    sampling = false;
    await sampler;
  }
}

async function chromiumCli(htmlFile: string, dir: string): Promise<number> {
  const [elapsed] = await timed(() => new Promise<void>((resolve, reject) => {
    const child = spawn(CHROMIUM, [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-extensions',
      `--user-data-dir=${join(dir, `profile-${Math.random().toString(36).slice(2)}`)}`,
      '--no-pdf-header-footer', `--print-to-pdf=${join(dir, 'cli.pdf')}`, `file://${htmlFile}`,
    ], { stdio: 'ignore' });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`chromium exited with ${code}`))));
  }));
  return elapsed;
}

async function weasyPrint(htmlFile: string, dir: string): Promise<number | string> {
  const found = await run('weasyprint', ['--version']).then(() => true, () => false);
  if (!found) return 'not installed (apt-get install weasyprint to compare): skipped';
  const [elapsed] = await timed(() => run('weasyprint', [htmlFile, join(dir, 'weasy.pdf')], { maxBuffer: 64 * 1024 * 1024 }));
  return elapsed;
}

export async function runReportBenchmark(): Promise<void> {
  console.log(`Report — load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  const dir = await mkdtemp(join(tmpdir(), 'ena-bench-report-'));
  const loaded = await loadQuestionnaires([join(ROOT, 'questionnaires')]);
  if (loaded.issues.length > 0) throw new Error('questionnaires/ is not valid: run ena validate');
  const store = await openStore(join(dir, 'bench.sqlite'));
  await recordSnapshots(store.db, loaded.questionnaires);
  await loadDemoData(store.db, loaded, { file: join(dir, 'bench.sqlite') });
  const source = storeReportSource(store.db, loaded, { marking: configuredMarking('For official use') });
  const pool = new PdfPool();
  try {
    // ---------- 1. warm country report against (a), (b), (c) ----------
    const warmUp = await generateReportPdf(pool, { kind: 'country', input: await source.countryReport('KZ') }, 'en');
    const model = buildReportModel({ kind: 'country', input: await source.countryReport('KZ') }, 'en');
    const finalHtml = renderReportHtml(model, { pages: warmUp.tocPages, printOnly: true }).html;
    const htmlFile = join(dir, 'report.html');
    await writeFile(htmlFile, finalHtml);
    const oneLine = join(dir, 'one-line.html');
    await writeFile(oneLine, '<!doctype html><html lang="en"><title>ENA</title><p>ENA</p></html>');
    // ENA and the floor alternate, each first in every other round, so that both meet the same moments of
    // a machine whose speed drifts. (b) runs afterwards: a fresh Chromium's exit (profile and PDF written
    // out) slowed whatever ran next by up to ~0.3 s.
    const pipeline: number[] = [];
    const floor: number[] = [];
    let last = warmUp;
    const ena = async (): Promise<void> => {
      // As the report jobs do: the page opens while the report is read from the database.
      const [elapsed, report] = await timed(async () => generateReportPdf(pool, source.countryReport('KZ').then((input) => ({ kind: 'country' as const, input })), 'en'));
      pipeline.push(elapsed);
      last = report;
    };
    const singlePass = async (): Promise<void> => {
      const [elapsed] = await timed(() => pool.run(async (page) => {
        await page.setContent(finalHtml, { waitUntil: 'load' });
        return page.pdf(FINAL_PDF_OPTIONS);
      }));
      floor.push(elapsed);
    };
    for (let i = 0; i < REPEATS; i++) {
      for (const run of i % 2 === 0 ? [ena, singlePass] : [singlePass, ena]) await run();
    }
    const cli: number[] = [];
    const cliStartUp: number[] = [];
    for (let i = 0; i < Math.min(REPEATS, 3); i++) {
      cli.push(await chromiumCli(htmlFile, dir));
      cliStartUp.push(await chromiumCli(oneLine, dir));
    }
    const weasy = await weasyPrint(htmlFile, dir);

    const p = median(pipeline);
    console.log(`country report KZ (en): ${last.pageCount} pages, ${last.passes} print(s) of the whole document, ${(last.pdf.length / 1024).toFixed(0)} KB; median of ${REPEATS}`);
    console.log(`  ENA (DB → score → HTML → PDF with TOC)   ${ms(p)}`);
    console.log(`  (a) single-pass page.pdf, same HTML     ${ms(median(floor))}   ENA / floor = ${(p / median(floor)).toFixed(2)}× (target ≤ 1.2×)`);
    console.log(`      each run in order, ENA: ${pipeline.map(Math.round).join(', ')} ms; floor: ${floor.map(Math.round).join(', ')} ms`);
    console.log(`  (b) chromium --print-to-pdf, fresh      ${ms(median(cli))}   (b) / ENA = ${(median(cli) / p).toFixed(2)}× (target ≥ 2×)`);
    // What (b) spends on start-up and exit alone, i.e. all a warm pool can save against it.
    console.log(`      of which start-up and exit (the same for a one-line page) ${ms(median(cliStartUp))}; (b) without it / ENA = ${((median(cli) - median(cliStartUp)) / p).toFixed(2)}×`);
    console.log(typeof weasy === 'number'
      ? `  (c) WeasyPrint                          ${ms(weasy)}   (c) / ENA = ${(weasy / p).toFixed(2)}× (target ≥ 8×)`
      : `  (c) WeasyPrint                          ${weasy}`);

    // ---------- 2. five countries × three languages as one batch ----------
    const countries = (await source.countries()).map((country) => country.code);
    const languages: ReportLanguage[] = ['en', 'ru', 'bilingual'];
    const jobs = languages.flatMap((language) => countries.map((code) => ({ code, language })));
    const batch = async (): Promise<number> => {
      let next = 0;
      let total = 0;
      const worker = async (): Promise<void> => {
        while (next < jobs.length) {
          const job = jobs[next++];
          if (!job) break;
          // Awaited before adding: `total += await …` reads `total` before the await and loses the other worker's pages.
          const { pageCount } = await generateReportPdf(pool, source.countryReport(job.code).then((input) => ({ kind: 'country' as const, input })), job.language);
          total += pageCount;
        }
      };
      await Promise.all([worker(), worker()]);
      return total;
    };
    // Timed without the memory sampler, then run again under it: reading smaps_rollup of every Chromium
    // process five times a second costs CPU the batch competes for (18–19 s unsampled vs 24–26 s sampled).
    const [batchTime, pages] = await timed(batch);
    const [peak] = await peakRss(pool, batch);
    console.log(`batch: ${countries.length} countries × ${languages.length} languages = ${jobs.length} reports, ${pages} pages`);
    console.log(`  total ${ms(batchTime)} (${ms(batchTime / jobs.length)} per report), peak memory node RSS + Chromium PSS ${mb(peak)} (a second run, sampled)   target ≤ 25 s, ≤ 1.2 GB`);

    // ---------- 3. RSS over consecutive renders ----------
    const small = await source.countryReport('UZ');
    const oneArea = { ...small, assessments: small.assessments.slice(0, 1) };
    console.log(`RSS over ${RENDERS} consecutive renders (UZ, one area; the pool replaces Chromium every 100 renders):`);
    const samples: { render: number; node: number; chromium: number }[] = [];
    const every = Math.max(1, Math.floor(RENDERS / 12));
    for (let i = 1; i <= RENDERS; i++) {
      await generateReportPdf(pool, { kind: 'country', input: oneArea }, 'en');
      if (i === 1 || i % every === 0 || i === RENDERS) {
        const sample = { render: i, node: process.memoryUsage().rss, chromium: await treeRss(pool.browserPid) };
        // Chromium figures are PSS of the browser's whole process tree.
        samples.push(sample);
        console.log(`  render ${String(i).padStart(4)}: node RSS ${mb(sample.node)}, Chromium PSS ${mb(sample.chromium)}`);
      }
    }
    const third = Math.max(1, Math.floor(samples.length / 3));
    const mean = (list: typeof samples, key: 'node' | 'chromium'): number => list.reduce((sum, s) => sum + s[key], 0) / list.length;
    const early = samples.slice(0, third);
    const late = samples.slice(-third);
    console.log(`  node RSS, last third vs first third of the samples: ${mb(mean(early, 'node'))} → ${mb(mean(late, 'node'))}; Chromium: ${mb(mean(early, 'chromium'))} → ${mb(mean(late, 'chromium'))}`);
    console.log(`  pool: ${pool.stats.renders} renders, ${pool.stats.launches} Chromium launches`);
  } finally {
    await pool.close();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === import.meta.filename) await runReportBenchmark();
