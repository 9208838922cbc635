import { sql, type Kysely } from 'kysely';

/**
 * The report workspace (issue 11): one draft per mission with its narrative texts and recommendations
 * (each with a revision and a history, like answers), the final versions with their stored files, and
 * the report generation jobs that workers claim with a lease. Portable types only: SQLite and PostgreSQL.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable('report_drafts')
    .addColumn('mission_id', 'integer', (c) => c.primaryKey().references('missions.id').onDelete('cascade'))
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('draft', 'in_review', 'final')`))
    .addColumn('updated_by', 'integer')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema.createTable('report_draft_texts')
    .addColumn('mission_id', 'integer', (c) => c.notNull().references('missions.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('text_en', 'text', (c) => c.notNull())
    .addColumn('text_ru', 'text', (c) => c.notNull())
    .addColumn('origin', 'text', (c) => c.notNull().check(sql`origin in ('generated', 'edited')`))
    .addColumn('needs_update', 'text', (c) => c.check(sql`needs_update in ('en', 'ru')`))
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('author_id', 'integer')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('report_draft_texts_pk', ['mission_id', 'key'])
    .execute();

  await db.schema.createTable('report_draft_text_history')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('mission_id', 'integer', (c) => c.notNull().references('missions.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('text_en', 'text', (c) => c.notNull())
    .addColumn('text_ru', 'text', (c) => c.notNull())
    .addColumn('origin', 'text', (c) => c.notNull())
    .addColumn('needs_update', 'text')
    .addColumn('author_id', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('op_id', 'text', (c) => c.unique())
    .execute();
  await db.schema.createIndex('report_draft_text_history_key').on('report_draft_text_history').columns(['mission_id', 'key', 'revision']).execute();

  await db.schema.createTable('report_draft_recommendations')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('mission_id', 'integer', (c) => c.notNull().references('missions.id').onDelete('cascade'))
    .addColumn('origin', 'text', (c) => c.notNull().check(sql`origin in ('generated', 'custom')`))
    // The generated recommendation this row starts from (questionnaire/question/template); null for custom ones.
    .addColumn('source_key', 'text')
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('accepted', 'edited', 'dropped', 'gap-closed')`))
    .addColumn('text_en', 'text', (c) => c.notNull())
    .addColumn('text_ru', 'text', (c) => c.notNull())
    .addColumn('priority', 'text', (c) => c.notNull())
    .addColumn('timeframe', 'text', (c) => c.notNull())
    // JSON arrays: institutions (vocabulary ids or names), indicators (questionnaire/question), reference ids.
    .addColumn('institution', 'text', (c) => c.notNull())
    .addColumn('indicators', 'text', (c) => c.notNull())
    .addColumn('reference_ids', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('merged_into', 'integer')
    .addColumn('needs_update', 'text', (c) => c.check(sql`needs_update in ('en', 'ru')`))
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('author_id', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('report_draft_recommendations_source', ['mission_id', 'source_key'])
    .execute();

  await db.schema.createTable('report_draft_recommendation_history')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('recommendation_id', 'integer', (c) => c.notNull().references('report_draft_recommendations.id').onDelete('cascade'))
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('author_id', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('op_id', 'text', (c) => c.unique())
    .execute();
  await db.schema.createIndex('report_draft_recommendation_history_rec').on('report_draft_recommendation_history').columns(['recommendation_id', 'revision']).execute();

  await db.schema.createTable('report_versions')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('mission_id', 'integer', (c) => c.notNull().references('missions.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('change_note', 'text')
    .addColumn('data_revision', 'integer', (c) => c.notNull())
    .addColumn('draft_revision', 'integer', (c) => c.notNull())
    // JSON of the draft as approved: what the files were printed from.
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('approved_by', 'integer')
    .addColumn('approved_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('report_versions_number', ['mission_id', 'version'])
    .execute();

  await db.schema.createTable('report_version_files')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('version_id', 'integer', (c) => c.notNull().references('report_versions.id').onDelete('cascade'))
    .addColumn('format', 'text', (c) => c.notNull().check(sql`format in ('pdf', 'docx')`))
    .addColumn('language', 'text', (c) => c.notNull().check(sql`language in ('en', 'ru', 'bilingual')`))
    .addColumn('file_path', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('report_version_files_one', ['version_id', 'format', 'language'])
    .execute();

  await db.schema.createTable('report_jobs')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('mission_id', 'integer', (c) => c.notNull().references('missions.id').onDelete('cascade'))
    .addColumn('format', 'text', (c) => c.notNull().check(sql`format in ('pdf', 'docx')`))
    .addColumn('language', 'text', (c) => c.notNull().check(sql`language in ('en', 'ru', 'bilingual')`))
    .addColumn('data_revision', 'integer', (c) => c.notNull())
    .addColumn('draft_revision', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('queued', 'running', 'done', 'failed')`))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('worker', 'text')
    .addColumn('lease_until', 'text')
    .addColumn('pages_done', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('page_count', 'integer')
    .addColumn('file_path', 'text')
    .addColumn('sha256', 'text')
    .addColumn('error', 'text')
    .addColumn('created_by', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text')
    .addColumn('finished_at', 'text')
    .execute();
  await db.schema.createIndex('report_jobs_status').on('report_jobs').columns(['status', 'lease_until']).execute();
  await db.schema.createIndex('report_jobs_same').on('report_jobs').columns(['mission_id', 'format', 'language', 'data_revision', 'draft_revision']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['report_jobs', 'report_version_files', 'report_versions', 'report_draft_recommendation_history', 'report_draft_recommendations', 'report_draft_text_history', 'report_draft_texts', 'report_drafts']) {
    await db.schema.dropTable(table).execute();
  }
}
