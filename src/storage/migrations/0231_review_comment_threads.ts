import type { Kysely } from 'kysely';

/**
 * Review comments become threads the expert can answer and close (issue 12): a reply points to the
 * comment it answers; a comment is resolved when and by whom (null while open). Portable types.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('review_comments').addColumn('reply_to', 'integer').execute();
  await db.schema.alterTable('review_comments').addColumn('resolved_at', 'text').execute();
  await db.schema.alterTable('review_comments').addColumn('resolved_by', 'integer').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('review_comments').dropColumn('resolved_by').execute();
  await db.schema.alterTable('review_comments').dropColumn('resolved_at').execute();
  await db.schema.alterTable('review_comments').dropColumn('reply_to').execute();
}
