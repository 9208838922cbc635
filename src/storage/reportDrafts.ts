/**
 * The report draft of a mission: narrative texts and recommendations, each with its own revision and
 * history like answers (optimistic concurrency, idempotent retries by opId, history row and audit row in
 * the same transaction), and the draft's own revision, raised by every change, which identifies what a
 * printed draft contains. Synchronisation with the scores is planned by src/report/draft/sync.ts (pure)
 * and written here by applySyncPlan.
 */
import type { Kysely } from 'kysely';
import { Problem } from '../shared/problem.js';
import { writeAudit, type Actor } from './audit.js';
import {
  withDraftTables, type DraftDatabase, type DraftRecommendationRow, type DraftState, type DraftTextRow, type RecommendationOrigin,
  type RecommendationStatus, type TextOrigin,
} from './reportDraftTables.js';
import type { Database } from './schema.js';
import { inTransaction } from './transaction.js';

export type DraftLanguage = 'en' | 'ru';
export type TranslationState = 'current' | 'needs-update';
export interface Translation { en: TranslationState; ru: TranslationState }
export interface BilingualText { en: string; ru: string }

export interface DraftTextDto {
  key: string;
  en: string;
  ru: string;
  origin: TextOrigin;
  translation: Translation;
  revision: number;
  authorId: number | null;
  updatedAt: string;
}

export interface DraftRecommendationDto {
  id: number;
  origin: RecommendationOrigin;
  /** The generated recommendation it starts from; null for custom ones. */
  sourceKey: string | null;
  status: RecommendationStatus;
  text: BilingualText;
  priority: string;
  timeframe: string;
  /** Institutions responsible: vocabulary ids (printed translated) or names (printed as written). */
  institution: string[];
  /** The questions it answers, as questionnaireId/questionId. */
  indicators: string[];
  references: string[];
  reason: string | null;
  mergedInto: number | null;
  translation: Translation;
  revision: number;
  authorId: number | null;
  updatedAt: string;
}

export interface DraftDto {
  missionId: number;
  revision: number;
  state: DraftState;
  texts: DraftTextDto[];
  recommendations: DraftRecommendationDto[];
}

const translation = (needsUpdate: DraftLanguage | null): Translation => ({
  en: needsUpdate === 'en' ? 'needs-update' : 'current',
  ru: needsUpdate === 'ru' ? 'needs-update' : 'current',
});

const jsonList = (text: string): string[] => JSON.parse(text) as string[];

export function toTextDto(row: DraftTextRow): DraftTextDto {
  return {
    key: row.key, en: row.text_en, ru: row.text_ru, origin: row.origin, translation: translation(row.needs_update),
    revision: row.revision, authorId: row.author_id, updatedAt: row.updated_at,
  };
}

export function toRecommendationDto(row: DraftRecommendationRow): DraftRecommendationDto {
  return {
    id: row.id, origin: row.origin, sourceKey: row.source_key, status: row.status, text: { en: row.text_en, ru: row.text_ru },
    priority: row.priority, timeframe: row.timeframe, institution: jsonList(row.institution), indicators: jsonList(row.indicators),
    references: jsonList(row.reference_ids), reason: row.reason, mergedInto: row.merged_into, translation: translation(row.needs_update),
    revision: row.revision, authorId: row.author_id, updatedAt: row.updated_at,
  };
}

/** The draft of a mission, or null when none has been made yet. */
export async function getDraft(db: Kysely<Database>, missionId: number): Promise<DraftDto | null> {
  const ddb = withDraftTables(db);
  const draft = await ddb.selectFrom('report_drafts').selectAll().where('mission_id', '=', missionId).executeTakeFirst();
  if (!draft) return null;
  const texts = await ddb.selectFrom('report_draft_texts').selectAll().where('mission_id', '=', missionId).orderBy('key').execute();
  const recommendations = await ddb.selectFrom('report_draft_recommendations').selectAll().where('mission_id', '=', missionId).orderBy('id').execute();
  return { missionId, revision: draft.revision, state: draft.state, texts: texts.map(toTextDto), recommendations: recommendations.map(toRecommendationDto) };
}

/** Raises the draft's revision; a change to a final draft starts the next version's draft. */
async function touchDraft(trx: Kysely<DraftDatabase>, actor: Actor, missionId: number, now: string): Promise<number> {
  const draft = await trx.selectFrom('report_drafts').select(['revision', 'state']).where('mission_id', '=', missionId).executeTakeFirst();
  if (!draft) {
    await trx.insertInto('report_drafts').values({ mission_id: missionId, revision: 1, state: 'draft', updated_by: actor.id, updated_at: now }).execute();
    return 1;
  }
  const revision = draft.revision + 1;
  await trx.updateTable('report_drafts').set({ revision, state: draft.state === 'final' ? 'draft' : draft.state, updated_by: actor.id, updated_at: now })
    .where('mission_id', '=', missionId).execute();
  return revision;
}

function staleRevision(what: string, current: number, base: number, extra: Record<string, unknown>): Problem {
  return new Problem('conflict',
    `This ${what} was changed by someone else (revision ${current}, you edited revision ${base}). Nothing was overwritten: compare both versions and save again on top of revision ${current}.`,
    [{ path: 'baseRevision', message: `expected ${current}` }], extra);
}

/**
 * Which language needs an update after a save that sent `sent` languages, `changed` of them with new
 * text. Saving the language that was waiting (edited or sent unchanged to confirm it) settles it;
 * changing one up-to-date language alone marks the other; saving both settles both.
 */
export function nextNeedsUpdate(current: DraftLanguage | null, sent: readonly DraftLanguage[], changed: readonly DraftLanguage[]): DraftLanguage | null {
  if (sent.length === 2) return null;
  const [language] = sent;
  if (language === undefined) return current;
  if (current === language) return null;
  if (changed.length > 0) return language === 'en' ? 'ru' : 'en';
  return current;
}

// ---------- Synchronisation with the scores ----------

export interface GeneratedTextInput { key: string; text: BilingualText }
/** A recommendation as the scores generate it: the DTO's content fields, always with its source key. */
export type GeneratedRecommendationInput = Pick<DraftRecommendationDto, 'text' | 'priority' | 'timeframe' | 'institution' | 'indicators' | 'references'> & { sourceKey: string };

/** What synchronisation changes; planned by src/report/draft/sync.ts from the draft and the scores. */
export interface SyncPlan {
  insertTexts: GeneratedTextInput[];
  /** Texts still as generated whose generated text changed. */
  refreshTexts: GeneratedTextInput[];
  insertRecommendations: GeneratedRecommendationInput[];
  /** Generated recommendations still as generated whose template changed (e.g. a new level, a new target). */
  refreshRecommendations: (GeneratedRecommendationInput & { id: number })[];
  /** Untouched generated recommendations whose gap has closed: nothing anyone wrote is lost. */
  removeRecommendations: number[];
  /** Worked-on recommendations whose gap has closed: kept, flagged for review. */
  closeRecommendations: number[];
  /** Flagged recommendations whose gap is open again. */
  reopenRecommendations: number[];
}

export const isEmptyPlan = (plan: SyncPlan): boolean => Object.values(plan).every((list: unknown[]) => list.length === 0);

async function recordRecommendation(trx: Kysely<DraftDatabase>, row: DraftRecommendationRow, now: string, opId: string | null): Promise<void> {
  const { id: _id, ...content } = toRecommendationDto(row);
  await trx.insertInto('report_draft_recommendation_history').values({
    recommendation_id: row.id, revision: row.revision, content: JSON.stringify(content), author_id: row.author_id, created_at: now, op_id: opId,
  }).execute();
}

async function recordText(trx: Kysely<DraftDatabase>, row: DraftTextRow, now: string, opId: string | null): Promise<void> {
  await trx.insertInto('report_draft_text_history').values({
    mission_id: row.mission_id, key: row.key, revision: row.revision, text_en: row.text_en, text_ru: row.text_ru, origin: row.origin,
    needs_update: row.needs_update, author_id: row.author_id, created_at: now, op_id: opId,
  }).execute();
}

/** Writes a synchronisation plan in one transaction with one audit row; creates the draft when missing. */
export async function applySyncPlan(db: Kysely<Database>, actor: Actor, missionId: number, plan: SyncPlan): Promise<void> {
  const exists = await withDraftTables(db).selectFrom('report_drafts').select('mission_id').where('mission_id', '=', missionId).executeTakeFirst();
  if (exists && isEmptyPlan(plan)) return;
  await inTransaction(db, async (plain) => {
    const trx = withDraftTables(plain);
    const now = new Date().toISOString();
    const revision = await touchDraft(trx, actor, missionId, now);
    for (const text of plan.insertTexts) {
      const row: DraftTextRow = { mission_id: missionId, key: text.key, text_en: text.text.en, text_ru: text.text.ru, origin: 'generated', needs_update: null, revision: 1, author_id: null, updated_at: now };
      await trx.insertInto('report_draft_texts').values(row).execute();
      await recordText(trx, row, now, null);
    }
    for (const text of plan.refreshTexts) {
      const row = await trx.updateTable('report_draft_texts').set((eb) => ({ text_en: text.text.en, text_ru: text.text.ru, revision: eb('revision', '+', 1), updated_at: now }))
        .where('mission_id', '=', missionId).where('key', '=', text.key).where('origin', '=', 'generated').returningAll().executeTakeFirst();
      if (row) await recordText(trx, row, now, null);
    }
    for (const rec of plan.insertRecommendations) {
      const row = await trx.insertInto('report_draft_recommendations').values({
        mission_id: missionId, origin: 'generated', source_key: rec.sourceKey, status: 'accepted', text_en: rec.text.en, text_ru: rec.text.ru,
        priority: rec.priority, timeframe: rec.timeframe, institution: JSON.stringify(rec.institution), indicators: JSON.stringify(rec.indicators),
        reference_ids: JSON.stringify(rec.references), reason: null, merged_into: null, needs_update: null, revision: 1, author_id: null, created_at: now, updated_at: now,
      }).returningAll().executeTakeFirstOrThrow();
      await recordRecommendation(trx, row, now, null);
    }
    for (const rec of plan.refreshRecommendations) {
      const row = await trx.updateTable('report_draft_recommendations').set((eb) => ({
        text_en: rec.text.en, text_ru: rec.text.ru, priority: rec.priority, timeframe: rec.timeframe, institution: JSON.stringify(rec.institution),
        indicators: JSON.stringify(rec.indicators), reference_ids: JSON.stringify(rec.references), revision: eb('revision', '+', 1), updated_at: now,
      })).where('id', '=', rec.id).where('status', '=', 'accepted').returningAll().executeTakeFirst();
      if (row) await recordRecommendation(trx, row, now, null);
    }
    if (plan.removeRecommendations.length > 0) {
      await trx.deleteFrom('report_draft_recommendations').where('id', 'in', plan.removeRecommendations).where('status', '=', 'accepted').execute();
    }
    for (const [ids, status] of [[plan.closeRecommendations, 'gap-closed'], [plan.reopenRecommendations, 'edited']] as const) {
      for (const id of ids) {
        const row = await trx.updateTable('report_draft_recommendations').set((eb) => ({ status, revision: eb('revision', '+', 1), updated_at: now }))
          .where('id', '=', id).returningAll().executeTakeFirst();
        if (row) await recordRecommendation(trx, row, now, null);
      }
    }
    await writeAudit(plain, actor, 'report_draft.sync', { type: 'report_draft', id: missionId }, null, {
      revision,
      texts: { inserted: plan.insertTexts.length, refreshed: plan.refreshTexts.length },
      recommendations: {
        inserted: plan.insertRecommendations.length, refreshed: plan.refreshRecommendations.length, removed: plan.removeRecommendations.length,
        gapClosed: plan.closeRecommendations.length, reopened: plan.reopenRecommendations.length,
      },
    });
  });
}

// ---------- Edits ----------

export interface SaveDraftText {
  missionId: number;
  key: string;
  en?: string | undefined;
  ru?: string | undefined;
  baseRevision: number;
  opId?: string | undefined;
}

export async function saveDraftText(db: Kysely<Database>, actor: Actor, input: SaveDraftText): Promise<{ text: DraftTextDto; replayed: boolean; draftRevision: number }> {
  return inTransaction(db, async (plain) => {
    const trx = withDraftTables(plain);
    const draftRevision = async () => (await trx.selectFrom('report_drafts').select('revision').where('mission_id', '=', input.missionId).executeTakeFirstOrThrow()).revision;
    if (input.opId) {
      const done = await trx.selectFrom('report_draft_text_history').selectAll().where('op_id', '=', input.opId).executeTakeFirst();
      if (done) {
        if (done.mission_id !== input.missionId || done.key !== input.key) {
          throw new Problem('conflict', 'This opId was already used for another change: generate a new opId for each change.', [{ path: 'opId', message: 'already used' }]);
        }
        const current = await trx.selectFrom('report_draft_texts').selectAll().where('mission_id', '=', input.missionId).where('key', '=', input.key).executeTakeFirstOrThrow();
        return { text: toTextDto(current), replayed: true, draftRevision: await draftRevision() };
      }
    }
    const current = await trx.selectFrom('report_draft_texts').selectAll().where('mission_id', '=', input.missionId).where('key', '=', input.key).executeTakeFirst();
    if (!current) throw Problem.notFound(`Report text "${input.key}" of mission ${input.missionId}`);
    if (input.baseRevision !== current.revision) throw staleRevision('text', current.revision, input.baseRevision, { current: toTextDto(current), submitted: { en: input.en ?? null, ru: input.ru ?? null } });
    const sent = (['en', 'ru'] as const).filter((lang) => input[lang] !== undefined);
    const changed = sent.filter((lang) => input[lang] !== (lang === 'en' ? current.text_en : current.text_ru));
    const now = new Date().toISOString();
    const row: DraftTextRow = {
      ...current,
      text_en: input.en ?? current.text_en,
      text_ru: input.ru ?? current.text_ru,
      origin: changed.length > 0 ? 'edited' : current.origin,
      needs_update: nextNeedsUpdate(current.needs_update, sent, changed),
      revision: current.revision + 1,
      author_id: actor.id,
      updated_at: now,
    };
    await trx.updateTable('report_draft_texts').set(row).where('mission_id', '=', input.missionId).where('key', '=', input.key).execute();
    await recordText(trx, row, now, input.opId ?? null);
    const revision = await touchDraft(trx, actor, input.missionId, now);
    await writeAudit(plain, actor, 'report_draft.text.save', { type: 'report_draft_text', id: `${input.missionId}/${input.key}` },
      { revision: current.revision, origin: current.origin, needsUpdate: current.needs_update }, { revision: row.revision, origin: row.origin, needsUpdate: row.needs_update, languages: changed });
    return { text: toTextDto(row), replayed: false, draftRevision: revision };
  });
}

export interface SaveDraftRecommendation {
  missionId: number;
  id: number;
  text?: { en?: string | undefined; ru?: string | undefined } | undefined;
  priority?: string | undefined;
  timeframe?: string | undefined;
  institution?: string[] | undefined;
  status?: RecommendationStatus | undefined;
  reason?: string | null | undefined;
  mergedInto?: number | null | undefined;
  baseRevision: number;
  opId?: string | undefined;
}

async function loadRecommendation(trx: Kysely<DraftDatabase>, missionId: number, id: number): Promise<DraftRecommendationRow> {
  const row = await trx.selectFrom('report_draft_recommendations').selectAll().where('id', '=', id).where('mission_id', '=', missionId).executeTakeFirst();
  if (!row) throw Problem.notFound(`Recommendation ${id} of the report draft of mission ${missionId}`);
  return row;
}

export async function saveDraftRecommendation(db: Kysely<Database>, actor: Actor, input: SaveDraftRecommendation): Promise<{ recommendation: DraftRecommendationDto; replayed: boolean; draftRevision: number }> {
  return inTransaction(db, async (plain) => {
    const trx = withDraftTables(plain);
    if (input.opId) {
      const done = await trx.selectFrom('report_draft_recommendation_history').select('recommendation_id').where('op_id', '=', input.opId).executeTakeFirst();
      if (done) {
        if (done.recommendation_id !== input.id) throw new Problem('conflict', 'This opId was already used for another change: generate a new opId for each change.', [{ path: 'opId', message: 'already used' }]);
        const draft = await trx.selectFrom('report_drafts').select('revision').where('mission_id', '=', input.missionId).executeTakeFirstOrThrow();
        return { recommendation: toRecommendationDto(await loadRecommendation(trx, input.missionId, input.id)), replayed: true, draftRevision: draft.revision };
      }
    }
    const current = await loadRecommendation(trx, input.missionId, input.id);
    if (input.baseRevision !== current.revision) throw staleRevision('recommendation', current.revision, input.baseRevision, { current: toRecommendationDto(current), submitted: { text: input.text ?? null, priority: input.priority ?? null, timeframe: input.timeframe ?? null, institution: input.institution ?? null, status: input.status ?? null } });
    if (input.mergedInto !== undefined && input.mergedInto !== null) {
      if (input.mergedInto === input.id) throw Problem.validation('A recommendation cannot be merged into itself.', [{ path: 'mergedInto', message: 'is this recommendation' }]);
      await loadRecommendation(trx, input.missionId, input.mergedInto);
    }
    const sent = (['en', 'ru'] as const).filter((lang) => input.text?.[lang] !== undefined);
    const changed = sent.filter((lang) => input.text?.[lang] !== (lang === 'en' ? current.text_en : current.text_ru));
    const contentChanged = changed.length > 0
      || (input.priority !== undefined && input.priority !== current.priority)
      || (input.timeframe !== undefined && input.timeframe !== current.timeframe)
      || (input.institution !== undefined && JSON.stringify(input.institution) !== current.institution);
    const merged = input.mergedInto === undefined ? current.merged_into : input.mergedInto;
    let status: RecommendationStatus = input.status ?? (merged !== null ? 'dropped' : contentChanged && current.status === 'accepted' ? 'edited' : current.status);
    // Accepting a reworded recommendation keeps it "edited": synchronisation must never replace its text.
    if (status === 'accepted' && current.origin === 'generated' && (contentChanged || current.status === 'edited' || current.status === 'gap-closed')) status = 'edited';
    const reason = input.reason === undefined ? current.reason : input.reason;
    if (status === 'dropped' && merged === null && !reason?.trim()) {
      throw Problem.validation('Say why this recommendation is dropped: send a reason (or mergedInto, the recommendation it was merged into).', [{ path: 'reason', message: 'is required to drop a recommendation' }]);
    }
    const now = new Date().toISOString();
    const row: DraftRecommendationRow = {
      ...current,
      text_en: input.text?.en ?? current.text_en,
      text_ru: input.text?.ru ?? current.text_ru,
      priority: input.priority ?? current.priority,
      timeframe: input.timeframe ?? current.timeframe,
      institution: input.institution === undefined ? current.institution : JSON.stringify(input.institution),
      status,
      reason: status === 'dropped' ? reason : input.reason === undefined ? current.reason : input.reason,
      merged_into: status === 'dropped' ? merged : null,
      needs_update: nextNeedsUpdate(current.needs_update, sent, changed),
      revision: current.revision + 1,
      author_id: actor.id,
      updated_at: now,
    };
    await trx.updateTable('report_draft_recommendations').set(row).where('id', '=', row.id).execute();
    await recordRecommendation(trx, row, now, input.opId ?? null);
    const revision = await touchDraft(trx, actor, input.missionId, now);
    await writeAudit(plain, actor, 'report_draft.recommendation.save', { type: 'report_draft_recommendation', id: row.id },
      { revision: current.revision, status: current.status }, { revision: row.revision, status: row.status, languages: changed, mergedInto: row.merged_into });
    return { recommendation: toRecommendationDto(row), replayed: false, draftRevision: revision };
  });
}

export interface NewCustomRecommendation {
  missionId: number;
  text: { en: string; ru: string };
  priority: string;
  timeframe: string;
  institution: string[];
  indicators: string[];
  references: string[];
  opId?: string | undefined;
}

export async function addCustomRecommendation(db: Kysely<Database>, actor: Actor, input: NewCustomRecommendation): Promise<{ recommendation: DraftRecommendationDto; replayed: boolean; draftRevision: number }> {
  return inTransaction(db, async (plain) => {
    const trx = withDraftTables(plain);
    if (input.opId) {
      const done = await trx.selectFrom('report_draft_recommendation_history').select('recommendation_id').where('op_id', '=', input.opId).executeTakeFirst();
      if (done) {
        const draft = await trx.selectFrom('report_drafts').select('revision').where('mission_id', '=', input.missionId).executeTakeFirstOrThrow();
        return { recommendation: toRecommendationDto(await loadRecommendation(trx, input.missionId, done.recommendation_id)), replayed: true, draftRevision: draft.revision };
      }
    }
    const now = new Date().toISOString();
    const written = (['en', 'ru'] as const).filter((lang) => input.text[lang].trim() !== '');
    const row = await trx.insertInto('report_draft_recommendations').values({
      mission_id: input.missionId, origin: 'custom', source_key: null, status: 'accepted', text_en: input.text.en, text_ru: input.text.ru,
      priority: input.priority, timeframe: input.timeframe, institution: JSON.stringify(input.institution), indicators: JSON.stringify(input.indicators),
      reference_ids: JSON.stringify(input.references), reason: null, merged_into: null,
      needs_update: written.length === 1 ? (written[0] === 'en' ? 'ru' : 'en') : null,
      revision: 1, author_id: actor.id, created_at: now, updated_at: now,
    }).returningAll().executeTakeFirstOrThrow();
    await recordRecommendation(trx, row, now, input.opId ?? null);
    const revision = await touchDraft(trx, actor, input.missionId, now);
    await writeAudit(plain, actor, 'report_draft.recommendation.add', { type: 'report_draft_recommendation', id: row.id }, null, { revision: 1, origin: 'custom', indicators: input.indicators });
    return { recommendation: toRecommendationDto(row), replayed: false, draftRevision: revision };
  });
}

export async function setDraftState(db: Kysely<Database>, actor: Actor, missionId: number, state: DraftState): Promise<void> {
  await inTransaction(db, async (plain) => {
    const trx = withDraftTables(plain);
    const current = await trx.selectFrom('report_drafts').select(['state', 'revision']).where('mission_id', '=', missionId).executeTakeFirst();
    if (!current) throw Problem.notFound(`The report draft of mission ${missionId}`);
    if (current.state === state) return;
    await trx.updateTable('report_drafts').set({ state, updated_by: actor.id, updated_at: new Date().toISOString() }).where('mission_id', '=', missionId).execute();
    await writeAudit(plain, actor, 'report_draft.state', { type: 'report_draft', id: missionId }, { state: current.state }, { state, revision: current.revision });
  });
}

export async function textHistory(db: Kysely<Database>, missionId: number, key: string) {
  return withDraftTables(db).selectFrom('report_draft_text_history').selectAll().where('mission_id', '=', missionId).where('key', '=', key).orderBy('revision', 'desc').execute();
}
