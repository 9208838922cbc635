import type { Kysely } from 'kysely';

/**
 * Rate-limit counters in the database (issue 15), so that several ENA instances behind one load balancer
 * share one budget per client address instead of each granting its own.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable('rate_limit_hits')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('hits', 'integer', (c) => c.notNull())
    .addColumn('reset_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('rate_limit_hits_reset').on('rate_limit_hits').column('reset_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('rate_limit_hits').execute();
}
