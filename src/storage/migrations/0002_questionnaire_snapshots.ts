import type { Kysely } from 'kysely';

/**
 * Each questionnaire version ENA has served, as JSON. Assessments pin a version; when the YAML changes
 * later, the snapshot of the pinned version is what the change report compares against.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable('questionnaire_snapshots')
    .addColumn('questionnaire_id', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('first_seen_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('questionnaire_snapshots_pk', ['questionnaire_id', 'version'])
    .execute();
  // Sessions are looked up by token hash (the primary key) and purged by expiry.
  await db.schema.createIndex('sessions_expires').on('sessions').column('expires_at').execute();
  // "What happened to this mission?" reads the audit log by entity.
  await db.schema.createIndex('audit_log_entity').on('audit_log').columns(['entity_type', 'entity_id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('audit_log_entity').execute();
  await db.schema.dropIndex('sessions_expires').execute();
  await db.schema.dropTable('questionnaire_snapshots').execute();
}
