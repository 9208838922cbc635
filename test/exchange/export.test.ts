import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { exportFile } from '../../src/exchange/exportData.js';
import { translator } from '../../src/i18n/i18n.js';
import { loadQuestionnaires, type LoadResult } from '../../src/questionnaire/load.js';
import { SYSTEM } from '../../src/storage/audit.js';
import type { Store } from '../../src/storage/db.js';
import { recordSnapshots } from '../../src/storage/questionnaireVersions.js';
import { setTargetOverride } from '../../src/storage/targets.js';
import { ANSWER_COLUMNS } from '../../src/exchange/columns.js';
import { addUser, answer, seedMission, engineStore } from './helpers.js';
import { ENGINES } from '../support/engines.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'catalogue');
let v1: LoadResult;
let v2: LoadResult;

/** Version 2 of the sample: a new first question, preservation-days removed. */
async function loadVersion2(): Promise<LoadResult> {
  const dir = await mkdtemp(join(tmpdir(), 'ena-q2-'));
  await cp(FIXTURES, dir, { recursive: true });
  const file = join(dir, 'preservation-demo.yaml');
  let text = await readFile(file, 'utf8');
  text = text.replace('version: 1 ', 'version: 2 ');
  const start = text.indexOf('      - id: preservation-days');
  const end = text.indexOf('      - id: documents-received');
  text = text.slice(0, start) + text.slice(end);
  text = text.replace('    questions:\n', `    questions:
      - id: interlocutors
        type: text
        text: { en: Officials met, ru: "Должностные лица, с которыми проведены встречи" }
        help: { en: Names and functions., ru: Фамилии и должности. }
`);
  await writeFile(file, text);
  const loaded = await loadQuestionnaires([dir]);
  if (loaded.issues.length > 0) throw new Error(loaded.issues.map((i) => i.message).join('\n'));
  return loaded;
}

beforeAll(async () => {
  v1 = await loadQuestionnaires([FIXTURES]);
  expect(v1.issues).toEqual([]);
  v2 = await loadVersion2();
});

describe.each(ENGINES)('exports on %s', (engine) => {
  const stores: Store[] = [];
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close();
  });

  async function seeded() {
    const s = await engineStore(engine);
    stores.push(s);
    await recordSnapshots(s.db, v1.questionnaires);
    const expert = await addUser(s, 'aigerim@example.org', 'Айгерим Сапарова');
    const { missionId, assessments } = await seedMission(s);
    const a = assessments['preservation-demo'] as number;
    await answer(s, expert, a, 'preservation-power', 2, { note: 'Ст. 16 УПК применяется с 2023 года', evidence: 'testimonial', source: 'Генеральная прокуратура' });
    await answer(s, expert, a, 'preservation-days', 14);
    await answer(s, expert, a, 'documents-received', '=HYPERLINK("http://evil.example","click")');
    return { s, missionId, a };
  }

  async function openXlsx(body: Buffer): Promise<ExcelJS.Workbook> {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(body as unknown as ArrayBuffer);
    return workbook;
  }

  async function parseCsv(body: Buffer, delimiter: string): Promise<string[][]> {
    const workbook = new ExcelJS.Workbook();
    const sheet = await workbook.csv.read(Readable.from(body.subarray(3)), { parserOptions: { delimiter }, map: (v: unknown) => v });
    const rows: string[][] = [];
    sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => (v === undefined || v === null ? '' : String(v)))));
    return rows;
  }

  function rowValues(sheet: ExcelJS.Worksheet, row: number): unknown[] {
    return (sheet.getRow(row).values as unknown[]).slice(1);
  }

  /** The data rows of a sheet as objects keyed by the stable column keys. */
  function records(sheet: ExcelJS.Worksheet): Record<string, unknown>[] {
    const out: Record<string, unknown>[] = [];
    for (let r = 3; r <= sheet.rowCount; r++) {
      const values = rowValues(sheet, r);
      out.push(Object.fromEntries(ANSWER_COLUMNS.map((c, i) => [c.key, values[i] ?? null])));
    }
    return out;
  }

  describe('XLSX export', () => {
    it('has a summary and one sheet per questionnaire, frozen headers in the chosen language and Cyrillic text', async () => {
      const { s, missionId } = await seeded();
      await setTargetOverride(s.db, SYSTEM, { countryCode: 'KZ', questionnaireId: 'preservation-demo', questionId: 'preservation-power', target: 4 });
      const file = await exportFile(s.db, v1, { scope: { kind: 'country', code: 'KZ' }, format: 'xlsx', language: 'ru', marking: 'Для служебного пользования' });
      expect(file.fileName).toMatch(/^ena-KZ-\d{4}-\d{2}-\d{2}\.xlsx$/);
      const workbook = await openXlsx(file.body);
      expect(workbook.worksheets.map((w) => w.name)).toEqual(['Сводка', 'preservation-demo']);

      const sheet = workbook.getWorksheet('preservation-demo') as ExcelJS.Worksheet;
      expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
      expect(String(sheet.getCell('A1').value)).toBe('Expedited preservation / Оперативное обеспечение сохранности данных (версия 1)');
      const ru = translator('ru');
      expect(rowValues(sheet, 2)).toEqual(ANSWER_COLUMNS.map((c) => ru(`exchange:column.${c.key}`)));
      expect(rowValues(sheet, 2)).toContain('Отставание от целевого уровня');
      expect(sheet.getColumn(13).width).toBe(50);

      const rows = records(sheet);
      expect(rows.map((r) => r.question_id)).toEqual(['preservation-power', 'preservation-days', 'documents-received']);
      const power = rows[0] as Record<string, unknown>;
      expect(power).toMatchObject({
        country_code: 'KZ', country_ru: 'Казахстан', mission_id: missionId, question_ru: 'Предусмотрено ли законом полномочие требовать оперативного обеспечения сохранности хранимых данных?',
        value: 2, value_en: '2 — Established', value_ru: '2 — Установленный', evidence: 'Со слов собеседников', level: 2, max_level: 4, score: 0.5,
        target: 4, gap: 2, priority: 6, critical: 'Да', undocumented: 'Да', note: 'Ст. 16 УПК применяется с 2023 года', source: 'Генеральная прокуратура',
        revision: 1, author_email: 'aigerim@example.org', author_name: 'Айгерим Сапарова', status: 'Есть ответ',
      });
      expect(sheet.getCell(`Y3`).numFmt).toBe('0%');
      // In a spreadsheet, text stays text: the formula-looking note is a plain string cell.
      expect(rows[2]?.value).toBe('=HYPERLINK("http://evil.example","click")');
      expect(sheet.getCell('S5').type).toBe(ExcelJS.ValueType.String);

      const summary = workbook.getWorksheet('Сводка') as ExcelJS.Worksheet;
      expect(String(summary.getCell('A1').value)).toContain('Казахстан (KZ)');
      expect(String(summary.getCell('A1').value)).toContain('Для служебного пользования');
      expect(summary.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
      expect(rowValues(summary, 2)[0]).toBe('Код страны');
      expect(rowValues(summary, 3).slice(0, 4)).toEqual(['KZ', 'Казахстан', missionId, 'Миссия по оценке потребностей']);
      expect(rowValues(summary, 4)[9]).toBe('Все направления');
    });

    it('keeps columns in place and retired answers after a questionnaire version change', async () => {
      const { s, missionId } = await seeded();
      const before = await openXlsx((await exportFile(s.db, v1, { scope: { kind: 'mission', id: missionId }, format: 'xlsx', language: 'en', marking: 'x' })).body);
      await recordSnapshots(s.db, v2.questionnaires);
      const after = await openXlsx((await exportFile(s.db, v2, { scope: { kind: 'mission', id: missionId }, format: 'xlsx', language: 'en', marking: 'x' })).body);
      const [old, now] = [before.getWorksheet('preservation-demo'), after.getWorksheet('preservation-demo')] as ExcelJS.Worksheet[];
      expect(rowValues(now as ExcelJS.Worksheet, 2)).toEqual(rowValues(old as ExcelJS.Worksheet, 2));

      const oldRows = new Map(records(old as ExcelJS.Worksheet).map((r) => [r.question_id, r]));
      const newRows = records(now as ExcelJS.Worksheet);
      expect(newRows.map((r) => [r.question_id, r.status])).toEqual([
        ['interlocutors', 'Not answered'], ['preservation-power', 'Answered'], ['documents-received', 'Answered'], ['preservation-days', 'Retired question (kept)'],
      ]);
      for (const key of ['value', 'value_en', 'note', 'evidence', 'revision', 'author_email', 'question_en', 'question_ru']) {
        expect(newRows.find((r) => r.question_id === 'preservation-power')?.[key]).toEqual(oldRows.get('preservation-power')?.[key]);
      }
      // The retired answer keeps its value and its wording from the version it was given against, and no score.
      const retired = newRows.find((r) => r.question_id === 'preservation-days');
      expect(retired).toMatchObject({ value: 14, question_en: 'Median days to obtain preservation', pinned_version: 1, current_version: 2, level: null, score: null });
      const summary = after.getWorksheet('Summary') as ExcelJS.Worksheet;
      expect(rowValues(summary, 3)[16]).toBe(1);
    });
  });

  describe('CSV export', () => {
    it('is UTF-8 with a BOM, has the same columns, keeps Cyrillic and disarms formulas', async () => {
      const { s } = await seeded();
      const file = await exportFile(s.db, v1, { scope: { kind: 'all' }, format: 'csv', language: 'en', marking: 'x' });
      expect(file.contentType).toBe('text/csv; charset=utf-8');
      expect([...file.body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const text = file.body.toString('utf8');
      expect(text).toContain('"Ст. 16 УПК применяется с 2023 года"');
      const rows = await parseCsv(file.body, ',');
      expect(rows[0]).toEqual(ANSWER_COLUMNS.map((c) => translator('en')(`exchange:column.${c.key}`)));
      expect(rows).toHaveLength(4);
      const byId = Object.fromEntries(rows.slice(1).map((r) => [r[11], r]));
      expect(byId['preservation-power']?.[2]).toBe('Казахстан');
      expect(byId['preservation-power']?.[24]).toBe('0.5');
      expect(byId['documents-received']?.[18]).toBe('\'=HYPERLINK("http://evil.example","click")');
    });

    it('writes semicolons and decimal commas for spreadsheets set up that way', async () => {
      const { s } = await seeded();
      const file = await exportFile(s.db, v1, { scope: { kind: 'all' }, format: 'csv', language: 'ru', marking: 'x', csvSeparator: ';' });
      const rows = await parseCsv(file.body, ';');
      expect(rows[0]?.[0]).toBe('Код страны');
      expect(rows.find((r) => r[11] === 'preservation-power')?.[24]).toBe('0,5');
    });
  });

  describe('mission scope', () => {
    /** The column keys of the first release, in order: scripts read these by position. */
    const FIRST_ANSWER_KEYS = ['country_code', 'country_en', 'country_ru', 'mission_id', 'mission_title', 'questionnaire_id', 'pinned_version', 'current_version',
      'section_id', 'section_en', 'section_ru', 'question_id', 'question_en', 'question_ru', 'question_type', 'weight', 'critical', 'status', 'value', 'value_en',
      'value_ru', 'evidence', 'level', 'max_level', 'score', 'target', 'gap', 'priority', 'undocumented', 'note', 'source', 'revision', 'author_email', 'author_name', 'updated_at'];

    async function coreAndFull() {
      const { s, missionId } = await seeded();
      await s.db.updateTable('missions').set({ scope: 'core' }).where('id', '=', missionId).execute();
      const expert = await addUser(s, 'nurlan@example.org', 'Нурлан Ахметов');
      const full = await seedMission(s);
      await answer(s, expert, full.assessments['preservation-demo'] as number, 'preservation-power', 2);
      await answer(s, expert, full.assessments['preservation-demo'] as number, 'preservation-days', 14);
      return { s, core: missionId, full: full.missionId };
    }

    it('is the last column of the CSV, after every column of the first release, in the chosen language', async () => {
      const { s, core, full } = await coreAndFull();
      expect(ANSWER_COLUMNS.map((c) => c.key)).toEqual([...FIRST_ANSWER_KEYS, 'mission_scope']);
      const rows = await parseCsv((await exportFile(s.db, v1, { scope: { kind: 'all' }, format: 'csv', language: 'ru', marking: 'x' })).body, ',');
      expect(rows[0]?.at(-1)).toBe('Охват миссии');
      const scopeOf = (missionId: number) => [...new Set(rows.slice(1).filter((r) => r[3] === String(missionId)).map((r) => r.at(-1)))];
      expect(scopeOf(core)).toEqual(['Основные показатели']);
      expect(scopeOf(full)).toEqual(['Полный']);
      // In the core mission the question outside the core set is "not shown", and the scope column says why.
      const days = (missionId: number) => rows.find((r) => r[3] === String(missionId) && r[11] === 'preservation-days');
      expect(days(core)?.[17]).toBe(translator('ru')('vocabulary:status.hidden'));
      expect(days(full)?.[17]).toBe(translator('ru')('vocabulary:status.answered'));
    });

    it('is on every summary line and every answer row of the XLSX, and in the JSON missions and rows', async () => {
      const { s, core, full } = await coreAndFull();
      const workbook = await openXlsx((await exportFile(s.db, v1, { scope: { kind: 'all' }, format: 'xlsx', language: 'en', marking: 'x' })).body);
      const summary = workbook.worksheets[0] as ExcelJS.Worksheet;
      const header = rowValues(summary, 2);
      expect(header.at(-1)).toBe('Mission scope');
      const missionColumn = header.indexOf('Mission no.');
      const summaryScopes = new Map<unknown, Set<unknown>>();
      for (let r = 3; r <= summary.rowCount; r++) {
        const values = rowValues(summary, r);
        summaryScopes.set(values[missionColumn], (summaryScopes.get(values[missionColumn]) ?? new Set()).add(values[header.length - 1]));
      }
      expect(summaryScopes).toEqual(new Map([[core, new Set(['Core indicators'])], [full, new Set(['Full'])]]));
      const answers = records(workbook.getWorksheet('preservation-demo') as ExcelJS.Worksheet);
      expect(answers.filter((r) => r.mission_id === core).map((r) => r.mission_scope)).toEqual(answers.filter((r) => r.mission_id === core).map(() => 'Core indicators'));
      expect(answers.filter((r) => r.mission_id === full).every((r) => r.mission_scope === 'Full')).toBe(true);

      const json = JSON.parse((await exportFile(s.db, v1, { scope: { kind: 'all' }, format: 'json', language: 'en', marking: 'x' })).body.toString('utf8')) as { missions: { id: number; scope: string; assessments: { rows: { missionScope: string }[] }[] }[] };
      expect(json.missions.map((m) => [m.id, m.scope])).toEqual([[core, 'core'], [full, 'full']].sort((a, b) => Number(a[0]) - Number(b[0])));
      for (const mission of json.missions) expect(mission.assessments.flatMap((a) => a.rows.map((r) => r.missionScope))).toEqual(mission.assessments.flatMap((a) => a.rows.map(() => mission.scope)));
    });
  });

  describe('JSON export', () => {
    it('holds the full model: missions, scores, every row with raw values and both languages', async () => {
      const { s, missionId } = await seeded();
      await recordSnapshots(s.db, v2.questionnaires);
      const file = await exportFile(s.db, v2, { scope: { kind: 'all' }, format: 'json', language: 'en', marking: 'x' });
      const model = JSON.parse(file.body.toString('utf8')) as { format: string; missions: { id: number; score: { score: number }; assessments: { score: { questions: unknown[] }; counts: unknown; rows: Record<string, unknown>[] }[] }[] };
      expect(model.format).toBe('ena-export');
      expect(model.missions.map((m) => m.id)).toEqual([missionId]);
      const assessment = model.missions[0]?.assessments[0];
      expect(assessment?.counts).toEqual({ retired: 1, invalid: 0, openConflicts: 0 });
      expect(assessment?.rows.find((r) => r.questionId === 'preservation-days')).toMatchObject({ status: 'retired', value: 14, questionText: { en: 'Median days to obtain preservation', ru: 'Медианный срок обеспечения сохранности (дней)' } });
      expect(assessment?.rows.find((r) => r.questionId === 'preservation-power')).toMatchObject({ status: 'answered', level: 2, score: 0.5, target: 3, gap: 1, sectionTitle: { en: 'Procedural powers', ru: 'Процессуальные полномочия' } });
      expect(assessment?.rows.some((r) => 'question' in r)).toBe(false);
    });

    it('says which country or mission was not found', async () => {
      const { s } = await seeded();
      await expect(exportFile(s.db, v1, { scope: { kind: 'country', code: 'KG' }, format: 'json', language: 'en', marking: 'x' })).rejects.toThrow('Country KG was not found.');
      await expect(exportFile(s.db, v1, { scope: { kind: 'mission', id: 999 }, format: 'json', language: 'en', marking: 'x' })).rejects.toThrow('Mission 999 was not found.');
    });
  });
});
