/**
 * Closed vocabularies shared by the questionnaire format, scoring and reports. Their bilingual labels
 * live in locales/{en,ru}/vocabulary.json under the same keys, so the i18n check covers them.
 */
export const QUESTION_TYPES = [
  'maturity',
  'yes_partial_no',
  'single_choice',
  'multiple_choice',
  'number',
  'date',
  'text',
  'alignment_table',
] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

export const UNSCORED_TYPES: readonly QuestionType[] = ['date', 'text'];

export const PRIORITIES = ['high', 'medium', 'low'] as const;
export type Priority = (typeof PRIORITIES)[number];

/**
 * Units of number questions. Their words live in locales/<lang>/vocabulary.json as i18next plural
 * forms (`unit.days_one`, `_few`, `_many`, `_other`), so a number is never printed as «24 часов».
 */
export const UNITS = ['days', 'hours', 'requests'] as const;
export type Unit = (typeof UNITS)[number];

/** A mission's scope: the visit-sized core set of indicators, or every question. */
export const SCOPES = ['core', 'full'] as const;
export type Scope = (typeof SCOPES)[number];
export const DEFAULT_SCOPE: Scope = 'full';

export const TIMEFRAMES = ['short', 'medium', 'long'] as const;
export type Timeframe = (typeof TIMEFRAMES)[number];

export const INSTITUTIONS = [
  'parliament',
  'government',
  'ministry-of-justice',
  'ministry-of-interior',
  'ministry-of-foreign-affairs',
  'prosecutors-office',
  'police-cybercrime-unit',
  'investigative-agency',
  'security-service',
  'judiciary',
  'central-authority',
  'point-of-contact-24-7',
  'forensic-laboratory',
  'data-protection-authority',
  'telecom-regulator',
  'service-providers',
  'training-institution',
  'bar-and-civil-society',
] as const;
export type Institution = (typeof INSTITUTIONS)[number];

export const INSTRUMENTS = ['budapest', 'sap', 'uncc', 'guide', 'regional', 'other'] as const;
export type Instrument = (typeof INSTRUMENTS)[number];

export const YES_PARTIAL_NO = ['yes', 'partial', 'no'] as const;
export type YesPartialNo = (typeof YES_PARTIAL_NO)[number];

export const ALIGNMENT_STATUSES = ['full', 'partial', 'none', 'unknown'] as const;
export type AlignmentStatus = (typeof ALIGNMENT_STATUSES)[number];

export const EVIDENCE_LEVELS = ['documented', 'testimonial', 'none'] as const;
export type EvidenceLevel = (typeof EVIDENCE_LEVELS)[number];

/** Answers every scored question accepts besides its own values. Neither counts as zero. */
export const UNKNOWN = 'unknown';
export const NOT_APPLICABLE = 'not_applicable';
export const SPECIAL_ANSWERS = [UNKNOWN, NOT_APPLICABLE] as const;

/** Unknown or not applicable: answers that carry no level. Here, not in answerValue.ts, so that the
 * browser bundle (conditions, levels) can use it without pulling zod in. */
export function isSpecial(value: unknown): value is typeof UNKNOWN | typeof NOT_APPLICABLE {
  return value === UNKNOWN || value === NOT_APPLICABLE;
}
