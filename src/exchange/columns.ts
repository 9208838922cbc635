/**
 * The columns of the answer sheets and of the CSV, in one fixed list: the same columns, in the same
 * order, for every questionnaire and every version. Headers come from the exchange i18n namespace in
 * the chosen language; labels of questions and answers are given in both languages side by side.
 */
import type { TFunction } from 'i18next';
import type { Catalogue } from '../questionnaire/model.js';
import type { ExportMission, ExportModel, ExportRow } from './exportModel.js';
import { valueLabel } from './valueLabels.js';

export type Cell = string | number | null;
export type CellFormat = 'text' | 'integer' | 'decimal' | 'fraction' | 'longText';

export interface LabelContext {
  /** The language of the headers and status labels. */
  language: 'en' | 'ru';
  /** Translator in that language. */
  t: TFunction;
  en: TFunction;
  ru: TFunction;
  catalogue: Pick<Catalogue, 'scales'>;
}

export interface Column<R> {
  key: string;
  width: number;
  format: CellFormat;
  get(row: R, ctx: LabelContext): Cell;
}

const yesNo = (value: boolean | null, ctx: LabelContext): Cell => (value === null ? null : ctx.t(`exchange:boolean.${value ? 'yes' : 'no'}`));

function statusLabel(row: ExportRow, ctx: LabelContext): string {
  return row.status === 'retired' || row.status === 'invalid' ? ctx.t(`exchange:status.${row.status}`) : ctx.t(`vocabulary:status.${row.status}`);
}

function label(row: ExportRow, language: 'en' | 'ru', ctx: LabelContext): Cell {
  return row.value === null ? null : valueLabel(row.question, row.value, language, ctx[language], ctx.catalogue);
}

export const ANSWER_COLUMNS: readonly Column<ExportRow>[] = [
  { key: 'country_code', width: 8, format: 'text', get: (r) => r.countryCode },
  { key: 'country_en', width: 16, format: 'text', get: (r) => r.countryName.en },
  { key: 'country_ru', width: 16, format: 'text', get: (r) => r.countryName.ru },
  { key: 'mission_id', width: 8, format: 'integer', get: (r) => r.missionId },
  { key: 'mission_title', width: 28, format: 'text', get: (r) => r.missionTitle },
  { key: 'questionnaire_id', width: 22, format: 'text', get: (r) => r.questionnaireId },
  { key: 'pinned_version', width: 10, format: 'integer', get: (r) => r.pinnedVersion },
  { key: 'current_version', width: 10, format: 'integer', get: (r) => r.currentVersion },
  { key: 'section_id', width: 18, format: 'text', get: (r) => r.sectionId },
  { key: 'section_en', width: 24, format: 'text', get: (r) => r.sectionTitle?.en ?? null },
  { key: 'section_ru', width: 24, format: 'text', get: (r) => r.sectionTitle?.ru ?? null },
  { key: 'question_id', width: 26, format: 'text', get: (r) => r.questionId },
  { key: 'question_en', width: 50, format: 'longText', get: (r) => r.questionText?.en ?? null },
  { key: 'question_ru', width: 50, format: 'longText', get: (r) => r.questionText?.ru ?? null },
  { key: 'question_type', width: 16, format: 'text', get: (r, c) => (r.questionType ? c.t(`vocabulary:questionType.${r.questionType}`) : null) },
  { key: 'weight', width: 7, format: 'integer', get: (r) => r.weight },
  { key: 'critical', width: 9, format: 'text', get: (r, c) => yesNo(r.critical, c) },
  { key: 'status', width: 16, format: 'text', get: statusLabel },
  { key: 'value', width: 16, format: 'text', get: (r) => r.rawValue },
  { key: 'value_en', width: 30, format: 'longText', get: (r, c) => label(r, 'en', c) },
  { key: 'value_ru', width: 30, format: 'longText', get: (r, c) => label(r, 'ru', c) },
  { key: 'evidence', width: 16, format: 'text', get: (r, c) => (r.evidence ? c.t(`vocabulary:evidence.${r.evidence}`) : null) },
  { key: 'level', width: 7, format: 'decimal', get: (r) => r.level },
  { key: 'max_level', width: 7, format: 'integer', get: (r) => r.maxLevel },
  { key: 'score', width: 8, format: 'fraction', get: (r) => r.score },
  { key: 'target', width: 7, format: 'integer', get: (r) => r.target },
  { key: 'gap', width: 7, format: 'decimal', get: (r) => r.gap },
  { key: 'priority', width: 9, format: 'decimal', get: (r) => r.priority },
  { key: 'undocumented', width: 12, format: 'text', get: (r, c) => yesNo(r.undocumented, c) },
  { key: 'note', width: 40, format: 'longText', get: (r) => r.note },
  { key: 'source', width: 24, format: 'longText', get: (r) => r.source },
  { key: 'revision', width: 8, format: 'integer', get: (r) => r.revision },
  { key: 'author_email', width: 24, format: 'text', get: (r) => r.authorEmail },
  { key: 'author_name', width: 20, format: 'text', get: (r) => r.authorName },
  { key: 'updated_at', width: 22, format: 'text', get: (r) => r.updatedAt },
  // Added after the first release: at the end, so no earlier column moves for scripts that read by position.
  { key: 'mission_scope', width: 18, format: 'text', get: (r, c) => c.t(`exchange:missionScope.${r.missionScope}`) },
];

/** One summary line: a mission's questionnaire, or (questionnaireId null) all its areas together. */
export interface SummaryRow {
  mission: ExportMission;
  questionnaireId: string | null;
  title: string | null;
  pinnedVersion: number | null;
  currentVersion: number | null;
  score: number | null;
  answered: number;
  applicable: number;
  unknowns: number;
  retired: number | null;
  invalid: number | null;
  openConflicts: number | null;
}

export function summaryRows(model: ExportModel, language: 'en' | 'ru', t: TFunction): SummaryRow[] {
  const titles = new Map(model.questionnaires.map((q) => [q.id, q.title?.[language] ?? null]));
  return model.missions.flatMap((mission) => [
    ...mission.assessments.map((a): SummaryRow => ({
      mission, questionnaireId: a.questionnaireId, title: titles.get(a.questionnaireId) ?? null, pinnedVersion: a.pinnedVersion, currentVersion: a.currentVersion,
      score: a.score?.score ?? null, answered: a.score?.coverage.answered ?? 0, applicable: a.score?.coverage.applicable ?? 0, unknowns: a.score?.unknowns.length ?? 0,
      retired: a.counts.retired, invalid: a.counts.invalid, openConflicts: a.counts.openConflicts,
    })),
    {
      mission, questionnaireId: null, title: t('exchange:allAreas'), pinnedVersion: null, currentVersion: null, score: mission.score.score,
      answered: mission.score.coverage.answered, applicable: mission.score.coverage.applicable, unknowns: mission.score.unknowns.length,
      retired: mission.assessments.reduce((n, a) => n + a.counts.retired, 0), invalid: mission.assessments.reduce((n, a) => n + a.counts.invalid, 0),
      openConflicts: mission.assessments.reduce((n, a) => n + a.counts.openConflicts, 0),
    },
  ]);
}

export const SUMMARY_COLUMNS: readonly Column<SummaryRow>[] = [
  { key: 'country_code', width: 8, format: 'text', get: (r) => r.mission.country.code },
  { key: 'country', width: 18, format: 'text', get: (r, c) => r.mission.country.name[c.language] },
  { key: 'mission_id', width: 8, format: 'integer', get: (r) => r.mission.id },
  { key: 'mission_title', width: 30, format: 'text', get: (r) => r.mission.title },
  { key: 'starts_on', width: 11, format: 'text', get: (r) => r.mission.startsOn },
  { key: 'ends_on', width: 11, format: 'text', get: (r) => r.mission.endsOn },
  { key: 'mission_status', width: 14, format: 'text', get: (r, c) => c.t(`exchange:missionStatus.${r.mission.status}`) },
  { key: 'demo', width: 10, format: 'text', get: (r, c) => yesNo(r.mission.isDemo, c) },
  { key: 'questionnaire_id', width: 24, format: 'text', get: (r) => r.questionnaireId },
  { key: 'questionnaire', width: 36, format: 'text', get: (r) => r.title },
  { key: 'pinned_version', width: 10, format: 'integer', get: (r) => r.pinnedVersion },
  { key: 'current_version', width: 10, format: 'integer', get: (r) => r.currentVersion },
  { key: 'score', width: 9, format: 'fraction', get: (r) => r.score },
  { key: 'answered', width: 9, format: 'integer', get: (r) => r.answered },
  { key: 'applicable', width: 10, format: 'integer', get: (r) => r.applicable },
  { key: 'unknowns', width: 10, format: 'integer', get: (r) => r.unknowns },
  { key: 'retired', width: 12, format: 'integer', get: (r) => r.retired },
  { key: 'invalid', width: 12, format: 'integer', get: (r) => r.invalid },
  { key: 'open_conflicts', width: 12, format: 'integer', get: (r) => r.openConflicts },
  // Added after the first release, at the end like mission_scope of the answer columns.
  { key: 'mission_scope', width: 18, format: 'text', get: (r, c) => c.t(`exchange:missionScope.${r.mission.scope}`) },
];
