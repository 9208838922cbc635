/**
 * `ena report` against a real SQLite file holding the demo missions and the real questionnaires, and
 * `ena report --all` against a small in-memory source.
 */
import { mkdtemp, readdir, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { registerReport, openStoreSource, type ReportCommandDeps } from '../../src/cli/commands/report.js';
import { loadDemoData } from '../../src/demo/loadDemo.js';
import { loadQuestionnaires } from '../../src/questionnaire/load.js';
import { openStore } from '../../src/storage/db.js';
import { recordSnapshots } from '../../src/storage/questionnaireVersions.js';
import { listReports } from '../../src/storage/reports.js';
import type { ReportSource } from '../../src/report/source.js';
import { Problem } from '../../src/shared/problem.js';
import { SAMPLE_COUNTRIES } from '../../src/report/sampleInput.js';
import { countryInput, TEST_CATALOGUE, TEST_QUESTIONNAIRES, GENERATED_AT } from './fixtures.js';
import { pageTexts, squash } from './pdfText.js';

const QUESTIONNAIRES = resolve('questionnaires');
const savedEnv = { ...process.env };

async function runReport(args: string[], deps: ReportCommandDeps): Promise<void> {
  const program = new Command('ena').exitOverride();
  registerReport(program, deps);
  await program.parseAsync(['node', 'ena', 'report', ...args]);
}

afterEach(() => {
  process.env = { ...savedEnv };
});

describe('ena report on the demo database', () => {
  let dbFile = '';
  let outDir = '';

  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ena-report-cli-'));
    dbFile = join(dir, 'ena.sqlite');
    outDir = join(dir, 'out');
    const questionnaires = await loadQuestionnaires([QUESTIONNAIRES]);
    expect(questionnaires.issues).toEqual([]);
    const store = await openStore(dbFile);
    try {
      await recordSnapshots(store.db, questionnaires.questionnaires);
      await loadDemoData(store.db, questionnaires, { file: dbFile });
    } finally {
      await store.close();
    }
  }, 120_000);

  it('writes the Russian country report, says where it went and records it with the data revision', async () => {
    process.env.ENA_DB = dbFile;
    process.env.ENA_QUESTIONNAIRES = QUESTIONNAIRES;
    const lines: string[] = [];
    await runReport(['country', 'kz', '--lang', 'ru', '--out', outDir], { openSource: openStoreSource, out: { log: (line) => lines.push(line) } });

    const files = await readdir(outDir);
    expect(files.filter((file) => file.endsWith('.pdf'))).toEqual([expect.stringMatching(/^ENA_country_KZ_\d+_ru\.pdf$/)]);
    expect(files.some((file) => file.endsWith('.part'))).toBe(false);
    const file = join(outDir, files[0] as string);
    expect(lines).toEqual([expect.stringMatching(new RegExp(`^✓ ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} {2}\\(\\d+ pages\\)$`))]);
    const text = squash((await pageTexts(new Uint8Array(await readFile(file)))).join(' '));
    expect(text).toContain('Оценка потребностей в сфере электронных доказательств: Казахстан');
    expect(text).toContain('Демонстрационные данные — не результат оценки');
    expect(text).toContain('ДЛЯ СЛУЖЕБНОГО ПОЛЬЗОВАНИЯ');
    expect((await stat(file)).size).toBeGreaterThan(100_000);

    const store = await openStore(dbFile);
    try {
      const recorded = await listReports(store.db, { countryCode: 'KZ' });
      expect(recorded).toHaveLength(1);
      expect(recorded[0]).toMatchObject({ kind: 'country', language: 'ru', countries: ['KZ'], filePath: file, createdBy: null });
      expect(recorded[0]?.dataRevision).toBeGreaterThan(0);
      expect(text).toContain(`версия данных ${recorded[0]?.dataRevision}`);
    } finally {
      await store.close();
    }
  }, 300_000);

  it('refuses bad arguments with a message that says what to type', async () => {
    process.env.ENA_DB = dbFile;
    process.env.ENA_QUESTIONNAIRES = QUESTIONNAIRES;
    const deps = { openSource: openStoreSource, out: { log: () => undefined } };
    await expect(runReport(['country', 'KZ', '--lang', 'de'], deps)).rejects.toThrow('--lang must be en, ru, bilingual (or several, comma-separated, or all), not "de".');
    await expect(runReport(['country', 'Kazakhstan'], deps)).rejects.toThrow('<code> must be an ISO country code such as KZ, not "Kazakhstan".');
    await expect(runReport(['progress', 'KZ', '--from', '1'], deps)).rejects.toThrow('--to <mission> is required');
    await expect(runReport(['country', 'FR', '--out', outDir], deps)).rejects.toThrow('Country FR was not found.');
    await expect(runReport(['country', 'KZ', '--mission', '999', '--out', outDir], deps)).rejects.toThrow('Mission 999 was not found.');
    const error = await runReport(['progress', 'KZ', '--from', '1', '--to', '1'], deps).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Problem);
    expect((error as Problem).message).toBe('--from and --to must be two different missions.');
  }, 60_000);
});

describe('ena report --all', () => {
  it('writes a country report per country and one regional report, with a line per file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ena-report-all-'));
    const questionnaires = TEST_QUESTIONNAIRES.slice(0, 1);
    const codes = ['KZ', 'UZ'];
    const recorded: string[] = [];
    const source: ReportSource = {
      countryReport: async (code) => countryInput(code, { questionnaires }),
      regionalReport: async (list) => ({
        catalogue: TEST_CATALOGUE, marking: 'For official use', generatedAt: GENERATED_AT, dataRevision: 'r1',
        countries: list.map((code) => {
          const { country, mission, assessments, targets } = countryInput(code, { questionnaires });
          return { country, mission, assessments, targets };
        }),
      }),
      progressReport: async () => { throw new Error('no country here has two missions'); },
      countries: async () => SAMPLE_COUNTRIES.filter((c) => codes.includes(c.code)).map((c) => ({ code: c.code, name: c.name, missionIds: [`${c.code.toLowerCase()}-2024`] })),
      record: async (report) => {
        recorded.push(`${report.kind} ${report.countries.join(',')} ${report.language}`);
      },
    };
    const lines: string[] = [];
    await runReport(['--all', '--lang', 'en', '--out', dir], { openSource: async () => ({ source, close: async () => undefined }), out: { log: (line) => lines.push(line) } });
    expect((await readdir(dir)).sort()).toEqual(['ENA_country_KZ_kz-2024_en.pdf', 'ENA_country_UZ_uz-2024_en.pdf', 'ENA_regional_KZ-UZ_en.pdf']);
    expect(lines).toHaveLength(3);
    expect(lines.every((line) => line.startsWith(`✓ ${dir}/ENA_`))).toBe(true);
    expect(recorded.sort()).toEqual(['country KZ en', 'country UZ en', 'regional KZ,UZ en']);
  }, 300_000);
});
