/**
 * What a report is made from: plain data, no database handles. Storage (or a test, or the benchmark)
 * builds these; src/report/model turns them into report models without any I/O.
 */
import type { Language } from '../i18n/i18n.js';
import type { AnswerValue } from '../questionnaire/answerValue.js';
import type { Catalogue, Questionnaire } from '../questionnaire/model.js';
import type { Bilingual } from '../questionnaire/schema.js';
import type { EvidenceLevel, Institution } from '../questionnaire/vocabulary.js';
import type { TargetOverrides } from '../scoring/score.js';
import type { Scope } from '../questionnaire/vocabulary.js';

export const REPORT_LANGUAGES = ['en', 'ru', 'bilingual'] as const;
/** `bilingual` puts English and Russian side by side on the same page. */
export type ReportLanguage = (typeof REPORT_LANGUAGES)[number];

export const REPORT_KINDS = ['country', 'regional', 'progress'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

export function isReportLanguage(value: unknown): value is ReportLanguage {
  return (REPORT_LANGUAGES as readonly unknown[]).includes(value);
}

export interface ReportAnswer {
  value: AnswerValue;
  evidence?: EvidenceLevel | undefined;
  /** The expert's free-text note, printed in the language it was written in. */
  note?: string | undefined;
  /** The language of `note` as recorded; when absent the report tells it from the script. */
  noteLanguage?: Language | undefined;
  /** Where the answer comes from (a law, an interview, a document): printed as text, never as a link. */
  source?: string | undefined;
}

export interface AssessmentInput {
  questionnaire: Questionnaire;
  /** Answers keyed by question id. */
  answers: ReadonlyMap<string, ReportAnswer>;
}

export interface TeamMember {
  name: string;
  role?: string | undefined;
}

export interface InstitutionMet {
  name: string;
  type?: Institution | undefined;
  /** YYYY-MM-DD */
  date?: string | undefined;
}

export interface MissionInput {
  id: string;
  title: string;
  /** YYYY-MM-DD */
  startsOn: string;
  /** YYYY-MM-DD */
  endsOn: string;
  team: readonly TeamMember[];
  institutionsMet: readonly InstitutionMet[];
  /** Demo missions print "Demo data — not an assessment" on every page. */
  isDemo: boolean;
  /** `core` or `full` (default): printed in the report; the assessments' questionnaires are already scoped. */
  scope?: Scope | undefined;
}

export interface CountryInput {
  /** ISO 3166-1 alpha-2, e.g. KZ. */
  code: string;
  name: Bilingual;
}

/** One mission of one country with everything assessed during it. */
export interface MissionAssessments {
  mission: MissionInput;
  assessments: readonly AssessmentInput[];
}

/** A marking such as "For official use": one string for both languages, or one per language. */
export type Marking = string | Bilingual;

/** What every report carries besides its data. */
export interface ReportContext {
  catalogue: Catalogue;
  marking: Marking;
  /** Printed on the cover; defaults to the report:project.name string. */
  projectName?: Bilingual | undefined;
  generatedAt: Date;
  /** Identifies the data the report was made from, so a printed report can be traced back. */
  dataRevision: string;
}

/** A recommendation of the report draft (src/storage/reportDrafts.ts), as the report prints it. */
export interface DraftRecommendationInput {
  id: number;
  origin: 'generated' | 'custom';
  /** The generated recommendation (RecommendationView.key) it starts from; null for custom ones. */
  sourceKey: string | null;
  status: 'accepted' | 'edited' | 'dropped' | 'gap-closed';
  text: Bilingual;
  priority: string;
  timeframe: string;
  /** Vocabulary ids (printed translated) or names (printed as written). */
  institution: readonly string[];
  /** questionnaireId/questionId */
  indicators: readonly string[];
  references: readonly string[];
}

/** What was approved: the version number and time, and the data, draft and questionnaires it was printed from. */
export interface ApprovedVersion {
  number: number;
  approvedAt: string;
  dataRevision: string;
  draftRevision: number;
  /** The questionnaires' fingerprint (draft/fingerprint.ts); null for versions approved before ENA recorded it. */
  questionnaires: string | null;
}

/** The mission team's report draft: narrative texts and recommendations as edited, and its state. */
export interface ReportDraftInput {
  revision: number;
  state: 'draft' | 'in_review' | 'final';
  /**
   * The approved version of a final draft, with the data and draft revisions it was approved at: a
   * report prints "Version n · approved" only when it is made from exactly those (draft/status.ts).
   */
  version?: ApprovedVersion | undefined;
  texts: readonly { key: string; en: string; ru: string }[];
  recommendations: readonly DraftRecommendationInput[];
}

export interface CountryReportInput extends ReportContext, MissionAssessments {
  country: CountryInput;
  targets: TargetOverrides;
  /** Without a draft the report prints the generated texts and recommendations as they are. */
  draft?: ReportDraftInput | undefined;
}

export interface RegionalCountryInput extends MissionAssessments {
  country: CountryInput;
  targets: TargetOverrides;
}

export interface RegionalReportInput extends ReportContext {
  /** Defaults to the report:regional.defaultTitle string. */
  title?: Bilingual | undefined;
  countries: readonly RegionalCountryInput[];
}

export interface ProgressReportInput extends ReportContext {
  country: CountryInput;
  targets: TargetOverrides;
  baseline: MissionAssessments;
  followUp: MissionAssessments;
}

export type ReportRequest =
  | { kind: 'country'; input: CountryReportInput }
  | { kind: 'regional'; input: RegionalReportInput }
  | { kind: 'progress'; input: ProgressReportInput };
