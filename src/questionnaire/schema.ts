/**
 * The questionnaire format as zod schemas: the single source of truth for what a YAML file may say.
 * Strict objects everywhere, so a misspelt key is an error and never silently ignored.
 * Cross-field rules (ids, order of conditions, catalogue references, recommendation coverage) live in
 * crossCheck.ts, because they need the whole document.
 */
import { z } from 'zod';
import {
  INSTITUTIONS,
  INSTRUMENTS,
  PRIORITIES,
  SPECIAL_ANSWERS,
  TIMEFRAMES,
  UNITS,
} from './vocabulary.js';
import type { Scope } from './vocabulary.js';

const nonBlank = z.string().trim().min(1, 'must not be empty');

/** Every text an author writes is bilingual; both languages are required. */
export const bilingual = z.strictObject({
  en: nonBlank,
  ru: nonBlank,
});
export type Bilingual = z.infer<typeof bilingual>;

export const slug = z
  .string()
  .regex(/^[a-z0-9]+(?:[-_][a-z0-9]+)*$/, 'must be a slug: lower-case letters, digits and single - or _ between them, e.g. preservation-order')
  .refine((value) => !(SPECIAL_ANSWERS as readonly string[]).includes(value), 'is reserved for the "unknown" and "not applicable" answers: choose another id');

const level = z.number().int('must be a whole level, e.g. 2').min(0, 'must be 0 or more').max(4, 'must be 4 or less: levels run from 0 to 4');

// ---------- Conditions (data, never code) ----------
const scalar = z.union([z.string(), z.number(), z.boolean()]);

export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | { question: string; equals: string | number | boolean }
  | { question: string; in: (string | number)[] }
  | { question: string; at_least: number }
  | { question: string; answered: boolean };

export const condition: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.strictObject({ all: z.array(condition).min(1, 'needs at least one condition') }),
    z.strictObject({ any: z.array(condition).min(1, 'needs at least one condition') }),
    z.strictObject({ not: condition }),
    z.strictObject({ question: slug, equals: scalar }),
    z.strictObject({ question: slug, in: z.array(z.union([z.string(), z.number()])).min(1, 'needs at least one value') }),
    z.strictObject({ question: slug, at_least: z.number() }),
    z.strictObject({ question: slug, answered: z.boolean() }),
  ], { error: 'is not a condition: use all / any / not, or question with one of equals / in / at_least / answered' }),
);

// ---------- Recommendations ----------
export const recommendation = z.strictObject({
  levels: z.array(level).min(1, 'name at least one level this recommendation answers, e.g. [0, 1]'),
  priority: z.enum(PRIORITIES),
  timeframe: z.enum(TIMEFRAMES),
  responsible: z.array(z.enum(INSTITUTIONS)).min(1, 'name at least one responsible institution type'),
  text: bilingual,
});
export type Recommendation = z.infer<typeof recommendation>;

// ---------- Questions ----------
/**
 * A cross-reference to the one indicator that scores a fact: `question-id` in the same questionnaire or
 * `questionnaire-id/question-id` in another. Shown to the expert and in the report; never scored.
 */
export const seeRef = z.string().regex(/^(?:[a-z0-9]+(?:[-_][a-z0-9]+)*\/)?[a-z0-9]+(?:[-_][a-z0-9]+)*$/, 'must be a question id, or questionnaire-id/question-id for another questionnaire, e.g. legal-framework/lf-preservation-power');

const questionBase = {
  id: slug,
  text: bilingual,
  help: bilingual,
  /** Part of the visit-sized core set: shown when a mission's scope is `core` (docs/QUESTIONNAIRES.md). */
  core: z.boolean().default(false),
  /** The indicator that scores this fact; only unscored questions (date, text) may carry it. */
  see: seeRef.optional(),
  /** Institution types the expert should put this question to: lets the UI filter per meeting. */
  ask: z.array(z.enum(INSTITUTIONS)).optional(),
  show_if: condition.optional(),
  reviewer_note: bilingual.optional(),
  /** An answer (Unknown and Not applicable count) is needed before the questionnaire can be marked complete. */
  required: z.boolean().optional(),
};

const scoredBase = {
  ...questionBase,
  weight: z.number().int('must be 1, 2 or 3').min(1, 'must be 1, 2 or 3').max(3, 'must be 1, 2 or 3'),
  critical: z.boolean().default(false),
  /**
   * Recorded and shown, never scored: e.g. treaty status, a sovereign policy choice. Its
   * recommendations are printed after every operational gap.
   */
  informational: z.boolean().default(false),
  target: level.default(3),
  references: z.array(nonBlank).min(1, 'cite at least one reference from references.yaml'),
  recommendations: z.array(recommendation).min(1, 'a scored question needs recommendations for its gap levels'),
};

const levelDescriptors = z.record(z.string().regex(/^[0-4]$/, 'level keys run from 0 to 4'), bilingual);

const option = z.strictObject({
  id: slug,
  label: bilingual,
  /** The level this option stands for (single choice) or the points it adds (multiple choice). */
  level,
});

export const maturityQuestion = z.strictObject({
  ...scoredBase,
  type: z.literal('maturity'),
  scale: slug.default('maturity'),
  levels: levelDescriptors.optional(),
});

export const yesPartialNoQuestion = z.strictObject({
  ...scoredBase,
  type: z.literal('yes_partial_no'),
});

export const singleChoiceQuestion = z.strictObject({
  ...scoredBase,
  type: z.literal('single_choice'),
  options: z.array(option).min(2, 'a choice needs at least two options'),
});

export const multipleChoiceQuestion = z.strictObject({
  ...scoredBase,
  type: z.literal('multiple_choice'),
  options: z.array(option).min(2, 'a choice needs at least two options'),
});

const band = z.strictObject({
  below: z.number().optional(),
  level,
});

export const numberQuestion = z.strictObject({
  ...scoredBase,
  type: z.literal('number'),
  unit: z.enum(UNITS, { error: `must be one of ${UNITS.join(', ')}: units are words with plural forms in the locale files; add a new unit to vocabulary.ts and both locales` }).optional(),
  min: z.number().optional(),
  max: z.number().optional(),
  bands: z.array(band).min(2, 'give at least two bands; the last one has no "below"'),
});

export const alignmentTableQuestion = z.strictObject({
  ...scoredBase,
  type: z.literal('alignment_table'),
  rows: z.array(z.strictObject({
    id: slug,
    label: bilingual,
    references: z.array(nonBlank).optional(),
    /** How much the row counts in the table's level: ten offence articles are not one provision. */
    weight: z.number().int('must be a whole number from 1 to 10').min(1, 'must be 1 or more').max(10, 'must be 10 or less').default(1),
    /** A critical row answered "none" caps the section like a critical question at level 0. */
    critical: z.boolean().default(false),
    /** The indicator that scores this row's fact: the row is shown for reference and never scored. */
    see: seeRef.optional(),
  })).min(1, 'an alignment table needs at least one row'),
});

/** Unscored questions: context the expert records (institutions met, documents received, dates). */
export const dateQuestion = z.strictObject({ ...questionBase, type: z.literal('date') });
export const textQuestion = z.strictObject({ ...questionBase, type: z.literal('text'), multiline: z.boolean().default(true) });

export const question = z.discriminatedUnion('type', [
  maturityQuestion,
  yesPartialNoQuestion,
  singleChoiceQuestion,
  multipleChoiceQuestion,
  numberQuestion,
  alignmentTableQuestion,
  dateQuestion,
  textQuestion,
], { error: (issue) => (issue.code === 'invalid_union' ? 'type must be one of maturity, yes_partial_no, single_choice, multiple_choice, number, date, text, alignment_table' : undefined) });

export const section = z.strictObject({
  id: slug,
  title: bilingual,
  description: bilingual.optional(),
  show_if: condition.optional(),
  questions: z.array(question).min(1, 'a section needs at least one question'),
});

export const questionnaireSchema = z.strictObject({
  id: slug,
  version: z.number().int('must be a whole number').min(1, 'must be 1 or more'),
  title: bilingual,
  short_title: bilingual.optional(),
  description: bilingual,
  reviewer_note: bilingual.optional(),
  sections: z.array(section).min(1, 'a questionnaire needs at least one section'),
});

export const scaleSchema = z.strictObject({
  id: slug,
  title: bilingual,
  levels: z.array(z.strictObject({ level, label: bilingual, descriptor: bilingual })).min(2, 'a scale needs at least two levels'),
});
export const scalesFileSchema = z.strictObject({ scales: z.array(scaleSchema).min(1) });

export const referenceSchema = z.strictObject({
  id: nonBlank.regex(/^[a-z0-9][a-z0-9.-]*$/, 'must be lower-case letters, digits, dots and dashes, e.g. bc-16'),
  instrument: z.enum(INSTRUMENTS),
  label: bilingual,
  title: bilingual,
  url: z.url().optional(),
});
export const referencesFileSchema = z.strictObject({ references: z.array(referenceSchema).min(1) });

export const glossaryTermSchema = z.strictObject({
  en: nonBlank,
  ru: nonBlank,
  avoid: z.array(nonBlank).default([]),
  note: nonBlank.optional(),
});
export const glossaryFileSchema = z.strictObject({ terms: z.array(glossaryTermSchema).min(1) });

export type QuestionnaireDoc = z.infer<typeof questionnaireSchema>;
export type SectionDoc = z.infer<typeof section>;
export type Question = z.infer<typeof question>;
export type ScoredQuestion = Exclude<Question, { type: 'date' } | { type: 'text' }>;
export type Scale = z.infer<typeof scaleSchema>;
export type Reference = z.infer<typeof referenceSchema>;
export type GlossaryTerm = z.infer<typeof glossaryTermSchema>;
export type AlignmentRow = z.infer<typeof alignmentTableQuestion>['rows'][number];
export type { Scope };

export function isScored(q: Question): q is ScoredQuestion {
  return q.type !== 'date' && q.type !== 'text';
}

/** A scored type that counts in scores: not an informational record such as treaty status. */
export function countsInScore(q: Question): q is ScoredQuestion {
  return isScored(q) && !q.informational;
}

/** Whether a question belongs to a mission of the given scope: `full` holds every question. */
export function inScope(q: Question, scope: Scope): boolean {
  return scope === 'full' || q.core;
}
