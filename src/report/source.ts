/**
 * Where report inputs come from. The CLI, the web routes and the benchmark ask a ReportSource; the
 * SQLite implementation is storeSource.ts, tests may pass their own.
 */
import type { Bilingual } from '../questionnaire/schema.js';
import type { CountryReportInput, ProgressReportInput, RegionalReportInput, ReportKind, ReportLanguage } from './input.js';

export interface SourceCountry {
  code: string;
  name: Bilingual;
  /** Mission ids, oldest first. */
  missionIds: string[];
}

export interface GeneratedReportRecord {
  kind: ReportKind;
  /** The mission a country report covers, or the follow-up mission of a progress report. */
  missionId: string | null;
  countries: readonly string[];
  language: ReportLanguage;
  filePath: string;
  dataRevision: string;
}

export interface ReportSource {
  /** A country report for one mission; by default the country's latest mission. */
  countryReport(code: string, missionId?: string): Promise<CountryReportInput>;
  /** The latest mission of each country. */
  regionalReport(codes: readonly string[], title?: Bilingual): Promise<RegionalReportInput>;
  progressReport(code: string, fromMissionId: string, toMissionId: string): Promise<ProgressReportInput>;
  /** Every country with at least one mission. */
  countries(): Promise<SourceCountry[]>;
  /** Records that a report was generated (who, when, which data revision), when the source keeps such records. */
  record?(report: GeneratedReportRecord): Promise<void>;
}
