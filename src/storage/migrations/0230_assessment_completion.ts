import type { Kysely } from 'kysely';

/**
 * An assessment can be marked complete (issue 12): when and by whom, null while it is open. Two plain
 * columns on assessments; reopening sets them back to null. Portable types (SQLite and PostgreSQL).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('assessments').addColumn('completed_at', 'text').execute();
  await db.schema.alterTable('assessments').addColumn('completed_by', 'integer').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('assessments').dropColumn('completed_by').execute();
  await db.schema.alterTable('assessments').dropColumn('completed_at').execute();
}
