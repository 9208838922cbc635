/** `ena report … --format docx` against a real SQLite file holding the demo missions and the real questionnaires. */
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import mammoth from 'mammoth';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openStoreSource, registerReport } from '../../src/cli/commands/report.js';
import { loadDemoData } from '../../src/demo/loadDemo.js';
import { loadQuestionnaires } from '../../src/questionnaire/load.js';
import { openStore } from '../../src/storage/db.js';
import { recordSnapshots } from '../../src/storage/questionnaireVersions.js';

const QUESTIONNAIRES = resolve('questionnaires');
const savedEnv = { ...process.env };
let dbFile = '';
let outDir = '';

async function runReport(args: string[]): Promise<string[]> {
  const lines: string[] = [];
  const program = new Command('ena').exitOverride();
  registerReport(program, { openSource: openStoreSource, out: { log: (line) => lines.push(line) } });
  await program.parseAsync(['node', 'ena', 'report', ...args]);
  return lines;
}

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ena-report-docx-cli-'));
  dbFile = join(dir, 'ena.sqlite');
  outDir = join(dir, 'out');
  const questionnaires = await loadQuestionnaires([QUESTIONNAIRES]);
  const store = await openStore(dbFile);
  try {
    await recordSnapshots(store.db, questionnaires.questionnaires);
    await loadDemoData(store.db, questionnaires, { file: dbFile });
  } finally {
    await store.close();
  }
}, 120_000);

afterEach(() => {
  process.env = { ...savedEnv };
});

describe('ena report --format', () => {
  it('writes a bilingual Word document of the country report, readable by an independent reader', async () => {
    process.env.ENA_DB = dbFile;
    process.env.ENA_QUESTIONNAIRES = QUESTIONNAIRES;
    const lines = await runReport(['country', 'KZ', '--lang', 'bilingual', '--format', 'docx', '--out', outDir]);
    const files = await readdir(outDir);
    const docx = files.find((name) => /^ENA_country_KZ_\d+_bilingual\.docx$/.test(name));
    expect(docx).toBeDefined();
    expect(lines.join('\n')).toContain(docx);
    const html = (await mammoth.convertToHtml({ buffer: await readFile(join(outDir, docx as string)) })).value;
    expect(html).toMatch(/<h1>1 Executive summary \/ Резюме<\/h1>/);
    expect(html).toContain('Проект'); // a draft says so
  }, 180_000);

  it('refuses an unknown format before opening anything', async () => {
    process.env.ENA_DB = dbFile;
    process.env.ENA_QUESTIONNAIRES = QUESTIONNAIRES;
    await expect(runReport(['country', 'KZ', '--format', 'xls', '--out', outDir])).rejects.toThrow(/--format must be pdf or docx, not "xls"/);
  });
});
