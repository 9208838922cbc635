/**
 * The report draft of one mission brought up to date with the scores and handed to the report: the
 * glue between src/storage/reportDrafts.ts (the rows) and the pure modules beside this file.
 */
import type { Kysely } from 'kysely';
import type { Actor } from '../../storage/audit.js';
import { applySyncPlan, getDraft, type DraftDto } from '../../storage/reportDrafts.js';
import { latestVersion } from '../../storage/reportVersions.js';
import type { Database } from '../../storage/schema.js';
import type { CountryReportInput, ReportDraftInput } from '../input.js';
import { buildCountryReport } from '../model/country.js';
import { generatedRecommendations, generatedTexts, planSync } from './sync.js';

/** Synchronises the mission's draft with the scores in `input` (creating it on first use) and returns it. */
export async function syncDraft(db: Kysely<Database>, actor: Actor, missionId: number, input: CountryReportInput): Promise<DraftDto> {
  const model = buildCountryReport({ ...input, draft: undefined }, 'en');
  const before = await getDraft(db, missionId);
  // A final draft is frozen: what changed since is picked up when someone starts the next version.
  if (before?.state === 'final') return before;
  await applySyncPlan(db, actor, missionId, planSync(before, generatedTexts(model), generatedRecommendations(model)));
  return (await getDraft(db, missionId)) as DraftDto;
}

export async function draftInput(db: Kysely<Database>, draft: DraftDto): Promise<ReportDraftInput> {
  const version = draft.state === 'final' ? await latestVersion(db, draft.missionId) : null;
  return {
    revision: draft.revision,
    state: draft.state,
    version: version ? { number: version.version, approvedAt: version.approvedAt, dataRevision: String(version.dataRevision), draftRevision: version.draftRevision } : undefined,
    texts: draft.texts,
    recommendations: draft.recommendations,
  };
}
