/**
 * The database tables as Kysely types. Columns are snake_case as in SQL; JSON columns hold text.
 * Time columns hold ISO-8601 UTC strings, so that they sort and read the same in SQLite and PostgreSQL.
 */
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { Scope } from '../questionnaire/vocabulary.js';

export const ROLES = ['admin', 'manager', 'expert', 'viewer'] as const;
export type Role = (typeof ROLES)[number];
export const MISSION_STATUSES = ['planned', 'in_progress', 'completed'] as const;
export type MissionStatus = (typeof MISSION_STATUSES)[number];
export const REVIEW_STATES = ['open', 'in_review', 'approved'] as const;
export type ReviewState = (typeof REVIEW_STATES)[number];

export interface UsersTable {
  id: Generated<number>;
  email: string;
  name: string;
  password_hash: string;
  role: Role;
  language: 'en' | 'ru';
  is_demo: Generated<number>;
  created_at: string;
  disabled_at: string | null;
  /** Migration 0232: 1 while the password is a temporary one set by an administrator. */
  must_change_password: Generated<number>;
}

export interface UserCountriesTable {
  user_id: number;
  country_code: string;
}

export interface SessionsTable {
  /** SHA-256 of the token in the cookie: a leaked database does not leak live sessions. */
  id_hash: string;
  user_id: number;
  csrf_token: string;
  created_at: string;
  expires_at: string;
}

export interface CountriesTable {
  code: string;
  name_en: string;
  name_ru: string;
}

export interface MissionsTable {
  id: Generated<number>;
  country_code: string;
  title: string;
  starts_on: string;
  ends_on: string;
  /** JSON array of team member names. */
  team: string;
  /** JSON array of institutions met. */
  institutions_met: string;
  status: MissionStatus;
  /** `core` | `full` (migration 0210): which questions the mission's experts see and scores count. */
  scope: Generated<Scope>;
  is_demo: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface AssessmentsTable {
  id: Generated<number>;
  mission_id: number;
  questionnaire_id: string;
  /** The questionnaire version the answers were given against. */
  questionnaire_version: number;
  created_at: string;
  /** Marked complete (migration 0230): when and by whom; null while open. */
  completed_at: string | null;
  completed_by: number | null;
}

export interface AnswersTable {
  assessment_id: number;
  question_id: string;
  /** JSON of the answer value (see src/questionnaire/answerValue.ts). */
  value: string;
  note: string | null;
  source: string | null;
  evidence: 'documented' | 'testimonial' | 'none' | null;
  revision: number;
  author_id: number | null;
  updated_at: string;
}

export interface AnswerHistoryTable {
  id: Generated<number>;
  assessment_id: number;
  question_id: string;
  revision: number;
  value: string;
  note: string | null;
  source: string | null;
  evidence: 'documented' | 'testimonial' | 'none' | null;
  author_id: number | null;
  created_at: string;
  /** Client operation id: a retried save with the same op id returns the first result. */
  op_id: string | null;
}

export interface SectionReviewsTable {
  assessment_id: number;
  section_id: string;
  state: ReviewState;
  updated_by: number | null;
  updated_at: string;
}

export interface ReviewCommentsTable {
  id: Generated<number>;
  assessment_id: number;
  section_id: string;
  author_id: number | null;
  body: string;
  created_at: string;
  /** Migration 0231: the comment this one answers (null for a thread's first comment). */
  reply_to: number | null;
  /** Migration 0231: when and by whom the thread was marked resolved (null while open). */
  resolved_at: string | null;
  resolved_by: number | null;
}

export interface TargetOverridesTable {
  country_code: string;
  questionnaire_id: string;
  question_id: string;
  target: number;
  updated_by: number | null;
  updated_at: string;
}

export interface GeneratedReportsTable {
  id: Generated<number>;
  kind: 'country' | 'regional' | 'progress';
  mission_id: number | null;
  /** Comma-separated country codes covered by the report. */
  countries: string;
  language: 'en' | 'ru' | 'bilingual';
  file_path: string;
  /** Highest answer-history id included: which data the report reflects. */
  data_revision: number;
  created_by: number | null;
  created_at: string;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  actor_id: number | null;
  action: string;
  entity_type: string;
  entity_id: string;
  before: string | null;
  after: string | null;
  prev_hash: string;
  hash: string;
}

export interface QuestionnaireSnapshotsTable {
  questionnaire_id: string;
  version: number;
  /** JSON of the questionnaire document (QuestionnaireDoc) as it was at that version. */
  content: string;
  first_seen_at: string;
}

export interface RateLimitHitsTable {
  /** The limiter's key, e.g. the client address. */
  key: string;
  hits: number;
  /** When the current window ends (ISO-8601 UTC); a hit after it starts a new window. */
  reset_at: string;
}

export interface Database {
  users: UsersTable;
  user_countries: UserCountriesTable;
  sessions: SessionsTable;
  countries: CountriesTable;
  missions: MissionsTable;
  assessments: AssessmentsTable;
  answers: AnswersTable;
  answer_history: AnswerHistoryTable;
  section_reviews: SectionReviewsTable;
  review_comments: ReviewCommentsTable;
  target_overrides: TargetOverridesTable;
  generated_reports: GeneratedReportsTable;
  audit_log: AuditLogTable;
  questionnaire_snapshots: QuestionnaireSnapshotsTable;
  rate_limit_hits: RateLimitHitsTable;
}

export type User = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type Mission = Selectable<MissionsTable>;
export type MissionUpdate = Updateable<MissionsTable>;
export type Assessment = Selectable<AssessmentsTable>;
export type AnswerRow = Selectable<AnswersTable>;
export type AnswerHistoryRow = Selectable<AnswerHistoryTable>;
export type Country = Selectable<CountriesTable>;
export type AuditRow = Selectable<AuditLogTable>;
export type SessionRow = Selectable<SessionsTable>;
export type ReviewComment = Selectable<ReviewCommentsTable>;
export type SectionReview = Selectable<SectionReviewsTable>;
export type TargetOverride = Selectable<TargetOverridesTable>;
export type GeneratedReport = Selectable<GeneratedReportsTable>;
