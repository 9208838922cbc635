import type { Command } from 'commander';
import { extname } from 'node:path';
import type { ExportScope } from '../../exchange/exportModel.js';
import { EXPORT_FORMATS, type ExportFormat } from '../../exchange/formats.js';
import { Problem } from '../../shared/problem.js';
import { positiveId, validQuestionnaires, withStore, writeOutput } from './exchangeSupport.js';

interface ExportOptions {
  country?: string;
  mission?: string;
  all?: boolean;
  format?: string;
  out?: string;
  lang: string;
  separator: string;
}

function scopeOf(options: ExportOptions): ExportScope {
  const chosen = [options.country !== undefined, options.mission !== undefined, options.all === true].filter(Boolean).length;
  if (chosen !== 1) {
    throw Problem.validation('Choose exactly one of --country <code>, --mission <id> or --all.', [{ path: 'scope', message: chosen === 0 ? 'missing' : 'more than one given' }]);
  }
  if (options.country !== undefined) {
    const code = options.country.trim().toUpperCase();
    if (!/^[A-Z]{2}$/.test(code)) throw Problem.validation(`--country must be an ISO code such as KZ, not "${options.country}".`, [{ path: '--country', message: 'not an ISO 3166 alpha-2 code' }]);
    return { kind: 'country', code };
  }
  if (options.mission !== undefined) return { kind: 'mission', id: positiveId(options.mission, '--mission') };
  return { kind: 'all' };
}

/** --format, or the extension of --out, or xlsx. */
function formatOf(options: ExportOptions): ExportFormat {
  const wanted = options.format ?? (options.out ? extname(options.out).slice(1).toLowerCase() : 'xlsx');
  if (!(EXPORT_FORMATS as readonly string[]).includes(wanted)) {
    throw Problem.validation(`--format must be one of ${EXPORT_FORMATS.join(', ')}, not "${wanted}".`, [{ path: '--format', message: 'unknown format' }]);
  }
  return wanted as ExportFormat;
}

export function registerExport(program: Command): void {
  program
    .command('export')
    .description('export answers, scores and gaps of a country, a mission or everything as XLSX, CSV or JSON')
    .option('--country <code>', 'every mission of one country, e.g. KZ')
    .option('--mission <id>', 'one mission')
    .option('--all', 'every mission of every country')
    .option('--format <format>', `${EXPORT_FORMATS.join(' | ')} (default: from the --out extension, else xlsx)`)
    .option('--out <path>', 'file to write (default: standard output)')
    .option('--lang <language>', 'language of headers and labels: en or ru (question and answer texts come in both)', 'en')
    .option('--separator <char>', 'CSV only: "," (decimal point) or ";" (decimal comma, for Excel set to Russian)', ',')
    .action(async (options: ExportOptions) => {
      const scope = scopeOf(options);
      const format = formatOf(options);
      const [{ loadConfig }, { exportFile }, { isLanguage }] = await Promise.all([
        import('../../config/env.js'), import('../../exchange/exportData.js'), import('../../i18n/i18n.js'),
      ]);
      if (!isLanguage(options.lang)) throw Problem.validation(`--lang must be en or ru, not "${options.lang}".`, [{ path: '--lang', message: 'unknown language' }]);
      if (options.separator !== ',' && options.separator !== ';') throw Problem.validation(`--separator must be "," or ";", not "${options.separator}".`, [{ path: '--separator', message: 'unknown separator' }]);
      const config = loadConfig();
      const questionnaires = await validQuestionnaires(config);
      const file = await withStore(config, (store) => exportFile(store.db, questionnaires, {
        scope, format, language: options.lang as 'en' | 'ru', marking: config.reportMarking, csvSeparator: options.separator as ',' | ';',
      }));
      await writeOutput(file.body, options.out, format === 'xlsx');
      if (options.out && options.out !== '-') console.error(`Wrote ${options.out} (${format}, ${file.body.length} bytes).`);
    });
}
