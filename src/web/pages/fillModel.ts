/**
 * The fill-in page as plain data for templates/pages/fill.hbs: every question with its controls,
 * descriptors, help and current answer, sections with progress, and the client model for the bundle.
 * Pure: the route loads the questionnaire and answers, this turns them into what the template shows.
 */
import { ROLES } from '../../storage/schema.js';
import type { Translate } from './translate.js';
import { visibleQuestions } from '../../conditions/evaluate.js';
import type { Language } from '../../i18n/i18n.js';
import type { AlignmentAnswer, AnswerValue } from '../../questionnaire/answerValue.js';
import { resolveSee, type Catalogue, type PlacedQuestion, type Questionnaire } from '../../questionnaire/model.js';
import { isScored, type Bilingual, type Question, type SectionDoc } from '../../questionnaire/schema.js';
import { ALIGNMENT_STATUSES, EVIDENCE_LEVELS, NOT_APPLICABLE, UNKNOWN, YES_PARTIAL_NO, type EvidenceLevel, type Unit } from '../../questionnaire/vocabulary.js';
import { dottedDate, fieldName } from '../client/answerFields.js';
import type { ClientModel, ClientQuestion, UnitForms } from '../client/clientModel.js';
import { fillProgress, type Progress } from '../../assessment/progress.js';

/** What the page needs of a stored answer. */
export interface StoredAnswer {
  value: AnswerValue;
  note: string | null;
  source: string | null;
  evidence: EvidenceLevel | null;
  revision: number;
  updatedAt: string;
  authorName?: string | null;
}

export interface Choice {
  inputId: string;
  name: string;
  value: string;
  label: string;
  descriptor?: string;
  checked: boolean;
  special?: boolean;
}

export interface RowView {
  id: string;
  label: string;
  see: string | null;
  references: string[];
  statusName: string;
  statusId: string;
  statuses: { value: string; label: string; selected: boolean }[];
  provisionName: string;
  provisionId: string;
  provision: string;
  noteName: string;
  noteId: string;
  note: string;
}

export interface QuestionView {
  id: string;
  /** "Scored in: area › question": the indicator that scores this fact (`see:`), or null. */
  see: string | null;
  number: string;
  type: Question['type'];
  typeLabel: string;
  text: string;
  help: string;
  ask: string[];
  scored: boolean;
  critical: boolean;
  required: boolean;
  weight: number | null;
  target: number | null;
  conditional: boolean;
  visible: boolean;
  revision: number;
  revisionName: string;
  answered: boolean;
  updatedAt: string | null;
  authorName: string | null;
  references: { label: string; title: string }[];
  /** maturity, yes/partial/no, single choice: one radio group, unknown and not applicable included. */
  radios?: Choice[];
  /** multiple choice options. */
  checkboxes?: Choice[];
  /** unknown / not applicable for types whose own control is not a radio group. */
  specials?: Choice[];
  numberInput?: { inputId: string; name: string; value: string; min: number | null; max: number | null; unit: string | null };
  dateInput?: { inputId: string; name: string; value: string; text: boolean };
  textInput?: { inputId: string; name: string; value: string; multiline: boolean };
  rows?: RowView[];
  note: { inputId: string; name: string; value: string };
  source: { inputId: string; name: string; value: string };
  evidence: Choice[];
}

export interface SectionView {
  id: string;
  number: number;
  title: string;
  description: string | null;
  conditional: boolean;
  visible: boolean;
  progress: Progress;
  questions: QuestionView[];
}

export interface FillPage {
  questionnaire: { id: string; version: number; title: string; description: string };
  sections: SectionView[];
  progress: Progress;
  clientModel: ClientModel;
}

export interface FillInput {
  /** Already scoped to the mission (scopedQuestionnaire): out-of-scope questions are not shown. */
  questionnaire: Questionnaire;
  /** Every installed questionnaire: resolves `see:` cross-references into other areas. */
  questionnaires?: readonly Questionnaire[];
  catalogue: Catalogue;
  answers: ReadonlyMap<string, StoredAnswer>;
  language: Language;
  t: Translate;
}

const pick = (text: Bilingual, language: Language): string => text[language];

function choice(question: Question, value: string, label: string, checked: boolean, extra: Partial<Choice> = {}): Choice {
  return { inputId: `q-${question.id}-v-${value}`, name: fieldName.value(question.id), value, label, checked, ...extra };
}

function specialChoices(question: Question, current: AnswerValue | undefined, t: Translate, name: string): Choice[] {
  return [UNKNOWN, NOT_APPLICABLE].map((value) => ({
    inputId: `q-${question.id}-s-${value}`,
    name,
    value,
    label: t(`web:answer.${value}`),
    checked: current === value,
    special: true,
  }));
}

/** Descriptors of a maturity question: its own `levels` first, the scale's otherwise. */
function maturityChoices(question: Extract<Question, { type: 'maturity' }>, input: FillInput, current: AnswerValue | undefined): Choice[] {
  const scale = input.catalogue.scales.get(question.scale);
  const levels = scale?.levels ?? [0, 1, 2, 3, 4].map((level) => ({ level, label: { en: String(level), ru: String(level) }, descriptor: undefined }));
  return levels.map((entry) => {
    const own = question.levels?.[String(entry.level)];
    const descriptor = own ?? entry.descriptor;
    return choice(question, String(entry.level), `${entry.level} — ${pick(entry.label, input.language)}`, current === entry.level,
      descriptor ? { descriptor: pick(descriptor, input.language) } : {});
  });
}

/** The indicator a `see:` reference names, in words: "Scored in: Legal framework › Is there …?". */
export function seeText(ref: string, input: FillInput): string {
  const target = resolveSee(ref, input.questionnaire, input.questionnaires ?? []);
  if (!target) return input.t('web:fill.seeElsewhere', { where: ref });
  const area = pick(target.questionnaire.short_title ?? target.questionnaire.title, input.language);
  return input.t('web:fill.seeElsewhere', { where: `${area} › ${pick(target.placed.question.text, input.language)}` });
}

const PLURAL_CATEGORIES: readonly Intl.LDMLPluralRule[] = ['zero', 'one', 'two', 'few', 'many', 'other'];

/** The unit's plural forms for the browser, with {{count}} left in place (i18next's own resources). */
function unitForms(unit: Unit, t: Translate, language: Language): UnitForms {
  const rules = new Intl.PluralRules(language);
  const forms: UnitForms['forms'] = {};
  // One sample number per category the language has, so i18next picks that category's form.
  for (const category of PLURAL_CATEGORIES) {
    const sample = [0, 1, 2, 3, 5, 11, 21, 22, 25, 101, 1.5].find((n) => rules.select(n) === category);
    if (sample !== undefined) forms[category] = t(`vocabulary:unit.${unit}`, { count: sample }).replace(String(sample), '{{count}}');
  }
  return { language, forms };
}

function rowViews(question: Extract<Question, { type: 'alignment_table' }>, input: FillInput, current: AnswerValue | undefined): RowView[] {
  const rows = current !== undefined && typeof current === 'object' && !Array.isArray(current) ? (current as AlignmentAnswer).rows : {};
  return question.rows.map((row) => {
    const answer = rows[row.id];
    return {
      id: row.id,
      label: pick(row.label, input.language),
      see: row.see === undefined ? null : seeText(row.see, input),
      references: (row.references ?? []).map((id) => referenceLabel(id, input)),
      statusName: fieldName.rowStatus(question.id, row.id),
      statusId: `q-${question.id}-r-${row.id}-status`,
      statuses: ['', ...ALIGNMENT_STATUSES].map((status) => ({
        value: status,
        label: status === '' ? '—' : input.t(`web:alignment.${status}`),
        selected: (answer?.status ?? '') === status,
      })),
      provisionName: fieldName.rowProvision(question.id, row.id),
      provisionId: `q-${question.id}-r-${row.id}-provision`,
      provision: answer?.provision ?? '',
      noteName: fieldName.rowNote(question.id, row.id),
      noteId: `q-${question.id}-r-${row.id}-note`,
      note: answer?.note ?? '',
    };
  });
}

function referenceLabel(id: string, input: FillInput): string {
  const reference = input.catalogue.references.get(id);
  return reference ? pick(reference.label, input.language) : id;
}

function questionView(placed: PlacedQuestion, number: string, input: FillInput, visible: boolean): QuestionView {
  const { question } = placed;
  const { t, language } = input;
  const stored = input.answers.get(question.id);
  const current = stored?.value;
  const scored = isScored(question);
  const view: QuestionView = {
    id: question.id,
    see: question.see === undefined ? null : seeText(question.see, input),
    number,
    type: question.type,
    typeLabel: t(`vocabulary:questionType.${question.type}`),
    text: pick(question.text, language),
    help: pick(question.help, language),
    ask: (question.ask ?? []).map((institution) => t(`vocabulary:institution.${institution}`)),
    scored,
    critical: scored && question.critical,
    required: question.required === true,
    weight: scored ? question.weight : null,
    target: scored ? question.target : null,
    conditional: question.show_if !== undefined || placed.section.show_if !== undefined,
    visible,
    revision: stored?.revision ?? 0,
    revisionName: fieldName.revision(question.id),
    answered: stored !== undefined,
    updatedAt: stored?.updatedAt ?? null,
    authorName: stored?.authorName ?? null,
    references: scored ? question.references.map((id) => {
      const reference = input.catalogue.references.get(id);
      return { label: reference ? pick(reference.label, language) : id, title: reference ? pick(reference.title, language) : '' };
    }) : [],
    note: { inputId: `q-${question.id}-note`, name: fieldName.note(question.id), value: stored?.note ?? '' },
    source: { inputId: `q-${question.id}-source`, name: fieldName.source(question.id), value: stored?.source ?? '' },
    evidence: EVIDENCE_LEVELS.map((level) => ({
      inputId: `q-${question.id}-e-${level}`,
      name: fieldName.evidence(question.id),
      value: level,
      label: t(`web:evidence.${level}`),
      checked: stored?.evidence === level,
    })),
  };
  const ownValue = current !== undefined && !(typeof current === 'string' && (current === UNKNOWN || current === NOT_APPLICABLE)) ? current : undefined;
  switch (question.type) {
    case 'maturity':
      view.radios = [...maturityChoices(question, input, current), ...specialChoices(question, current, t, fieldName.value(question.id))];
      break;
    case 'yes_partial_no':
      view.radios = [
        ...YES_PARTIAL_NO.map((value) => choice(question, value, t(`vocabulary:yesPartialNo.${value}`), current === value)),
        ...specialChoices(question, current, t, fieldName.value(question.id)),
      ];
      break;
    case 'single_choice':
      view.radios = [
        ...question.options.map((option) => choice(question, option.id, pick(option.label, language), current === option.id)),
        ...specialChoices(question, current, t, fieldName.value(question.id)),
      ];
      break;
    case 'multiple_choice':
      view.checkboxes = question.options.map((option) => choice(question, option.id, pick(option.label, language), Array.isArray(ownValue) && ownValue.includes(option.id)));
      view.specials = specialChoices(question, current, t, fieldName.special(question.id));
      break;
    case 'number':
      view.numberInput = {
        inputId: `q-${question.id}-number`,
        name: fieldName.value(question.id),
        value: typeof ownValue === 'number' ? String(ownValue) : '',
        min: question.min ?? null,
        max: question.max ?? null,
        unit: question.unit ? t(`vocabulary:unitLabel.${question.unit}`) : null,
      };
      view.specials = specialChoices(question, current, t, fieldName.special(question.id));
      break;
    case 'alignment_table':
      view.rows = rowViews(question, input, ownValue);
      view.specials = specialChoices(question, current, t, fieldName.special(question.id));
      break;
    case 'date':
      // Russian: a text field in DD.MM.YYYY; a native date field would show the browser's format (mm/dd/yyyy).
      view.dateInput = { inputId: `q-${question.id}-date`, name: fieldName.value(question.id), value: typeof current === 'string' ? (language === 'ru' ? dottedDate(current) : current) : '', text: language === 'ru' };
      break;
    case 'text':
      view.textInput = { inputId: `q-${question.id}-text`, name: fieldName.value(question.id), value: typeof current === 'string' ? current : '', multiline: question.multiline };
      break;
  }
  return view;
}

function clientQuestion(question: Question, input: FillInput): ClientQuestion {
  const { t, language } = input;
  const labels: Record<string, string> = { [UNKNOWN]: t(`web:answer.${UNKNOWN}`), [NOT_APPLICABLE]: t(`web:answer.${NOT_APPLICABLE}`) };
  const client: ClientQuestion = { id: question.id, type: question.type, scored: isScored(question), text: pick(question.text, language), labels };
  if (question.required) client.required = true;
  if (question.show_if) client.show_if = question.show_if;
  switch (question.type) {
    case 'maturity':
      for (const entry of input.catalogue.scales.get(question.scale)?.levels ?? []) labels[String(entry.level)] = `${entry.level} — ${pick(entry.label, language)}`;
      break;
    case 'yes_partial_no':
      for (const value of YES_PARTIAL_NO) labels[value] = t(`vocabulary:yesPartialNo.${value}`);
      break;
    case 'single_choice':
    case 'multiple_choice':
      client.options = question.options.map((option) => ({ id: option.id, level: option.level }));
      client.optionIds = question.options.map((option) => option.id);
      for (const option of question.options) labels[option.id] = pick(option.label, language);
      break;
    case 'number':
      client.bands = question.bands.map((band) => (band.below === undefined ? { level: band.level } : { below: band.below, level: band.level }));
      if (question.unit) client.unitForms = unitForms(question.unit, t, language);
      break;
    case 'alignment_table':
      client.rowIds = question.rows.map((row) => row.id);
      client.rowLabels = Object.fromEntries(question.rows.map((row) => [row.id, pick(row.label, language)]));
      break;
    default:
      break;
  }
  return client;
}

export function buildClientModel(input: FillInput): ClientModel {
  return {
    questionnaireId: input.questionnaire.id,
    version: input.questionnaire.version,
    sections: input.questionnaire.sections.map((section: SectionDoc) => ({
      id: section.id,
      ...(section.show_if ? { show_if: section.show_if } : {}),
      questions: section.questions.map((question) => clientQuestion(question, input)),
    })),
    statusLabels: Object.fromEntries(ALIGNMENT_STATUSES.map((status) => [status, input.t(`web:alignment.${status}`)])),
    evidenceLabels: Object.fromEntries(EVIDENCE_LEVELS.map((level) => [level, input.t(`web:evidence.${level}`)])),
    roleLabels: Object.fromEntries(ROLES.map((role) => [role, input.t(`web:role.${role}`)])),
  };
}

export function buildFillPage(input: FillInput): FillPage {
  const { questionnaire, language } = input;
  const values = new Map([...input.answers].map(([id, answer]) => [id, answer.value]));
  const visible = visibleQuestions(questionnaire, values);
  const progress = fillProgress(questionnaire.sections, visible, new Set(input.answers.keys()));
  const sections = questionnaire.sections.map((section, index): SectionView => ({
    id: section.id,
    number: index + 1,
    title: pick(section.title, language),
    description: section.description ? pick(section.description, language) : null,
    conditional: section.show_if !== undefined,
    visible: section.questions.some((question) => visible.has(question.id)),
    progress: progress.sections.get(section.id) ?? { filled: 0, total: 0 },
    questions: section.questions.map((question, position) => {
      const placed = questionnaire.questionsById.get(question.id);
      if (!placed) throw new Error(`question ${question.id} is not indexed`);
      return questionView(placed, `${index + 1}.${position + 1}`, input, visible.has(question.id));
    }),
  }));
  return {
    questionnaire: { id: questionnaire.id, version: questionnaire.version, title: pick(questionnaire.title, language), description: pick(questionnaire.description, language) },
    sections,
    progress: progress.total,
    clientModel: buildClientModel(input),
  };
}
