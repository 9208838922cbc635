/** Per-country target levels that override a question's default target. */
import type { Kysely } from 'kysely';
import { writeAudit, type Actor } from './audit.js';
import { inTransaction } from './transaction.js';
import type { Database } from './schema.js';

export interface TargetOverrideDto {
  countryCode: string;
  questionnaireId: string;
  questionId: string;
  target: number;
  updatedBy: number | null;
  updatedAt: string;
}

export async function listTargetOverrides(db: Kysely<Database>, countryCode: string): Promise<TargetOverrideDto[]> {
  const rows = await db.selectFrom('target_overrides').selectAll().where('country_code', '=', countryCode).orderBy('questionnaire_id').orderBy('question_id').execute();
  return rows.map((r) => ({ countryCode: r.country_code, questionnaireId: r.questionnaire_id, questionId: r.question_id, target: r.target, updatedBy: r.updated_by, updatedAt: r.updated_at }));
}

export async function setTargetOverride(db: Kysely<Database>, actor: Actor, input: { countryCode: string; questionnaireId: string; questionId: string; target: number }): Promise<TargetOverrideDto> {
  return inTransaction(db, async (trx) => {
    const key = { country_code: input.countryCode, questionnaire_id: input.questionnaireId, question_id: input.questionId };
    const before = await trx.selectFrom('target_overrides').select('target').where('country_code', '=', key.country_code)
      .where('questionnaire_id', '=', key.questionnaire_id).where('question_id', '=', key.question_id).executeTakeFirst();
    const now = new Date().toISOString();
    await trx.insertInto('target_overrides').values({ ...key, target: input.target, updated_by: actor.id, updated_at: now })
      .onConflict((oc) => oc.columns(['country_code', 'questionnaire_id', 'question_id']).doUpdateSet({ target: input.target, updated_by: actor.id, updated_at: now }))
      .execute();
    await writeAudit(trx, actor, 'target.set', { type: 'target', id: `${input.countryCode}/${input.questionnaireId}/${input.questionId}` }, before ?? null, { target: input.target });
    return { countryCode: input.countryCode, questionnaireId: input.questionnaireId, questionId: input.questionId, target: input.target, updatedBy: actor.id, updatedAt: now };
  });
}

/** Returns whether an override existed. */
export async function deleteTargetOverride(db: Kysely<Database>, actor: Actor, input: { countryCode: string; questionnaireId: string; questionId: string }): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    const before = await trx.selectFrom('target_overrides').select('target').where('country_code', '=', input.countryCode)
      .where('questionnaire_id', '=', input.questionnaireId).where('question_id', '=', input.questionId).executeTakeFirst();
    if (!before) return false;
    await trx.deleteFrom('target_overrides').where('country_code', '=', input.countryCode)
      .where('questionnaire_id', '=', input.questionnaireId).where('question_id', '=', input.questionId).execute();
    await writeAudit(trx, actor, 'target.delete', { type: 'target', id: `${input.countryCode}/${input.questionnaireId}/${input.questionId}` }, before, null);
    return true;
  });
}
