/**
 * Saving answers: optimistic concurrency by revision, idempotent retries by operation id, every
 * revision kept in answer_history, every change audited — all in one transaction.
 */
import type { Kysely } from 'kysely';
import { Problem } from '../shared/problem.js';
import type { AnswerValue } from '../questionnaire/answerValue.js';
import type { EvidenceLevel } from '../questionnaire/vocabulary.js';
import { writeAudit, type Actor } from './audit.js';
import { inTransaction } from './transaction.js';
import type { AnswerHistoryRow, AnswerRow, Database } from './schema.js';

export interface AnswerDto {
  questionId: string;
  value: AnswerValue;
  note: string | null;
  source: string | null;
  evidence: EvidenceLevel | null;
  revision: number;
  authorId: number | null;
  updatedAt: string;
}

export function toAnswerDto(row: AnswerRow): AnswerDto {
  return {
    questionId: row.question_id,
    value: JSON.parse(row.value) as AnswerValue,
    note: row.note,
    source: row.source,
    evidence: row.evidence,
    revision: row.revision,
    authorId: row.author_id,
    updatedAt: row.updated_at,
  };
}

export interface SaveAnswer {
  assessmentId: number;
  questionId: string;
  value: AnswerValue;
  note?: string | null | undefined;
  source?: string | null | undefined;
  evidence?: EvidenceLevel | null | undefined;
  /** The revision the client last saw: 0 for a new answer. */
  baseRevision: number;
  /** Client-generated id of this save; a retry sends the same one. */
  opId?: string | undefined;
}

export interface SavedAnswer {
  revision: number;
  /** True when this was a retry of an operation already applied. */
  replayed: boolean;
}

export async function listAnswers(db: Kysely<Database>, assessmentId: number): Promise<AnswerDto[]> {
  const rows = await db.selectFrom('answers').selectAll().where('assessment_id', '=', assessmentId).execute();
  return rows.map(toAnswerDto);
}

/** Which questions have a stored answer, per assessment (e.g. the history pages worth keeping offline). */
export async function answeredQuestionIds(db: Kysely<Database>, assessmentIds: readonly number[]): Promise<Map<number, string[]>> {
  const answered = new Map<number, string[]>(assessmentIds.map((id) => [id, []]));
  if (assessmentIds.length === 0) return answered;
  const rows = await db.selectFrom('answers').select(['assessment_id', 'question_id']).where('assessment_id', 'in', [...assessmentIds]).orderBy('assessment_id').orderBy('question_id').execute();
  for (const row of rows) answered.get(row.assessment_id)?.push(row.question_id);
  return answered;
}

/** Who saved an answer, for the conflict dialog ("changed by … (manager)"). */
async function authorOf(db: Kysely<Database>, authorId: number | null): Promise<{ name: string; role: string } | null> {
  if (authorId === null) return null;
  return (await db.selectFrom('users').select(['name', 'role']).where('id', '=', authorId).executeTakeFirst()) ?? null;
}

export async function saveAnswer(db: Kysely<Database>, actor: Actor, input: SaveAnswer): Promise<SavedAnswer> {
  return inTransaction(db, async (trx) => {
    if (input.opId) {
      const done = await trx.selectFrom('answer_history').select(['assessment_id', 'question_id', 'revision']).where('op_id', '=', input.opId).executeTakeFirst();
      if (done) return replayed(done, input);
    }
    const current = await trx.selectFrom('answers').selectAll()
      .where('assessment_id', '=', input.assessmentId).where('question_id', '=', input.questionId).executeTakeFirst();
    if (input.baseRevision !== (current?.revision ?? 0)) throw conflict(input, current, await authorOf(trx, current?.author_id ?? null));
    const { row, history, audit } = savedRows(actor, input, current);
    await trx.insertInto('answers').values(row)
      .onConflict((oc) => oc.columns(['assessment_id', 'question_id']).doUpdateSet({
        value: row.value, note: row.note, source: row.source, evidence: row.evidence, revision: row.revision, author_id: row.author_id, updated_at: row.updated_at,
      }))
      .execute();
    await trx.insertInto('answer_history').values(history).execute();
    await writeAudit(trx, actor, 'answer.save', audit.entity, audit.before, audit.after);
    return { revision: row.revision, replayed: false };
  });
}

/*
 * The rules of a save, free of I/O: saveAnswer above (Kysely, both engines) and the SQLite autosave path
 * (sqliteAnswers.ts, prepared statements) read the same rows and apply exactly these.
 */

/** A retry of an operation already applied: its outcome again — unless the opId named another answer. */
export function replayed(done: Pick<AnswerHistoryRow, 'assessment_id' | 'question_id' | 'revision'>, input: SaveAnswer): SavedAnswer {
  if (done.assessment_id !== input.assessmentId || done.question_id !== input.questionId) {
    throw new Problem('conflict', 'This opId was already used for another answer: generate a new opId for each change.', [{ path: 'opId', message: 'already used for another answer' }]);
  }
  return { revision: done.revision, replayed: true };
}

/** The 409 for a save based on a revision that is no longer current, with what is stored now and by whom. */
export function conflict(input: SaveAnswer, current: AnswerRow | undefined, currentAuthor: { name: string; role: string } | null): Problem {
  const currentRevision = current?.revision ?? 0;
  return new Problem('conflict',
    `This answer was changed by someone else (revision ${currentRevision}, you edited revision ${input.baseRevision}). Nothing was overwritten: compare both versions and save again on top of revision ${currentRevision}.`,
    [{ path: 'baseRevision', message: `expected ${currentRevision}` }],
    { current: current ? toAnswerDto(current) : null, currentAuthor });
}

/** The answer row, its history row and the audit entry of a save on top of `current`. */
export function savedRows(actor: Actor, input: SaveAnswer, current: AnswerRow | undefined): {
  row: AnswerRow; history: Omit<AnswerHistoryRow, 'id'>; audit: { entity: { type: string; id: string }; before: unknown; after: unknown };
} {
  const now = new Date().toISOString();
  const row: AnswerRow = {
    assessment_id: input.assessmentId,
    question_id: input.questionId,
    value: JSON.stringify(input.value),
    note: input.note ?? null,
    source: input.source ?? null,
    evidence: input.evidence ?? null,
    revision: (current?.revision ?? 0) + 1,
    author_id: actor.id,
    updated_at: now,
  };
  const history = {
    assessment_id: row.assessment_id, question_id: row.question_id, revision: row.revision, value: row.value, note: row.note,
    source: row.source, evidence: row.evidence, author_id: row.author_id, created_at: now, op_id: input.opId ?? null,
  };
  // The audit row carries revision and metadata, not the answer text: that stays in answer_history.
  const audit = {
    entity: { type: 'answer', id: `${input.assessmentId}/${input.questionId}` },
    before: current ? { revision: current.revision } : null,
    after: { revision: row.revision, evidence: row.evidence },
  };
  return { row, history, audit };
}

export async function answerHistory(db: Kysely<Database>, assessmentId: number, questionId: string) {
  return db.selectFrom('answer_history')
    .leftJoin('users', 'users.id', 'answer_history.author_id')
    .select(['answer_history.revision', 'answer_history.value', 'answer_history.note', 'answer_history.source', 'answer_history.evidence', 'answer_history.created_at', 'users.name as author_name', 'users.email as author_email'])
    .where('assessment_id', '=', assessmentId).where('question_id', '=', questionId)
    .orderBy('revision', 'desc').execute();
}
