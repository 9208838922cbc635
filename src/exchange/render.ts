/**
 * The export model written as XLSX (exceljs), CSV (exceljs's CSV writer, UTF-8 with BOM) or JSON.
 *
 * XLSX: a summary sheet, then one sheet per questionnaire named by its id; on each, row 1 names what the
 * sheet holds and row 2 holds the column headers; both stay frozen while scrolling, with a filter on the
 * headers. CSV: every answer row of every questionnaire in one table with the same columns (the CSV has
 * no summary: use XLSX or JSON for that). JSON: the whole model.
 */
import type ExcelJS from 'exceljs';
import { translator, type Language } from '../i18n/i18n.js';
import type { Catalogue } from '../questionnaire/model.js';
import { ANSWER_COLUMNS, SUMMARY_COLUMNS, summaryRows, type Cell, type CellFormat, type Column, type LabelContext } from './columns.js';
import { rowsOf, type ExportModel } from './exportModel.js';

import type { ExportFormat } from './formats.js';

export { EXPORT_FORMATS, type ExportFormat } from './formats.js';

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

export interface RenderOptions {
  /** Language of headers, sheet names and status labels; question and answer labels come in both. */
  language: Language;
  catalogue: Pick<Catalogue, 'scales'>;
  /** The marking printed in the summary title (ENA_REPORT_MARKING). */
  marking: string;
  /**
   * CSV separator. "," with a decimal point (the default), or ";" with a decimal comma, which is what
   * Excel expects when the computer's list separator is ";" (Russian and most European settings).
   */
  csvSeparator?: ',' | ';';
}

function labelContext(options: RenderOptions): LabelContext {
  return { language: options.language, t: translator(options.language), en: translator('en'), ru: translator('ru'), catalogue: options.catalogue };
}

function scopeLabel(model: ExportModel, ctx: LabelContext): string {
  const { scope } = model;
  if (scope.kind === 'all') return ctx.t('exchange:scope.all');
  if (scope.kind === 'country') {
    const country = model.missions.find((m) => m.country.code === scope.code)?.country;
    return ctx.t('exchange:scope.country', { name: country?.name[ctx.language] ?? scope.code, code: scope.code });
  }
  return ctx.t('exchange:scope.mission', { id: scope.id, title: model.missions[0]?.title ?? '' });
}

// ---------- XLSX ----------

const NUMBER_FORMATS: Partial<Record<CellFormat, string>> = { integer: '0', decimal: '0.##', fraction: '0%' };
const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE7ECF3' } };

/** Excel's rules: at most 31 characters, none of : \ / ? * [ ], unique regardless of case. */
export function sheetName(wanted: string, taken: Set<string>): string {
  const clean = wanted.replace(/[:\\/?*[\]]/g, '-').slice(0, 31) || 'sheet';
  let name = clean;
  for (let n = 2; taken.has(name.toLowerCase()); n += 1) name = `${clean.slice(0, 31 - String(n).length - 1)}~${n}`;
  taken.add(name.toLowerCase());
  return name;
}

function addTable<R>(workbook: ExcelJS.Workbook, name: string, title: string, group: 'column' | 'summaryColumn', columns: readonly Column<R>[], rows: readonly R[], ctx: LabelContext): ExcelJS.Worksheet {
  const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', xSplit: 0, ySplit: 2, topLeftCell: 'A3', activeCell: 'A3' }] });
  sheet.columns = columns.map((column) => ({ key: column.key, width: column.width, style: NUMBER_FORMATS[column.format] ? { numFmt: NUMBER_FORMATS[column.format] } : {} }));
  const titleRow = sheet.getRow(1);
  titleRow.getCell(1).value = title;
  titleRow.font = { bold: true, size: 13 };
  const header = sheet.getRow(2);
  columns.forEach((column, i) => {
    header.getCell(i + 1).value = ctx.t(`exchange:${group}.${column.key}`);
  });
  header.font = { bold: true };
  header.alignment = { vertical: 'top', wrapText: true };
  header.height = 30;
  header.eachCell((cell) => {
    cell.fill = HEADER_FILL;
  });
  for (const row of rows) sheet.addRow(columns.map((column) => column.get(row, ctx)));
  sheet.autoFilter = { from: { row: 2, column: 1 }, to: { row: 2, column: columns.length } };
  return sheet;
}

/** exceljs is loaded on the first export, not when the server or the command line starts (~0.3 s of loading). */
async function newWorkbook(): Promise<ExcelJS.Workbook> {
  const { default: excel } = await import('exceljs');
  return new excel.Workbook();
}

export async function renderXlsx(model: ExportModel, options: RenderOptions): Promise<Buffer> {
  const ctx = labelContext(options);
  const workbook = await newWorkbook();
  workbook.creator = 'ENA';
  workbook.created = new Date(model.generatedAt);
  const taken = new Set<string>();
  const title = `${ctx.t('exchange:title.summary', { scope: scopeLabel(model, ctx), date: model.generatedAt.slice(0, 10) })}. ${ctx.t('exchange:title.marking', { marking: options.marking })}`;
  addTable(workbook, sheetName(ctx.t('exchange:sheet.summary'), taken), title, 'summaryColumn', SUMMARY_COLUMNS, summaryRows(model, options.language, ctx.t), ctx);
  for (const questionnaire of model.questionnaires) {
    const heading = questionnaire.title && questionnaire.version !== null
      ? ctx.t('exchange:title.questionnaire', { title: `${questionnaire.title.en} / ${questionnaire.title.ru}`, version: questionnaire.version })
      : ctx.t('exchange:title.retiredQuestionnaire', { id: questionnaire.id });
    addTable(workbook, sheetName(questionnaire.id, taken), heading, 'column', ANSWER_COLUMNS, rowsOf(model, questionnaire.id), ctx);
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

// ---------- CSV ----------

/**
 * A spreadsheet runs a cell that starts with = + - @ (or a tab or carriage return) as a formula, so a
 * note typed as "=HYPERLINK(…)" would become a live link. Such text gets a leading apostrophe, the
 * OWASP advice for CSV injection; numbers stay numbers.
 */
export function neutraliseFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

function csvCell(value: Cell, decimalComma: boolean): string {
  if (value === null) return '';
  if (typeof value === 'number') {
    const text = String(Math.round(value * 10_000) / 10_000);
    return decimalComma ? text.replace('.', ',') : text;
  }
  return neutraliseFormula(value);
}

export async function renderCsv(model: ExportModel, options: RenderOptions): Promise<Buffer> {
  const ctx = labelContext(options);
  const separator = options.csvSeparator ?? ',';
  const decimalComma = separator === ';';
  const workbook = await newWorkbook();
  const sheet = workbook.addWorksheet('answers');
  // Every cell is written as finished text, so the CSV writer only quotes and joins.
  sheet.addRow(ANSWER_COLUMNS.map((column) => ctx.t(`exchange:column.${column.key}`)));
  for (const questionnaire of model.questionnaires) {
    for (const row of rowsOf(model, questionnaire.id)) sheet.addRow(ANSWER_COLUMNS.map((column) => csvCell(column.get(row, ctx), decimalComma)));
  }
  const buffer = await workbook.csv.writeBuffer({
    sheetName: 'answers',
    includeEmptyRows: false,
    map: (value: unknown) => (value === null || value === undefined ? '' : value),
    formatterOptions: { delimiter: separator, rowDelimiter: '\r\n', writeBOM: true, quoteColumns: true, quoteHeaders: true, includeEndRowDelimiter: true },
  });
  return Buffer.from(buffer);
}

// ---------- JSON ----------

/** The model as JSON, without the question objects the labels were made from (the questionnaires hold them). */
export function renderJson(model: ExportModel): Buffer {
  const plain = {
    ...model,
    missions: model.missions.map((mission) => ({
      ...mission,
      assessments: mission.assessments.map((assessment) => ({ ...assessment, rows: assessment.rows.map(({ question: _question, ...row }) => row) })),
    })),
  };
  return Buffer.from(`${JSON.stringify(plain, null, 2)}\n`, 'utf8');
}

export async function renderExport(model: ExportModel, format: ExportFormat, options: RenderOptions): Promise<Buffer> {
  switch (format) {
    case 'xlsx': return renderXlsx(model, options);
    case 'csv': return renderCsv(model, options);
    case 'json': return renderJson(model);
  }
}
