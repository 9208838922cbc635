/**
 * `ena report`: country, regional and progress reports as PDF (default) or Word (--format docx) files.
 *
 *   ena report country KZ [--mission 12] --lang ru|en|bilingual [--format pdf|docx] --out reports/
 *   ena report regional --countries KZ,KG,TJ,TM,UZ --lang …
 *   ena report progress KZ --from <mission> --to <mission>
 *   ena report --all            every country's latest mission, progress where a country has two
 *                               missions, one regional report; all three languages unless --lang
 */
import { mkdir } from 'node:fs/promises';
import { writeFileAtomically } from '../../shared/files.js';
import { join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import type { Config } from '../../config/env.js';
import { Problem } from '../../shared/problem.js';
import { REPORT_LANGUAGES, isReportLanguage, type ReportLanguage, type ReportRequest } from '../../report/input.js';
import type { ReportSource } from '../../report/source.js';
import { validQuestionnaires } from './exchangeSupport.js';

export interface OpenedSource {
  source: ReportSource;
  close(): Promise<void>;
}

export interface ReportCommandDeps {
  openSource(config: Config): Promise<OpenedSource>;
  /** Where progress and results are written (the terminal by default). */
  out?: { log(line: string): void; progress?: NodeJS.WriteStream | undefined };
}

/** The SQLite store named by ENA_DB, with the questionnaires of ENA_QUESTIONNAIRES. */
export async function openStoreSource(config: Config): Promise<OpenedSource> {
  const [{ databaseLocation }, { openStore }, { configuredMarking }, { storeReportSource }] = await Promise.all([
    import('../../config/env.js'), import('../../storage/db.js'), import('../../report/model/common.js'), import('../../report/storeSource.js'),
  ]);
  const questionnaires = await validQuestionnaires(config);
  const store = await openStore(databaseLocation(config));
  return { source: storeReportSource(store.db, questionnaires, { marking: configuredMarking(config.reportMarking) }), close: () => store.close() };
}

interface Job {
  label: string;
  language: ReportLanguage;
  request: () => Promise<ReportRequest>;
}

interface CommonOptions {
  lang?: string;
  format?: string;
  out?: string;
  all?: boolean;
}

function languagesOf(value: string | undefined, fallback: readonly ReportLanguage[]): ReportLanguage[] {
  if (value === undefined) return [...fallback];
  if (value === 'all') return [...REPORT_LANGUAGES];
  const languages = value.split(',').map((part) => part.trim());
  const wrong = languages.filter((language) => !isReportLanguage(language));
  if (wrong.length > 0 || languages.length === 0) {
    throw Problem.validation(`--lang must be en, ru, bilingual (or several, comma-separated, or all), not "${value}".`, [{ path: '--lang', message: `unknown: ${wrong.join(', ')}` }]);
  }
  return [...new Set(languages as ReportLanguage[])];
}

export const OUTPUT_FORMATS = ['pdf', 'docx'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

function formatOf(value: string | undefined): OutputFormat {
  if (value === undefined) return 'pdf';
  const format = value.trim().toLowerCase();
  if (!(OUTPUT_FORMATS as readonly string[]).includes(format)) {
    throw Problem.validation(`--format must be pdf or docx, not "${value}".`, [{ path: '--format', message: 'unknown format' }]);
  }
  return format as OutputFormat;
}

function countryCode(value: string, what: string): string {
  const code = value.trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(code)) throw Problem.validation(`${what} must be an ISO country code such as KZ, not "${value}".`, [{ path: what, message: 'not an ISO 3166 alpha-2 code' }]);
  return code;
}

function missionId(value: string | undefined, what: string): string {
  if (value === undefined) throw Problem.validation(`${what} <mission> is required, e.g. ${what} 12 (the mission numbers are on the mission pages).`, [{ path: what, message: 'missing' }]);
  if (!/^\d{1,15}$/.test(value.trim())) throw Problem.validation(`${what} must be a mission number such as 12, not "${value}".`, [{ path: what, message: 'not a mission number' }]);
  return value.trim();
}

/** A one-line progress bar on a terminal; nothing when the output is a file or a pipe. */
class ProgressBar {
  private done = 0;
  constructor(private readonly total: number, private readonly stream: NodeJS.WriteStream | undefined) {}

  private draw(label: string): void {
    if (!this.stream?.isTTY) return;
    const width = 24;
    const filled = Math.round((this.done / this.total) * width);
    this.stream.write(`\r\x1b[2K[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${this.done}/${this.total} ${label}`);
  }

  start(label: string): void {
    this.draw(label);
  }

  /** Prints a line above the bar. */
  line(log: (line: string) => void, text: string): void {
    if (this.stream?.isTTY) this.stream.write('\r\x1b[2K');
    log(text);
  }

  tick(label: string): void {
    this.done++;
    this.draw(label);
    if (this.done === this.total && this.stream?.isTTY) this.stream.write('\r\x1b[2K');
  }
}

/** A path relative to the working directory when it lies inside it, else absolute. */
function shown(file: string): string {
  const path = relative(process.cwd(), file);
  return path && !path.startsWith('..') ? path : file;
}

async function runJobs(config: Config, deps: ReportCommandDeps, opened: OpenedSource, jobs: readonly Job[], outDir: string, format: OutputFormat): Promise<unknown[]> {
  const log = deps.out?.log ?? ((line: string) => console.log(line));
  const bar = new ProgressBar(jobs.length, deps.out ? deps.out.progress : process.stderr);
  await mkdir(outDir, { recursive: true });
  const [{ PdfPool }, { generateReportDocx, generateReportPdf }] = await Promise.all([import('../../report/pdf/pool.js'), import('../../report/generate.js')]);
  const pool = new PdfPool({ executablePath: config.chromiumPath });
  const failures: unknown[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const job = jobs[next++] as Job;
      bar.start(job.label);
      try {
        const request = await job.request();
        const report = format === 'docx'
          ? await generateReportDocx(pool, request, job.language).then((docx) => ({ fileName: docx.fileName, bytes: docx.docx, pageCount: null }))
          : await generateReportPdf(pool, request, job.language).then((pdf) => ({ fileName: pdf.fileName, bytes: pdf.pdf, pageCount: pdf.pageCount }));
        const file = join(outDir, report.fileName);
        // Write then rename: a half-written file never appears under the final name.
        await writeFileAtomically(file, report.bytes, 'The report');
        await opened.source.record?.({
          kind: request.kind,
          missionId: request.kind === 'country' ? request.input.mission.id : request.kind === 'progress' ? request.input.followUp.mission.id : null,
          countries: request.kind === 'regional' ? request.input.countries.map((entry) => entry.country.code) : [request.input.country.code],
          language: job.language,
          filePath: file,
          dataRevision: request.input.dataRevision,
        });
        bar.line(log, report.pageCount === null ? `✓ ${shown(file)}` : `✓ ${shown(file)}  (${report.pageCount} pages)`);
      } catch (error) {
        failures.push(error);
        // A single report fails with its own error (the CLI prints it); in a batch, say which one failed and go on.
        if (jobs.length > 1) {
          const message = error instanceof Problem ? error.message : (error as Error).stack ?? String(error);
          bar.line((line) => console.error(line), `✗ ${job.label}: ${message}`);
        }
      }
      bar.tick(job.label);
    }
  };
  try {
    await Promise.all([worker(), worker()]);
  } finally {
    await pool.close();
  }
  return failures;
}

async function execute(deps: ReportCommandDeps, options: CommonOptions, plan: (source: ReportSource) => Promise<Job[]>): Promise<void> {
  const { loadConfig } = await import('../../config/env.js');
  const config = loadConfig();
  const outDir = resolve(options.out ?? config.reportsDir);
  formatOf(options.format); // a wrong --format is refused before anything is opened
  const opened = await deps.openSource(config);
  try {
    const jobs = await plan(opened.source);
    if (jobs.length === 0) throw Problem.notFound('Anything to report on (no country has an assessed mission yet)');
    const failures = await runJobs(config, deps, opened, jobs, outDir, formatOf(options.format));
    if (failures.length > 0 && jobs.length === 1) throw failures[0];
    if (failures.length > 0) {
      console.error(`${failures.length} of ${jobs.length} report(s) failed; the others were written to ${outDir}.`);
      process.exitCode = 1;
    }
  } finally {
    await opened.close();
  }
}

export function registerReport(program: Command, deps: ReportCommandDeps = { openSource: openStoreSource }): void {
  const report = program
    .command('report')
    .description('write recommendation reports as PDF (country, regional, progress); --all for every country')
    .option('--lang <languages>', 'en | ru | bilingual, several comma-separated, or all (default: en; with --all: all)')
    .option('--format <format>', 'pdf | docx (default: pdf); docx is an editable Word document')
    .option('--out <folder>', 'folder for the report files (default: ENA_REPORTS)')
    .option('--all', 'every country: latest mission, progress between first and latest mission, and one regional report')
    .action(async (options: CommonOptions, command: Command) => {
      if (!options.all) {
        command.help({ error: true });
        return;
      }
      const languages = languagesOf(options.lang, REPORT_LANGUAGES);
      await execute(deps, options, async (source) => {
        const countries = await source.countries();
        const jobs: Job[] = [];
        for (const language of languages) {
          for (const country of countries) {
            jobs.push({ label: `country ${country.code} ${language}`, language, request: async () => ({ kind: 'country', input: await source.countryReport(country.code) }) });
            const first = country.missionIds[0];
            const last = country.missionIds[country.missionIds.length - 1];
            if (first !== undefined && last !== undefined && first !== last) {
              jobs.push({ label: `progress ${country.code} ${language}`, language, request: async () => ({ kind: 'progress', input: await source.progressReport(country.code, first, last) }) });
            }
          }
          if (countries.length >= 2) {
            jobs.push({ label: `regional ${language}`, language, request: async () => ({ kind: 'regional', input: await source.regionalReport(countries.map((c) => c.code)) }) });
          }
        }
        return jobs;
      });
    });

  report
    .command('country')
    .description('one country, one mission (default: its latest)')
    .argument('<code>', 'ISO country code, e.g. KZ')
    .option('--mission <id>', 'the mission to report on (default: the latest)')
    .action(async (code: string, options: { mission?: string }, command: Command) => {
      const common = command.optsWithGlobals<CommonOptions>();
      const country = countryCode(code, '<code>');
      const mission = options.mission === undefined ? undefined : missionId(options.mission, '--mission');
      const languages = languagesOf(common.lang, ['en']);
      await execute(deps, common, async (source) => languages.map((language) => ({
        label: `country ${country} ${language}`, language, request: async () => ({ kind: 'country', input: await source.countryReport(country, mission) }),
      })));
    });

  report
    .command('regional')
    .description('several countries compared: heat map, common gaps, regional recommendations, profiles')
    .requiredOption('--countries <codes>', 'comma-separated ISO codes, e.g. KZ,KG,TJ,TM,UZ')
    .action(async (options: { countries: string }, command: Command) => {
      const common = command.optsWithGlobals<CommonOptions>();
      const codes = [...new Set(options.countries.split(',').filter((part) => part.trim() !== '').map((part) => countryCode(part, '--countries')))];
      const languages = languagesOf(common.lang, ['en']);
      await execute(deps, common, async (source) => languages.map((language) => ({
        label: `regional ${codes.join(',')} ${language}`, language, request: async () => ({ kind: 'regional', input: await source.regionalReport(codes) }),
      })));
    });

  report
    .command('progress')
    .description('one country: a baseline mission against a follow-up mission')
    .argument('<code>', 'ISO country code, e.g. KZ')
    .option('--from <mission>', 'the baseline mission')
    .option('--to <mission>', 'the follow-up mission')
    .action(async (code: string, options: { from?: string; to?: string }, command: Command) => {
      const common = command.optsWithGlobals<CommonOptions>();
      const country = countryCode(code, '<code>');
      const from = missionId(options.from, '--from');
      const to = missionId(options.to, '--to');
      const languages = languagesOf(common.lang, ['en']);
      await execute(deps, common, async (source) => languages.map((language) => ({
        label: `progress ${country} ${language}`, language, request: async () => ({ kind: 'progress', input: await source.progressReport(country, from, to) }),
      })));
    });
}
