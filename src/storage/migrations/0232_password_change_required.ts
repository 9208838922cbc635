import type { Kysely } from 'kysely';

/**
 * A password set by an administrator (a reset) is temporary: the user must choose their own at the
 * next sign-in (issue 12). 1 = must change, 0 = their own. Portable integer flag, like is_demo.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(0)).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('must_change_password').execute();
}
