/**
 * Which status a report of the mission's draft may print on every page. An approval belongs to one
 * version of the text printed from one state of the data: a report goes to a ministry, so a live render
 * says "Version n · approved <date>" only when it is made from exactly the data revision and draft
 * revision that version was approved at. Anything else is either a draft, or an approved draft whose
 * data or text has moved since, which the report says instead. Pure.
 */
import type { ReportDraftInput } from '../input.js';
import type { ReportStatus } from '../model/common.js';

export function reportStatus(draft: Pick<ReportDraftInput, 'state' | 'revision' | 'version'>, dataRevision: string): ReportStatus {
  const version = draft.version;
  if (draft.state !== 'final' || !version) return { kind: 'draft', revision: draft.revision };
  const approval = { version: version.number, approvedAt: version.approvedAt };
  if (version.dataRevision !== dataRevision) return { kind: 'changed', ...approval, approvedDataRevision: version.dataRevision, change: 'data' };
  if (version.draftRevision !== draft.revision) return { kind: 'changed', ...approval, approvedDataRevision: version.dataRevision, change: 'draft' };
  return { kind: 'final', ...approval };
}
