/** Turns one answer into a maturity level. Pure. */
import type { AnswerValue } from '../questionnaire/answerValue.js';
import { isSpecial } from '../questionnaire/vocabulary.js';
import type { Question } from '../questionnaire/schema.js';

export const YES_PARTIAL_NO_LEVELS = { yes: 4, partial: 2, no: 0 } as const;
export const ALIGNMENT_LEVELS = { full: 4, partial: 2, none: 0 } as const;

/** Rows marked critical that are answered "none": they cap the section like a critical level 0. */
export function criticalRowsAtNone(question: Question, value: AnswerValue | undefined): string[] {
  if (question.type !== 'alignment_table' || value === undefined || isSpecial(value) || typeof value !== 'object' || Array.isArray(value)) return [];
  return question.rows.filter((row) => row.critical && row.see === undefined && value.rows[row.id]?.status === 'none').map((row) => row.id);
}

/** The level of an answer, or null when it has none (unscored type, unknown, not applicable). */
export function levelOf(question: Question, value: AnswerValue | undefined): number | null {
  if (value === undefined || isSpecial(value)) return null;
  switch (question.type) {
    case 'maturity':
      return typeof value === 'number' ? value : null;
    case 'yes_partial_no':
      return YES_PARTIAL_NO_LEVELS[value as keyof typeof YES_PARTIAL_NO_LEVELS] ?? null;
    case 'single_choice':
      return question.options.find((option) => option.id === value)?.level ?? null;
    case 'multiple_choice': {
      if (!Array.isArray(value)) return null;
      const points = question.options.filter((option) => value.includes(option.id)).reduce((sum, option) => sum + option.level, 0);
      return Math.min(4, points);
    }
    case 'number': {
      if (typeof value !== 'number') return null;
      return (question.bands.find((band) => band.below === undefined || value < band.below) ?? question.bands[question.bands.length - 1])?.level ?? null;
    }
    case 'alignment_table': {
      if (typeof value !== 'object' || Array.isArray(value)) return null;
      // Weighted mean of the scored rows: a `see:` row is scored elsewhere, an unknown row is left out.
      let total = 0;
      let weights = 0;
      for (const row of question.rows) {
        const status = row.see === undefined ? value.rows[row.id]?.status : undefined;
        if (status === undefined || status === 'unknown') continue;
        total += ALIGNMENT_LEVELS[status] * row.weight;
        weights += row.weight;
      }
      return weights === 0 ? null : total / weights;
    }
    case 'date':
    case 'text':
      return null;
  }
}
