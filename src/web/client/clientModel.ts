/**
 * The slice of a questionnaire the browser needs: structure and conditions for the live evaluator,
 * labels in the page's language to describe answers (conflict dialog). Built on the server
 * (src/web/pages/fillModel.ts), shipped in a data attribute, read by the bundle. Pure.
 */
import type { AnswerValue } from '../../questionnaire/answerValue.js';
import type { Questionnaire } from '../../questionnaire/model.js';
import type { Condition, Question } from '../../questionnaire/schema.js';
import { isSpecial } from '../../questionnaire/vocabulary.js';
import type { FieldQuestion } from './answerFields.js';

export interface ClientQuestion extends FieldQuestion {
  text: string;
  show_if?: Condition;
  options?: { id: string; level: number }[];
  bands?: { below?: number; level: number }[];
  /** Answer value (level, option id, special) → label in the page's language. */
  labels: Record<string, string>;
  rowLabels?: Record<string, string>;
  required?: boolean;
  /** A number's unit in the page's language, one form per plural category ("{{count}} часа"). */
  unitForms?: UnitForms;
}

export interface UnitForms {
  language: string;
  forms: Partial<Record<Intl.LDMLPluralRule, string>>;
}

/** «1 час», «24 часа», «25 часов»: the plural category of the page's language picks the form. */
export function formatUnit(value: number, unit: UnitForms): string {
  const category = new Intl.PluralRules(unit.language).select(value);
  const form = unit.forms[category] ?? unit.forms.other ?? '{{count}}';
  return form.replace('{{count}}', String(value));
}

export interface ClientSection {
  id: string;
  show_if?: Condition;
  questions: ClientQuestion[];
}

export interface ClientModel {
  questionnaireId: string;
  version: number;
  sections: ClientSection[];
  /** Labels of alignment statuses and evidence levels, in the page's language. */
  statusLabels: Record<string, string>;
  evidenceLabels: Record<string, string>;
  /** Role names in the page's language (who made the other change, in the conflict dialog). */
  roleLabels?: Record<string, string>;
}

/**
 * The evaluator's view of the client model. visibleQuestions reads only `sections` and
 * `questionsById(...).question` with the fields kept here (id, type, show_if, options, bands), so the
 * narrower object is cast rather than shipping every text of the questionnaire to the browser.
 */
export function asEvaluatorInput(model: ClientModel): Questionnaire {
  const questionsById = new Map<string, { question: Question }>();
  for (const section of model.sections) for (const question of section.questions) questionsById.set(question.id, { question: question as unknown as Question });
  return { sections: model.sections, questionsById } as unknown as Questionnaire;
}

function rowText(model: ClientModel, question: ClientQuestion, rowId: string, row: { status: string; provision?: string | undefined; note?: string | undefined }): string {
  const parts = [`${question.rowLabels?.[rowId] ?? rowId}: ${model.statusLabels[row.status] ?? row.status}`];
  if (row.provision) parts.push(row.provision);
  if (row.note) parts.push(row.note);
  return parts.join(' — ');
}

/** An answer in words, in the page's language: "2 — Established", "Yes", "Option A; Option B". */
export function describeValue(model: ClientModel, question: ClientQuestion, value: AnswerValue | undefined): string {
  if (value === undefined) return '—';
  if (isSpecial(value)) return question.labels[value] ?? value;
  switch (question.type) {
    case 'multiple_choice':
      return Array.isArray(value) ? (value.length === 0 ? '—' : value.map((id) => question.labels[id] ?? id).join('; ')) : String(value);
    case 'alignment_table':
      return typeof value === 'object' && !Array.isArray(value)
        ? Object.entries(value.rows).map(([rowId, row]) => rowText(model, question, rowId, row)).join('\n')
        : String(value);
    case 'number':
      return question.unitForms && typeof value === 'number' ? formatUnit(value, question.unitForms) : String(value);
    default:
      return question.labels[String(value)] ?? String(value);
  }
}
