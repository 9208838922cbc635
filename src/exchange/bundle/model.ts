/**
 * What a mission bundle carries, as zod schemas: the body is validated after its checksum, so a bundle
 * from a different tool or an older ENA is refused with the path of the first thing that does not fit.
 *
 * The same shape describes the local copy of a mission when a bundle is merged into it, so that the
 * merge is one pure function of two values of this type.
 */
import { z } from 'zod';
import { bilingualName, COMMENT_MAX, countryCode, ENDS_AFTER_START, endsAfterStart, FREE_TEXT_MAX, missionFields, NOTE_MAX, OP_ID_MAX, SOURCE_MAX } from '../../shared/fields.js';
import { ALIGNMENT_STATUSES, EVIDENCE_LEVELS } from '../../questionnaire/vocabulary.js';
import { MISSION_STATUSES, REVIEW_STATES } from '../../storage/schema.js';
import { CONFLICT_STATUSES } from '../tables.js';
import { SCOPES } from '../../questionnaire/vocabulary.js';

export const BUNDLE_FORMAT = 'ena-mission-bundle';
export const BUNDLE_FORMAT_VERSION = 1;

/** The same limits as the API and the forms (src/shared/fields.ts): a bundle carries nothing they would refuse. */
const textUpTo = (max: number) => z.string().max(max, `is too long (at most ${max.toLocaleString('en')} characters)`);
const text = textUpTo(FREE_TEXT_MAX);
const id = z.string().min(1, 'must not be empty').max(200, 'is too long');
const isoDateTime = z.iso.datetime({ offset: true, error: 'must be a date and time such as 2025-06-11T09:30:00.000Z' });
/** Authors travel by e-mail: user ids differ from one installation to the next. */
const email = z.string().trim().toLowerCase().min(3).max(320).refine((v) => v.includes('@'), 'must be an e-mail address');

/** Any value ENA stores for some question type; whether it fits the question is checked on import. */
export const answerValueShape = z.union([
  z.number().finite(),
  text,
  z.array(z.string().max(200)),
  z.strictObject({
    rows: z.record(z.string(), z.strictObject({ status: z.enum(ALIGNMENT_STATUSES), provision: text.optional(), note: text.optional() })),
  }),
], { error: 'is not an answer value ENA stores (a number, a text, a list of option ids or an alignment table)' });

export const historyEntrySchema = z.strictObject({
  revision: z.number().int().min(1),
  value: answerValueShape,
  note: textUpTo(NOTE_MAX).nullable(),
  source: textUpTo(SOURCE_MAX).nullable(),
  evidence: z.enum(EVIDENCE_LEVELS).nullable(),
  author: email.nullable(),
  createdAt: isoDateTime,
  opId: z.string().max(OP_ID_MAX).nullable(),
});
export type HistoryEntry = z.infer<typeof historyEntrySchema>;

/** One answer: every revision in order; the last one is the current answer. */
export const answerChainSchema = z.strictObject({
  questionId: id,
  history: z.array(historyEntrySchema).min(1, 'an answer needs at least one revision')
    .refine((entries) => entries.every((entry, i) => i === 0 || entry.revision > (entries[i - 1]?.revision ?? 0)), 'revisions must be in increasing order'),
});
export type AnswerChain = z.infer<typeof answerChainSchema>;

export const conflictRecordSchema = z.strictObject({
  questionId: id,
  baseRevision: z.number().int().min(0),
  localRevision: z.number().int().min(0),
  localHead: z.string().regex(/^[0-9a-f]{64}$/),
  incomingHead: z.string().regex(/^[0-9a-f]{64}$/),
  incoming: z.array(historyEntrySchema).min(1),
  status: z.enum(CONFLICT_STATUSES),
  createdAt: isoDateTime,
  resolvedAt: isoDateTime.nullable(),
  resolvedBy: email.nullable(),
  resolvedRevision: z.number().int().min(1).nullable(),
});
export type ConflictRecord = z.infer<typeof conflictRecordSchema>;

export const sectionReviewSchema = z.strictObject({
  sectionId: id,
  state: z.enum(REVIEW_STATES),
  updatedBy: email.nullable(),
  updatedAt: isoDateTime,
});
export type SectionReviewEntry = z.infer<typeof sectionReviewSchema>;

export const reviewCommentSchema = z.strictObject({
  sectionId: id,
  author: email.nullable(),
  body: textUpTo(COMMENT_MAX),
  createdAt: isoDateTime,
});
export type ReviewCommentEntry = z.infer<typeof reviewCommentSchema>;

export const assessmentSchema = z.strictObject({
  questionnaireId: id,
  questionnaireVersion: z.number().int().min(1),
  createdAt: isoDateTime,
  answers: z.array(answerChainSchema),
  reviews: z.array(sectionReviewSchema),
  comments: z.array(reviewCommentSchema),
  conflicts: z.array(conflictRecordSchema),
});
export type AssessmentSnapshot = z.infer<typeof assessmentSchema>;

export const missionSchema = z.strictObject({
  uid: z.uuid({ error: 'must be a UUID' }),
  countryCode,
  ...missionFields,
  status: z.enum(MISSION_STATUSES),
  /** Absent in bundles written before issue 10: such missions saw every question. */
  scope: z.enum(SCOPES).default('full'),
  isDemo: z.boolean(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
}).refine(endsAfterStart, ENDS_AFTER_START);
export type MissionEntry = z.infer<typeof missionSchema>;

export const personSchema = z.strictObject({ email, name: z.string().trim().max(300, 'is too long (at most 300 characters)') });
export type Person = z.infer<typeof personSchema>;

export const bundleBodySchema = z.strictObject({
  format: z.literal(BUNDLE_FORMAT),
  formatVersion: z.literal(BUNDLE_FORMAT_VERSION),
  exportedAt: isoDateTime,
  exportedBy: email.nullable(),
  country: z.strictObject({ code: countryCode, name: bilingualName }),
  mission: missionSchema,
  /** Everyone named as an author, reviewer or resolver, so that a missing account can be recreated. */
  people: z.array(personSchema),
  assessments: z.array(assessmentSchema),
}).superRefine((body, ctx) => {
  if (body.mission.countryCode !== body.country.code) {
    ctx.addIssue({ code: 'custom', path: ['mission', 'countryCode'], message: `is ${body.mission.countryCode} but the bundle's country is ${body.country.code}` });
  }
  const seen = new Set<string>();
  body.assessments.forEach((assessment, i) => {
    if (seen.has(assessment.questionnaireId)) ctx.addIssue({ code: 'custom', path: ['assessments', i, 'questionnaireId'], message: `"${assessment.questionnaireId}" appears twice` });
    seen.add(assessment.questionnaireId);
    const questions = new Set<string>();
    assessment.answers.forEach((answer, j) => {
      if (questions.has(answer.questionId)) ctx.addIssue({ code: 'custom', path: ['assessments', i, 'answers', j, 'questionId'], message: `"${answer.questionId}" appears twice` });
      questions.add(answer.questionId);
    });
  });
});
export type MissionBundleBody = z.infer<typeof bundleBodySchema>;
