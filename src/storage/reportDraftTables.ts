/**
 * The tables of migration 0220_report_drafts as Kysely types. They live beside, not in, schema.ts
 * because only the report workspace uses them; `withDraftTables` widens a handle.
 */
import type { Generated, Kysely, Selectable } from 'kysely';
import type { Database } from './schema.js';

export const DRAFT_STATES = ['draft', 'in_review', 'final'] as const;
export type DraftState = (typeof DRAFT_STATES)[number];
export const TEXT_ORIGINS = ['generated', 'edited'] as const;
export type TextOrigin = (typeof TEXT_ORIGINS)[number];
export const RECOMMENDATION_ORIGINS = ['generated', 'custom'] as const;
export type RecommendationOrigin = (typeof RECOMMENDATION_ORIGINS)[number];
export const RECOMMENDATION_STATUSES = ['accepted', 'edited', 'dropped', 'gap-closed'] as const;
export type RecommendationStatus = (typeof RECOMMENDATION_STATUSES)[number];
export const OUTPUT_FORMATS = ['pdf', 'docx'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];
export const JOB_STATUSES = ['queued', 'running', 'done', 'failed'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

// Type aliases, not interfaces: Kysely's withTables needs their implicit index signature.
export type ReportDraftsTable = {
  mission_id: number;
  /** Raised by every change of a text or recommendation: identifies what a printed draft contains. */
  revision: number;
  state: DraftState;
  updated_by: number | null;
  updated_at: string;
};

export type ReportDraftTextsTable = {
  mission_id: number;
  key: string;
  text_en: string;
  text_ru: string;
  origin: TextOrigin;
  /** The language whose text no longer matches the other one's last edit. */
  needs_update: 'en' | 'ru' | null;
  revision: number;
  author_id: number | null;
  updated_at: string;
};

export type ReportDraftTextHistoryTable = {
  id: Generated<number>;
  mission_id: number;
  key: string;
  revision: number;
  text_en: string;
  text_ru: string;
  origin: TextOrigin;
  needs_update: 'en' | 'ru' | null;
  author_id: number | null;
  created_at: string;
  op_id: string | null;
};

export type ReportDraftRecommendationsTable = {
  id: Generated<number>;
  mission_id: number;
  origin: RecommendationOrigin;
  source_key: string | null;
  status: RecommendationStatus;
  text_en: string;
  text_ru: string;
  priority: string;
  timeframe: string;
  /** JSON arrays of strings. */
  institution: string;
  indicators: string;
  reference_ids: string;
  reason: string | null;
  merged_into: number | null;
  needs_update: 'en' | 'ru' | null;
  revision: number;
  author_id: number | null;
  created_at: string;
  updated_at: string;
};

export type ReportDraftRecommendationHistoryTable = {
  id: Generated<number>;
  recommendation_id: number;
  revision: number;
  /** JSON of the recommendation as saved at this revision. */
  content: string;
  author_id: number | null;
  created_at: string;
  op_id: string | null;
};

export type ReportVersionsTable = {
  id: Generated<number>;
  mission_id: number;
  version: number;
  change_note: string | null;
  data_revision: number;
  draft_revision: number;
  content: string;
  approved_by: number | null;
  approved_at: string;
};

export type ReportVersionFilesTable = {
  id: Generated<number>;
  version_id: number;
  format: OutputFormat;
  language: 'en' | 'ru' | 'bilingual';
  file_path: string;
  sha256: string;
  size: number;
};

export type ReportJobsTable = {
  id: Generated<number>;
  mission_id: number;
  format: OutputFormat;
  language: 'en' | 'ru' | 'bilingual';
  data_revision: number;
  draft_revision: number;
  status: JobStatus;
  attempts: Generated<number>;
  worker: string | null;
  lease_until: string | null;
  pages_done: Generated<number>;
  page_count: number | null;
  file_path: string | null;
  sha256: string | null;
  error: string | null;
  created_by: number | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
};

export type DraftTables = {
  report_drafts: ReportDraftsTable;
  report_draft_texts: ReportDraftTextsTable;
  report_draft_text_history: ReportDraftTextHistoryTable;
  report_draft_recommendations: ReportDraftRecommendationsTable;
  report_draft_recommendation_history: ReportDraftRecommendationHistoryTable;
  report_versions: ReportVersionsTable;
  report_version_files: ReportVersionFilesTable;
  report_jobs: ReportJobsTable;
};

export type DraftDatabase = Database & DraftTables;
export type DraftTextRow = Selectable<ReportDraftTextsTable>;
export type DraftRecommendationRow = Selectable<ReportDraftRecommendationsTable>;
export type ReportVersionRow = Selectable<ReportVersionsTable>;
export type ReportVersionFileRow = Selectable<ReportVersionFilesTable>;
export type ReportJobRow = Selectable<ReportJobsTable>;

export function withDraftTables(db: Kysely<Database>): Kysely<DraftDatabase> {
  return db.withTables<DraftTables>();
}
