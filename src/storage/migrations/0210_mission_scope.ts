import type { Kysely } from 'kysely';

/**
 * A mission's scope (issue 10): `core`, the visit-sized set of indicators marked `core: true`, or
 * `full`, every question. Missions that existed before keep seeing every question: default 'full'.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('missions').addColumn('scope', 'text', (c) => c.notNull().defaultTo('full')).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('missions').dropColumn('scope').execute();
}
