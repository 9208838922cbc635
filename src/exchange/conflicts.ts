/**
 * Conflicts a bundle import found: both sides changed the same answer after a shared revision. The
 * answer here was kept; the other side's revisions wait in answer_conflicts until a person decides.
 * Resolving either keeps the answer as it is, or saves a new revision (often the other side's value)
 * on top of it. Either way the record stays, marked resolved, and travels in later bundles, so that the
 * other installation adopts the decision instead of raising the same conflict again.
 */
import type { Kysely } from 'kysely';
import type { AnswerValue } from '../questionnaire/answerValue.js';
import type { EvidenceLevel } from '../questionnaire/vocabulary.js';
import { Problem } from '../shared/problem.js';
import { listAnswers, saveAnswer, type AnswerDto } from '../storage/answers.js';
import { writeAudit, type Actor } from '../storage/audit.js';
import type { Database } from '../storage/schema.js';
import { inTransaction } from '../storage/transaction.js';
import type { HistoryEntry } from './bundle/model.js';
import { withExchangeTables, type ConflictStatus } from './tables.js';

export interface ConflictView {
  id: number;
  assessmentId: number;
  missionId: number;
  countryCode: string;
  questionnaireId: string;
  questionId: string;
  status: ConflictStatus;
  /** The last revision both sides shared (0: none). */
  baseRevision: number;
  /** The answer here now (it may have changed since the conflict was found). */
  current: AnswerDto | null;
  /** The other side's revisions after the shared one, oldest first; the last is its answer. */
  incoming: HistoryEntry[];
  createdAt: string;
  resolvedAt: string | null;
  resolvedBy: string | null;
  resolvedRevision: number | null;
}

function baseQuery(db: Kysely<Database>) {
  return withExchangeTables(db).selectFrom('answer_conflicts')
    .innerJoin('assessments', 'assessments.id', 'answer_conflicts.assessment_id')
    .innerJoin('missions', 'missions.id', 'assessments.mission_id')
    .select(['answer_conflicts.id', 'answer_conflicts.assessment_id', 'answer_conflicts.question_id', 'answer_conflicts.status', 'answer_conflicts.base_revision',
      'answer_conflicts.incoming', 'answer_conflicts.created_at', 'answer_conflicts.resolved_at', 'answer_conflicts.resolved_by', 'answer_conflicts.resolved_revision',
      'assessments.mission_id', 'assessments.questionnaire_id', 'missions.country_code']);
}

type Row = Awaited<ReturnType<ReturnType<typeof baseQuery>['executeTakeFirstOrThrow']>>;

async function toViews(db: Kysely<Database>, rows: readonly Row[]): Promise<ConflictView[]> {
  const answers = new Map<number, Map<string, AnswerDto>>();
  for (const assessmentId of new Set(rows.map((r) => r.assessment_id))) {
    answers.set(assessmentId, new Map((await listAnswers(db, assessmentId)).map((a) => [a.questionId, a])));
  }
  return rows.map((r) => ({
    id: r.id, assessmentId: r.assessment_id, missionId: r.mission_id, countryCode: r.country_code, questionnaireId: r.questionnaire_id, questionId: r.question_id,
    status: r.status, baseRevision: r.base_revision, current: answers.get(r.assessment_id)?.get(r.question_id) ?? null, incoming: JSON.parse(r.incoming) as HistoryEntry[],
    createdAt: r.created_at, resolvedAt: r.resolved_at, resolvedBy: r.resolved_by, resolvedRevision: r.resolved_revision,
  }));
}

export async function listConflicts(db: Kysely<Database>, missionId: number, status?: ConflictStatus): Promise<ConflictView[]> {
  let query = baseQuery(db).where('assessments.mission_id', '=', missionId).orderBy('assessments.questionnaire_id').orderBy('answer_conflicts.question_id').orderBy('answer_conflicts.id');
  if (status) query = query.where('answer_conflicts.status', '=', status);
  return toViews(db, await query.execute());
}

export async function getConflict(db: Kysely<Database>, id: number): Promise<ConflictView> {
  const row = await baseQuery(db).where('answer_conflicts.id', '=', id).executeTakeFirst();
  if (!row) throw Problem.notFound(`Conflict ${id}`);
  return (await toViews(db, [row]))[0] as ConflictView;
}

export type Resolution =
  /** Keep the answer as it is here. */
  | { choice: 'keep' }
  /** Save this answer (e.g. the other side's value, or a combination) as a new revision on top of `baseRevision`. */
  | { choice: 'answer'; value: AnswerValue; note?: string | null | undefined; source?: string | null | undefined; evidence?: EvidenceLevel | null | undefined; baseRevision: number; opId?: string | undefined };

/** `actor.email` is recorded as who resolved it (an e-mail travels between installations, an id does not). */
export async function resolveConflict(db: Kysely<Database>, actor: Actor & { email: string }, id: number, resolution: Resolution): Promise<ConflictView> {
  return inTransaction(db, async (trx) => {
    const conflict = await getConflict(trx, id);
    if (conflict.status !== 'open') {
      throw new Problem('conflict', `Conflict ${id} was already resolved by ${conflict.resolvedBy ?? 'someone'} at ${conflict.resolvedAt ?? 'an earlier time'}.`, [{ path: 'status', message: 'already resolved' }]);
    }
    let revision: number;
    if (resolution.choice === 'keep') {
      if (!conflict.current) throw Problem.validation('There is no answer here to keep: choose an answer to save instead.', [{ path: 'choice', message: 'nothing to keep' }]);
      revision = conflict.current.revision;
    } else {
      ({ revision } = await saveAnswer(trx, actor, {
        assessmentId: conflict.assessmentId, questionId: conflict.questionId, value: resolution.value, note: resolution.note, source: resolution.source,
        evidence: resolution.evidence, baseRevision: resolution.baseRevision, opId: resolution.opId,
      }));
    }
    const resolvedAt = new Date().toISOString();
    await withExchangeTables(trx).updateTable('answer_conflicts').set({ status: 'resolved', resolved_at: resolvedAt, resolved_by: actor.email.toLowerCase(), resolved_revision: revision })
      .where('id', '=', id).execute();
    await writeAudit(trx, actor, 'answer.conflict.resolve', { type: 'answer', id: `${conflict.assessmentId}/${conflict.questionId}` }, { status: 'open', revision: conflict.current?.revision ?? null },
      { status: 'resolved', choice: resolution.choice, revision });
    return getConflict(trx, id);
  });
}
