import { sql, type Kysely } from 'kysely';

/**
 * Offline mission bundles (src/exchange): a stable id for each mission, so that the same mission is
 * recognised on another ENA installation, and the answer conflicts a bundle import found, kept until a
 * person resolves them. Numbered 0100 so that it never collides with the core storage migrations.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable('mission_uids')
    .addColumn('mission_id', 'integer', (c) => c.primaryKey().references('missions.id').onDelete('cascade'))
    .addColumn('uid', 'text', (c) => c.notNull().unique())
    .execute();

  await db.schema.createTable('answer_conflicts')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('assessment_id', 'integer', (c) => c.notNull().references('assessments.id').onDelete('cascade'))
    .addColumn('question_id', 'text', (c) => c.notNull())
    .addColumn('base_revision', 'integer', (c) => c.notNull())
    .addColumn('local_revision', 'integer', (c) => c.notNull())
    .addColumn('local_head', 'text', (c) => c.notNull())
    .addColumn('incoming_head', 'text', (c) => c.notNull())
    .addColumn('incoming', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open').check(sql`status in ('open', 'resolved')`))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('resolved_at', 'text')
    .addColumn('resolved_by', 'text')
    .addColumn('resolved_revision', 'integer')
    .addUniqueConstraint('answer_conflicts_incoming', ['assessment_id', 'question_id', 'incoming_head'])
    .execute();
  await db.schema.createIndex('answer_conflicts_open').on('answer_conflicts').columns(['assessment_id', 'status']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('answer_conflicts').execute();
  await db.schema.dropTable('mission_uids').execute();
}
