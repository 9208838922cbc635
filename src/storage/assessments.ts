/** Assessments: one questionnaire answered during one mission, pinned to the questionnaire version. */
import type { Kysely } from 'kysely';
import { Problem } from '../shared/problem.js';
import { writeAudit, type Actor } from './audit.js';
import { inTransaction } from './transaction.js';
import { getMission } from './missions.js';
import type { Database } from './schema.js';
import type { Scope } from '../questionnaire/vocabulary.js';

export interface AssessmentDto {
  id: number;
  missionId: number;
  countryCode: string;
  questionnaireId: string;
  /** The questionnaire version the assessment was started (or last re-pinned) on. */
  questionnaireVersion: number;
  /** The mission's scope: which questions its experts see and its scores count. */
  scope: Scope;
  isDemo: boolean;
  createdAt: string;
  /** Marked complete: when and by whom (null while open). */
  completedAt: string | null;
  completedBy: number | null;
}

function baseQuery(db: Kysely<Database>) {
  return db.selectFrom('assessments')
    .innerJoin('missions', 'missions.id', 'assessments.mission_id')
    .select(['assessments.id', 'assessments.mission_id', 'assessments.questionnaire_id', 'assessments.questionnaire_version', 'assessments.created_at', 'assessments.completed_at', 'assessments.completed_by', 'missions.country_code', 'missions.is_demo', 'missions.scope']);
}

export type AssessmentRow = Awaited<ReturnType<ReturnType<typeof baseQuery>['executeTakeFirstOrThrow']>>;

/** Also used by sqliteReads.ts, which reads the same columns with a prepared statement. */
export const toAssessmentDto = (row: AssessmentRow): AssessmentDto => ({
  id: row.id, missionId: row.mission_id, countryCode: row.country_code, questionnaireId: row.questionnaire_id,
  questionnaireVersion: row.questionnaire_version, scope: row.scope, isDemo: row.is_demo === 1, createdAt: row.created_at,
  completedAt: row.completed_at, completedBy: row.completed_by,
});

export async function findAssessment(db: Kysely<Database>, id: number): Promise<AssessmentDto | undefined> {
  const row = await baseQuery(db).where('assessments.id', '=', id).executeTakeFirst();
  return row && toAssessmentDto(row);
}

export async function getAssessment(db: Kysely<Database>, id: number): Promise<AssessmentDto> {
  return foundOr404(await findAssessment(db, id), id);
}

export function foundOr404(found: AssessmentDto | undefined, id: number): AssessmentDto {
  if (!found) throw Problem.notFound(`Assessment ${id}`);
  return found;
}

export async function listAssessments(db: Kysely<Database>, visible: 'all' | readonly string[], filter: { missionId?: number; countryCode?: string } = {}): Promise<AssessmentDto[]> {
  if (visible !== 'all' && visible.length === 0) return [];
  let query = baseQuery(db).orderBy('assessments.mission_id', 'desc').orderBy('assessments.questionnaire_id');
  if (visible !== 'all') query = query.where('missions.country_code', 'in', [...visible]);
  if (filter.missionId !== undefined) query = query.where('assessments.mission_id', '=', filter.missionId);
  if (filter.countryCode !== undefined) query = query.where('missions.country_code', '=', filter.countryCode);
  return (await query.execute()).map(toAssessmentDto);
}

export async function createAssessment(db: Kysely<Database>, actor: Actor, input: { missionId: number; questionnaireId: string; questionnaireVersion: number }): Promise<AssessmentDto> {
  return inTransaction(db, async (trx) => {
    await getMission(trx, input.missionId);
    const existing = await trx.selectFrom('assessments').select('id').where('mission_id', '=', input.missionId).where('questionnaire_id', '=', input.questionnaireId).executeTakeFirst();
    if (existing) {
      throw new Problem('conflict', `Mission ${input.missionId} already has an assessment for "${input.questionnaireId}" (assessment ${existing.id}).`, [{ path: 'questionnaireId', message: 'already assessed in this mission' }], { assessmentId: existing.id });
    }
    const { id } = await trx.insertInto('assessments').values({
      mission_id: input.missionId, questionnaire_id: input.questionnaireId, questionnaire_version: input.questionnaireVersion, created_at: new Date().toISOString(),
    }).returning('id').executeTakeFirstOrThrow();
    const created = await getAssessment(trx, id);
    await writeAudit(trx, actor, 'assessment.create', { type: 'assessment', id }, null, created);
    return created;
  });
}

/** Moves an assessment onto a newer questionnaire version; answers are kept by question id. */
export async function repinAssessment(db: Kysely<Database>, actor: Actor, id: number, version: number): Promise<AssessmentDto> {
  return inTransaction(db, async (trx) => {
    const before = await getAssessment(trx, id);
    if (version < before.questionnaireVersion) {
      throw Problem.validation(`Assessment ${id} is on version ${before.questionnaireVersion}; it cannot move back to ${version}.`, [{ path: 'version', message: 'must not be older than the pinned version' }]);
    }
    await trx.updateTable('assessments').set({ questionnaire_version: version }).where('id', '=', id).execute();
    await writeAudit(trx, actor, 'assessment.repin', { type: 'assessment', id }, { questionnaireVersion: before.questionnaireVersion }, { questionnaireVersion: version });
    return getAssessment(trx, id);
  });
}

/**
 * Marks an assessment complete or reopens it. Whether it may be completed (required questions answered)
 * is decided above storage, from the questionnaire; this records the decision and audits it.
 */
export async function setAssessmentCompletion(db: Kysely<Database>, actor: Actor, id: number, complete: boolean): Promise<AssessmentDto> {
  return inTransaction(db, async (trx) => {
    const before = await getAssessment(trx, id);
    if ((before.completedAt !== null) === complete) return before;
    await trx.updateTable('assessments').set(complete ? { completed_at: new Date().toISOString(), completed_by: actor.id } : { completed_at: null, completed_by: null }).where('id', '=', id).execute();
    const after = await getAssessment(trx, id);
    await writeAudit(trx, actor, complete ? 'assessment.complete' : 'assessment.reopen', { type: 'assessment', id }, { completedAt: before.completedAt }, { completedAt: after.completedAt });
    return after;
  });
}
