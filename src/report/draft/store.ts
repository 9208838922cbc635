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

/** What a synchronisation of one mission's draft saw: the data, the questionnaires and the draft it left. */
export interface SyncedState { dataRevision: string; catalogue: CountryReportInput['catalogue']; draftRevision: number }

/**
 * Whether synchronising `draft` with `input` could change anything, given the last synchronisation of the
 * same draft in this process. Generated texts and recommendations are a function of the scores (the data
 * revision covers every answer, assessment, mission, country and target), the questionnaires and the
 * draft; with all three unchanged since a synchronisation, the plan is empty (planSync is idempotent).
 */
export function syncNeeded(last: SyncedState | undefined, input: Pick<CountryReportInput, 'dataRevision' | 'catalogue'>, draft: Pick<DraftDto, 'revision'> | null): boolean {
  return !(last && draft && last.dataRevision === input.dataRevision && last.catalogue === input.catalogue && last.draftRevision === draft.revision);
}

/** The last synchronisation per database and mission, so that a report of unchanged data skips building the model twice. */
const lastSyncs = new WeakMap<Kysely<Database>, Map<number, SyncedState>>();

/**
 * Synchronises the mission's draft with the scores in `input` (creating it on first use) and returns it.
 * `exactRevision`: `input` holds the data exactly as at `input.dataRevision` (nothing was written while it
 * was read); only then may a later report at the same revision skip the synchronisation.
 */
export async function syncDraft(db: Kysely<Database>, actor: Actor, missionId: number, input: CountryReportInput, { exactRevision }: { exactRevision: boolean }): Promise<DraftDto> {
  const before = await getDraft(db, missionId);
  // A final draft is frozen: what changed since is picked up when someone starts the next version.
  if (before?.state === 'final') return before;
  const synced = lastSyncs.get(db) ?? new Map<number, SyncedState>();
  lastSyncs.set(db, synced);
  if (before && !syncNeeded(synced.get(missionId), input, before)) return before;
  const model = buildCountryReport({ ...input, draft: undefined }, 'en');
  await applySyncPlan(db, actor, missionId, planSync(before, generatedTexts(model), generatedRecommendations(model)));
  const after = (await getDraft(db, missionId)) as DraftDto;
  if (exactRevision) synced.set(missionId, { dataRevision: input.dataRevision, catalogue: input.catalogue, draftRevision: after.revision });
  else synced.delete(missionId);
  return after;
}

export async function draftInput(db: Kysely<Database>, draft: DraftDto): Promise<ReportDraftInput> {
  const version = draft.state === 'final' ? await latestVersion(db, draft.missionId) : null;
  return {
    revision: draft.revision,
    state: draft.state,
    version: version ? { number: version.version, approvedAt: version.approvedAt, dataRevision: String(version.dataRevision), draftRevision: version.draftRevision, questionnaires: version.questionnaires } : undefined,
    texts: draft.texts,
    recommendations: draft.recommendations,
  };
}
