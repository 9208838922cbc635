/**
 * Building blocks shared by the country, regional and progress report models. Pure: strings come from
 * the one i18n lookup (an in-memory table), everything else from the input.
 */
import { translator, type Language } from '../../i18n/i18n.js';
import type { AnswerValue } from '../../questionnaire/answerValue.js';
import { isSpecial } from '../../questionnaire/answerValue.js';
import { resolveSee, type Catalogue, type Questionnaire } from '../../questionnaire/model.js';
import type { Bilingual, Question } from '../../questionnaire/schema.js';
import type { Institution, Priority, Timeframe, Unit } from '../../questionnaire/vocabulary.js';
import { orderRecommendations, type RankedRecommendation } from '../../scoring/recommendations.js';
import type { QuestionScore } from '../../scoring/score.js';
import type { Marking, MissionInput, ReportAnswer, ReportLanguage } from '../input.js';

/** A text in both languages; the template prints the one(s) the report is in. */
export type Text = Bilingual;

/** Free text written by a person in one language: printed as written, labelled with its language. */
export interface FreeText {
  text: string;
  language: Language;
}

const en = translator('en');
const ru = translator('ru');

type Param = string | number | Text;
const paramIn = (params: Record<string, Param>, language: Language): Record<string, string | number> =>
  Object.fromEntries(Object.entries(params).map(([name, value]) => [name, typeof value === 'object' ? value[language] : value]));

/** A static string from the i18n tables in both languages; a Text parameter is used in its own language. */
export function both(key: string, params: Record<string, Param> = {}): Text {
  return { en: en(key, paramIn(params, 'en')), ru: ru(key, paramIn(params, 'ru')) };
}

export const same = (text: string): Text => ({ en: text, ru: text });

export function markingText(marking: Marking): Text {
  return typeof marking === 'string' ? same(marking) : marking;
}

/** Most Cyrillic letters → Russian; used only when the writer's language was not recorded. */
export function detectLanguage(text: string): Language {
  const cyrillic = (text.match(/[\u0400-\u04FF]/g) ?? []).length;
  const latin = (text.match(/[A-Za-z]/g) ?? []).length;
  return cyrillic > latin ? 'ru' : 'en';
}

export function freeText(text: string | undefined, language?: Language): FreeText | null {
  if (text === undefined || text.trim() === '') return null;
  return { text, language: language ?? detectLanguage(text) };
}

// ---------- Scores ----------

export interface ScoreView {
  /** 0–100, rounded; null when nothing was answered. */
  percent: number | null;
  /** The score on the 0–4 level scale, one decimal. */
  level: number | null;
  /** Label of the maturity level the score reaches, from the catalogue's `maturity` scale. */
  label: Text | null;
  /** 0–4: colour band for charts and heat maps. */
  band: number | null;
}

export const TOP_LEVEL = 4;

export function scoreView(score: number | null, catalogue: Pick<Catalogue, 'scales'>): ScoreView {
  if (score === null) return { percent: null, level: null, label: null, band: null };
  const level = Math.round(score * TOP_LEVEL * 10) / 10;
  const floor = Math.min(TOP_LEVEL, Math.floor(score * TOP_LEVEL + 1e-9));
  const label = catalogue.scales.get('maturity')?.levels.find((entry) => entry.level === floor)?.label ?? null;
  return { percent: Math.round(score * 100), level, label, band: floor };
}

// ---------- Vocabulary ----------

export const institutionText = (institution: Institution): Text => both(`vocabulary:institution.${institution}`);
export const priorityText = (priority: Priority): Text => both(`vocabulary:priority.${priority}`);

export interface ReferenceView {
  id: string;
  label: Text;
  title: Text;
}

export function referenceViews(ids: readonly string[], catalogue: Pick<Catalogue, 'references'>): ReferenceView[] {
  return ids.map((id) => {
    const reference = catalogue.references.get(id);
    return reference ? { id, label: reference.label, title: reference.title } : { id, label: same(id), title: same(id) };
  });
}

// ---------- Numbering and titles ----------

/** "2.3.4": area 2, section 3, question 4, so a gap, a recommendation and the annex point at one another. */
export function questionNumbers(areaNumber: number, questionnaire: Questionnaire): Map<string, string> {
  const numbers = new Map<string, string>();
  questionnaire.sections.forEach((section, s) => {
    section.questions.forEach((question, q) => numbers.set(question.id, `${areaNumber}.${s + 1}.${q + 1}`));
  });
  return numbers;
}

export const areaTitle = (questionnaire: Questionnaire): Text => questionnaire.short_title ?? questionnaire.title;

export function sectionTitle(questionnaire: Questionnaire, sectionId: string): Text {
  return questionnaire.sections.find((section) => section.id === sectionId)?.title ?? same(sectionId);
}

// ---------- Answers ----------

export type AnswerDisplay =
  | { kind: 'text'; text: Text }
  | { kind: 'free'; free: FreeText }
  | { kind: 'list'; items: Text[] }
  | { kind: 'rows'; rows: AlignmentRowView[] }
  | { kind: 'none'; text: Text };

export interface AlignmentRowView {
  label: Text;
  status: string;
  statusText: Text;
  provision: FreeText | null;
  note: FreeText | null;
  references: ReferenceView[];
  /** Scored in another indicator (`see:`): the row is shown for reference and does not count here. */
  see: Text | null;
}

/** "Scored in: area › question" for a `see:` reference, resolved among the mission's questionnaires. */
export function seeView(ref: string | undefined, from: Questionnaire, all: readonly Questionnaire[]): Text | null {
  if (ref === undefined) return null;
  const target = resolveSee(ref, from, all);
  if (!target) return both('report:annex.seeElsewhere', { where: ref });
  const area = areaTitle(target.questionnaire);
  const question = target.placed.question.text;
  return { en: both('report:annex.seeElsewhere', { where: `${area.en} › ${question.en}` }).en, ru: both('report:annex.seeElsewhere', { where: `${area.ru} › ${question.ru}` }).ru };
}

// Made once: constructing an Intl.NumberFormat costs ~0.1 ms, formatting with one almost nothing.
const numberFormats = { en: new Intl.NumberFormat('en-GB'), ru: new Intl.NumberFormat('ru-RU') };

function formatNumber(value: number, unit: Unit | undefined): Text {
  const enNumber = numberFormats.en.format(value);
  const ruNumber = numberFormats.ru.format(value);
  if (!unit) return { en: enNumber, ru: ruNumber };
  // Plural forms from the locale files: «1 день», «24 часа», «25 дней»; the count is then replaced by the formatted number.
  return { en: en(`vocabulary:unit.${unit}`, { count: value }).replace(String(value), enNumber), ru: ru(`vocabulary:unit.${unit}`, { count: value }).replace(String(value), ruNumber) };
}

export function alignmentRows(question: Extract<Question, { type: 'alignment_table' }>, value: AnswerValue | undefined, catalogue: Pick<Catalogue, 'references'>, see: (ref: string | undefined) => Text | null = () => null): AlignmentRowView[] {
  const rows = value !== undefined && typeof value === 'object' && !Array.isArray(value) ? value.rows : {};
  return question.rows.map((row) => {
    const answer = rows[row.id];
    const status = answer?.status ?? 'unknown';
    return {
      label: row.label,
      status,
      statusText: both(`vocabulary:alignment.${status}`),
      provision: freeText(answer?.provision),
      note: freeText(answer?.note),
      references: referenceViews(row.references ?? [], catalogue),
      see: see(row.see),
    };
  });
}

/** How an answer reads in a report: option labels, numbers with units, table rows, or the expert's text. */
export function answerDisplay(question: Question, answer: ReportAnswer | undefined, catalogue: Catalogue): AnswerDisplay {
  const value = answer?.value;
  if (value === undefined) return { kind: 'none', text: both('vocabulary:status.unanswered') };
  if (isSpecial(value)) return { kind: 'text', text: both(`vocabulary:special.${value}`) };
  switch (question.type) {
    case 'maturity': {
      const level = typeof value === 'number' ? value : null;
      if (level === null) break;
      const scaleLabel = catalogue.scales.get(question.scale)?.levels.find((entry) => entry.level === level)?.label;
      const own = question.levels?.[String(level)];
      const described = own ?? scaleLabel;
      return { kind: 'text', text: described ? { en: `${level} — ${described.en}`, ru: `${level} — ${described.ru}` } : same(String(level)) };
    }
    case 'yes_partial_no':
      return { kind: 'text', text: both(`vocabulary:yesPartialNo.${String(value)}`) };
    case 'single_choice': {
      const option = question.options.find((candidate) => candidate.id === value);
      return { kind: 'text', text: option?.label ?? same(String(value)) };
    }
    case 'multiple_choice': {
      if (!Array.isArray(value)) break;
      const items = question.options.filter((option) => value.includes(option.id)).map((option) => option.label);
      return items.length > 0 ? { kind: 'list', items } : { kind: 'text', text: both('report:answer.noneSelected') };
    }
    case 'number':
      if (typeof value === 'number') return { kind: 'text', text: formatNumber(value, question.unit) };
      break;
    case 'alignment_table':
      return { kind: 'rows', rows: alignmentRows(question, value, catalogue) };
    case 'date':
      return { kind: 'text', text: same(String(value)) };
    case 'text': {
      // The answer's own language is not recorded (noteLanguage is the note's): tell it from the script.
      const free = freeText(String(value));
      return free ? { kind: 'free', free } : { kind: 'none', text: both('vocabulary:status.unanswered') };
    }
  }
  return { kind: 'text', text: same(JSON.stringify(value)) };
}

// ---------- Recommendations ----------

export interface RecommendationView {
  rank: number;
  /** Identifies the recommendation across missions and countries. */
  key: string;
  text: Text;
  priority: Priority;
  priorityText: Text;
  timeframe: Timeframe;
  timeframeText: Text;
  /** Vocabulary ids of the institutions responsible (the report draft keeps them). */
  institutions: string[];
  responsible: Text[];
  /** The question it answers, as questionnaireId/questionId; empty for a custom recommendation with none. */
  indicators: string[];
  references: ReferenceView[];
  questionNumber: string;
  questionText: Text;
  areaTitle: Text;
  critical: boolean;
  level: number | null;
  target: number;
}

export const recommendationKey = (ranked: RankedRecommendation): string => `${ranked.questionnaireId}/${ranked.question.id}/${ranked.recommendation.text.en}`;

export function recommendationView(ranked: RankedRecommendation, rank: number, numbers: ReadonlyMap<string, string>, area: Text, catalogue: Catalogue): RecommendationView {
  const { recommendation, question, score } = ranked;
  return {
    rank,
    key: recommendationKey(ranked),
    text: recommendation.text,
    priority: recommendation.priority,
    priorityText: priorityText(recommendation.priority),
    timeframe: recommendation.timeframe,
    timeframeText: both(`vocabulary:timeframe.${recommendation.timeframe}`),
    institutions: [...recommendation.responsible],
    responsible: recommendation.responsible.map(institutionText),
    indicators: [`${ranked.questionnaireId}/${question.id}`],
    references: referenceViews(question.references, catalogue),
    questionNumber: numbers.get(question.id) ?? question.id,
    questionText: question.text,
    areaTitle: area,
    critical: score.critical,
    level: score.level === null ? null : Math.round(score.level * 10) / 10,
    target: score.target,
  };
}

/**
 * Orders recommendations from several areas the way rankRecommendations orders them inside one
 * area (critical, then weight × gap, then own priority), keeping each area's order for ties.
 */
export function mergeRanked(lists: readonly (readonly RankedRecommendation[])[]): RankedRecommendation[] {
  const areas = Math.max(1, lists.length);
  const indexed = lists.flatMap((list, area) => list.map((item, position) => ({ ...item, rankOrder: position * areas + area })));
  return orderRecommendations(indexed, (item) => item.rankOrder).map(({ rankOrder: _rankOrder, ...item }) => item);
}

// ---------- Document ----------

export interface TocEntry {
  anchor: string;
  title: Text;
  level: 1 | 2;
  /** "3" or "3.2": printed before the title. */
  number: string;
}

export interface MissionView {
  id: string;
  title: string;
  startsOn: string;
  endsOn: string;
  isDemo: boolean;
}

export const missionView = (mission: MissionInput): MissionView => ({
  id: mission.id, title: mission.title, startsOn: mission.startsOn, endsOn: mission.endsOn, isDemo: mission.isDemo,
});

/** What the page frame needs: header, footer, metadata. */
export interface DocumentMeta {
  kind: 'country' | 'regional' | 'progress';
  /** Document title (PDF metadata and running header). */
  title: Text;
  marking: Text;
  demo: boolean;
  projectName: Text;
  /** ISO timestamp. */
  generatedAt: string;
  dataRevision: string;
  language: ReportLanguage;
  /** Printed on every page: a draft, an approved version with its date, or an approved version this render is not; null outside the report workspace. */
  status: ReportStatus | null;
}

export type ReportStatus =
  | { kind: 'draft'; revision: number }
  | { kind: 'final'; version: number; approvedAt: string }
  /**
   * The draft is approved, but this render is not of what was approved: the data, the draft or the
   * installed questionnaires moved since. It may not print the approval as its own (src/report/draft/status.ts).
   */
  | { kind: 'changed'; version: number; approvedAt: string; approvedDataRevision: string; change: 'data' | 'draft' | 'questionnaires' };

export function documentMeta(kind: DocumentMeta['kind'], title: Text, context: { marking: Marking; projectName?: Bilingual | undefined; generatedAt: Date; dataRevision: string }, demo: boolean, language: ReportLanguage): DocumentMeta {
  return {
    kind,
    title,
    marking: markingText(context.marking),
    demo,
    projectName: context.projectName ?? both('report:project.name'),
    generatedAt: context.generatedAt.toISOString(),
    dataRevision: context.dataRevision,
    language,
    status: null,
  };
}

/** Scored answers that claim a level, for tables: rounded to one decimal. */
export const roundedLevel = (score: QuestionScore): number | null => (score.level === null ? null : Math.round(score.level * 10) / 10);

/**
 * The marking from configuration (ENA_REPORT_MARKING). The default, "For official use", has an
 * established Russian equivalent and is printed in both; any other marking is printed as configured.
 */
export function configuredMarking(configured: string): Marking {
  const standard = both('report:marking.default');
  return configured.trim().toLowerCase() === standard.en.toLowerCase() ? standard : configured;
}
