/**
 * What an answer to each question type looks like, as zod schemas: the API, the offline bundle import
 * and the demo loader validate answers with these, so a bad value is rejected the same way everywhere.
 */
import { z } from 'zod';
import type { Question } from './schema.js';
import { isScored } from './schema.js';
import { ALIGNMENT_STATUSES, EVIDENCE_LEVELS, NOT_APPLICABLE, UNKNOWN, YES_PARTIAL_NO, isSpecial } from './vocabulary.js';

export interface AlignmentRowAnswer {
  status: (typeof ALIGNMENT_STATUSES)[number];
  provision?: string | undefined;
  note?: string | undefined;
}
export interface AlignmentAnswer {
  rows: Record<string, AlignmentRowAnswer>;
}
export type SpecialAnswer = typeof UNKNOWN | typeof NOT_APPLICABLE;
export type AnswerValue = number | string | string[] | AlignmentAnswer;

export { isSpecial };

const freeText = z.string().max(20_000, 'is too long (at most 20,000 characters)');
const special = z.enum([UNKNOWN, NOT_APPLICABLE]);

/** The schema of a valid value for one question. */
export function answerValueSchema(question: Question): z.ZodType<AnswerValue> {
  const own = ownValueSchema(question);
  return isScored(question) ? z.union([special, own], { error: invalidMessage(question) }) : own;
}

function invalidMessage(question: Question): string {
  const scored = isScored(question) ? ', "unknown" or "not_applicable"' : '';
  switch (question.type) {
    case 'maturity': return `must be a level from 0 to 4${scored}`;
    case 'yes_partial_no': return `must be "yes", "partial" or "no"${scored}`;
    case 'single_choice': return `must be one of ${question.options.map((o) => `"${o.id}"`).join(', ')}${scored}`;
    case 'multiple_choice': return `must be a list of options among ${question.options.map((o) => `"${o.id}"`).join(', ')}${scored}`;
    case 'number': return `must be a number${scored}`;
    case 'alignment_table': return `must be { rows: { <row id>: { status: full|partial|none|unknown, provision?, note? } } }${scored}`;
    case 'date': return 'must be a date written YYYY-MM-DD';
    case 'text': return 'must be text';
  }
}

function ownValueSchema(question: Question): z.ZodType<AnswerValue> {
  const error = invalidMessage(question);
  switch (question.type) {
    case 'maturity':
      return z.number({ error }).int({ error }).min(0, { error }).max(4, { error });
    case 'yes_partial_no':
      return z.enum(YES_PARTIAL_NO, { error });
    case 'single_choice':
      return z.string({ error }).refine((v) => question.options.some((o) => o.id === v), { error });
    case 'multiple_choice':
      return z.array(z.string(), { error })
        .refine((list) => list.every((v) => question.options.some((o) => o.id === v)), { error })
        .refine((list) => new Set(list).size === list.length, { error: 'lists an option twice' });
    case 'number': {
      let schema = z.number({ error }).finite({ error });
      if (question.min !== undefined) schema = schema.min(question.min, { error: `must be at least ${question.min}` });
      if (question.max !== undefined) schema = schema.max(question.max, { error: `must be at most ${question.max}` });
      return schema;
    }
    case 'alignment_table': {
      const rowIds = new Set(question.rows.map((row) => row.id));
      return z.strictObject({
        rows: z.record(z.string(), z.strictObject({
          status: z.enum(ALIGNMENT_STATUSES),
          provision: freeText.optional(),
          note: freeText.optional(),
        })).refine((rows) => Object.keys(rows).every((id) => rowIds.has(id)), { error: `names a row that is not in the table: use ${[...rowIds].join(', ')}` }),
      }, { error });
    }
    case 'date':
      return z.iso.date({ error });
    case 'text':
      return z.string({ error }).max(20_000, 'is too long (at most 20,000 characters)');
  }
}

export const evidenceLevel = z.enum(EVIDENCE_LEVELS);
