/**
 * Which status a report of the mission's draft may print on every page. An approval belongs to one
 * version of the text printed from one state of the data: a report goes to a ministry, so a live render
 * says "Version n · approved <date>" only when it is made from exactly the data revision, draft revision
 * and questionnaires that version was approved at. Anything else is either a draft, or an approved draft
 * whose data, text or questionnaires have moved since, which the report says instead. Pure.
 */
import type { CountryReportInput, ReportDraftInput } from '../input.js';
import type { ReportStatus } from '../model/common.js';
import { questionnaireFingerprint } from './fingerprint.js';

/** What this render is made from: the data revision, and the questionnaires' fingerprint (fingerprint.ts), asked only when needed. */
export interface RenderSource {
  dataRevision: string;
  questionnaires: () => string;
}

export function reportStatus(draft: Pick<ReportDraftInput, 'state' | 'revision' | 'version'>, source: RenderSource): ReportStatus {
  const version = draft.version;
  if (draft.state !== 'final' || !version) return { kind: 'draft', revision: draft.revision };
  const approval = { version: version.number, approvedAt: version.approvedAt };
  const changed = (change: 'data' | 'draft' | 'questionnaires'): ReportStatus => ({ kind: 'changed', ...approval, approvedDataRevision: version.dataRevision, change });
  if (version.dataRevision !== source.dataRevision) return changed('data');
  if (version.draftRevision !== draft.revision) return changed('draft');
  // Versions approved before ENA recorded the fingerprint have none: their data and draft revisions decide.
  if (version.questionnaires !== null && version.questionnaires !== source.questionnaires()) return changed('questionnaires');
  return { kind: 'final', ...approval };
}

/** The status a country report made from `input` prints; null without a draft (outside the report workspace). */
export function reportStatusOf(input: Pick<CountryReportInput, 'draft' | 'dataRevision' | 'assessments' | 'catalogue'>): ReportStatus | null {
  return input.draft ? reportStatus(input.draft, { dataRevision: input.dataRevision, questionnaires: () => questionnaireFingerprint(input) }) : null;
}
