/**
 * An answer as people read it, in one language: "2 — Partially implemented", "Yes", the labels of the
 * chosen options, a number with its unit, an alignment table row by row. Pure: the translator is given.
 */
import type { TFunction } from 'i18next';
import { isSpecial, type AnswerValue } from '../questionnaire/answerValue.js';
import type { Catalogue } from '../questionnaire/model.js';
import type { Question } from '../questionnaire/schema.js';
import type { Language } from '../i18n/i18n.js';

/** The answer in a stable machine form: numbers and ids as they are, lists joined by ";", tables as JSON. */
export function rawValue(value: AnswerValue): string | number {
  if (typeof value === 'number' || typeof value === 'string') return value;
  if (Array.isArray(value)) return value.join(';');
  return JSON.stringify(value);
}

export function valueLabel(question: Question | undefined, value: AnswerValue, language: Language, t: TFunction, catalogue: Pick<Catalogue, 'scales'>): string {
  if (isSpecial(value)) return t(`vocabulary:special.${value}`);
  if (!question) return String(rawValue(value));
  const fallback = (): string => String(rawValue(value));
  switch (question.type) {
    case 'maturity': {
      if (typeof value !== 'number') return fallback();
      const own = question.levels?.[String(value)]?.[language];
      const scaleLabel = catalogue.scales.get(question.scale)?.levels.find((l) => l.level === value)?.label[language];
      const label = own ?? scaleLabel;
      return label ? `${value} — ${label}` : String(value);
    }
    case 'yes_partial_no':
      return typeof value === 'string' && ['yes', 'partial', 'no'].includes(value) ? t(`vocabulary:yesPartialNo.${value}`) : fallback();
    case 'single_choice':
      return question.options.find((o) => o.id === value)?.label[language] ?? fallback();
    case 'multiple_choice':
      return Array.isArray(value) ? value.map((id) => question.options.find((o) => o.id === id)?.label[language] ?? id).join('; ') : fallback();
    case 'number':
      if (typeof value !== 'number') return fallback();
      return question.unit ? t(`vocabulary:unit.${question.unit}`, { count: value }) : String(value);
    case 'alignment_table': {
      if (typeof value !== 'object' || Array.isArray(value)) return fallback();
      return question.rows.filter((row) => value.rows[row.id]).map((row) => {
        const answer = value.rows[row.id];
        const parts = [`${row.label[language]}: ${t(`vocabulary:alignment.${answer?.status ?? 'unknown'}`)}`];
        if (answer?.provision) parts.push(`(${answer.provision})`);
        return parts.join(' ');
      }).join('; ');
    }
    case 'date':
    case 'text':
      return typeof value === 'string' ? value : fallback();
  }
}
