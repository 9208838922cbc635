/** A country's stored target overrides in the form scoring takes. */
import type { Kysely } from 'kysely';
import { targetKey, type TargetOverrides } from '../scoring/score.js';
import type { Database } from '../storage/schema.js';
import { listTargetOverrides } from '../storage/targets.js';

export async function targetOverridesFor(db: Kysely<Database>, countryCode: string): Promise<TargetOverrides> {
  return new Map((await listTargetOverrides(db, countryCode)).map((o) => [targetKey(o.questionnaireId, o.questionId), o.target]));
}
