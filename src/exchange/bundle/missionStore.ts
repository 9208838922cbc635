/**
 * The SQLite side of mission bundles: reading a mission as a bundle body, and applying a merge plan in
 * one transaction (all of it or nothing), with an audit row for every change.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { Problem } from '../../shared/problem.js';
import { writeAudit, type Actor } from '../../storage/audit.js';
import type { Database } from '../../storage/schema.js';
import { withExchangeTables, type AnswerConflictRow } from '../tables.js';
import { BUNDLE_FORMAT, BUNDLE_FORMAT_VERSION, type AnswerChain, type ConflictRecord, type HistoryEntry, type MissionBundleBody, type Person } from './model.js';
import type { AnswerAction, AssessmentPlan, ConflictRecordAction, MergePlan } from './merge.js';

type Db = Kysely<Database>;

export async function findMissionByUid(db: Db, uid: string): Promise<number | undefined> {
  const row = await withExchangeTables(db).selectFrom('mission_uids').select('mission_id').where('uid', '=', uid).executeTakeFirst();
  return row?.mission_id;
}

/** The mission's stable identity, given on its first export (or when a bundle creates it). */
export async function ensureMissionUid(db: Db, missionId: number): Promise<string> {
  const xdb = withExchangeTables(db);
  const existing = await xdb.selectFrom('mission_uids').select('uid').where('mission_id', '=', missionId).executeTakeFirst();
  if (existing) return existing.uid;
  const uid = randomUUID();
  await xdb.insertInto('mission_uids').values({ mission_id: missionId, uid }).execute();
  return uid;
}

const parseList = (json: string): string[] => {
  const value = JSON.parse(json) as unknown;
  return Array.isArray(value) ? value.map(String) : [];
};

export function conflictFromRow(row: AnswerConflictRow): ConflictRecord {
  return {
    questionId: row.question_id,
    baseRevision: row.base_revision,
    localRevision: row.local_revision,
    localHead: row.local_head,
    incomingHead: row.incoming_head,
    incoming: JSON.parse(row.incoming) as HistoryEntry[],
    status: row.status,
    createdAt: row.created_at,
    resolvedAt: row.resolved_at,
    resolvedBy: row.resolved_by,
    resolvedRevision: row.resolved_revision,
  };
}

/** The whole mission as a bundle body: what `ena bundle export` writes and what a merge compares with. */
export async function readMissionSnapshot(db: Db, missionId: number, exportedBy: string | null = null): Promise<MissionBundleBody> {
  const xdb = withExchangeTables(db);
  const mission = await db.selectFrom('missions').selectAll().where('id', '=', missionId).executeTakeFirst();
  if (!mission) throw Problem.notFound(`Mission ${missionId}`);
  const country = await db.selectFrom('countries').selectAll().where('code', '=', mission.country_code).executeTakeFirstOrThrow();
  const uid = await ensureMissionUid(db, missionId);
  const users = (await db.selectFrom('users').select(['id', 'email', 'name']).execute()).map((u) => ({ id: u.id, email: u.email.toLowerCase(), name: u.name }));
  const byId = new Map(users.map((u) => [u.id, u]));
  const nameByEmail = new Map(users.map((u) => [u.email, u.name]));
  const people = new Map<string, Person>();
  const mention = (email: string | null): void => {
    if (email !== null) people.set(email, { email, name: nameByEmail.get(email) ?? email });
  };
  const emailOf = (userId: number | null): string | null => {
    const email = userId === null ? null : byId.get(userId)?.email ?? null;
    mention(email);
    return email;
  };

  const assessments = await db.selectFrom('assessments').selectAll().where('mission_id', '=', missionId).orderBy('questionnaire_id').execute();
  const bodies: MissionBundleBody['assessments'] = [];
  for (const assessment of assessments) {
    const answers = await db.selectFrom('answers').selectAll().where('assessment_id', '=', assessment.id).orderBy('question_id').execute();
    const history = await db.selectFrom('answer_history').selectAll().where('assessment_id', '=', assessment.id).orderBy('question_id').orderBy('revision').execute();
    const chains = new Map<string, HistoryEntry[]>();
    for (const row of history) {
      const entries = chains.get(row.question_id) ?? [];
      entries.push({
        revision: row.revision, value: JSON.parse(row.value) as HistoryEntry['value'], note: row.note, source: row.source,
        evidence: row.evidence as HistoryEntry['evidence'], author: emailOf(row.author_id), createdAt: row.created_at, opId: row.op_id,
      });
      chains.set(row.question_id, entries);
    }
    // An answer whose latest revision is missing from the history (written outside saveAnswer) still travels.
    for (const answer of answers) {
      const entries = chains.get(answer.question_id) ?? [];
      if ((entries[entries.length - 1]?.revision ?? 0) < answer.revision) {
        entries.push({
          revision: answer.revision, value: JSON.parse(answer.value) as HistoryEntry['value'], note: answer.note, source: answer.source,
          evidence: answer.evidence, author: emailOf(answer.author_id), createdAt: answer.updated_at, opId: null,
        });
        chains.set(answer.question_id, entries);
      }
    }
    const reviews = await db.selectFrom('section_reviews').selectAll().where('assessment_id', '=', assessment.id).orderBy('section_id').execute();
    const comments = await db.selectFrom('review_comments').selectAll().where('assessment_id', '=', assessment.id).orderBy('id').execute();
    const conflicts = await xdb.selectFrom('answer_conflicts').selectAll().where('assessment_id', '=', assessment.id).orderBy('id').execute();
    const conflictRecords = conflicts.map(conflictFromRow);
    for (const record of conflictRecords) {
      record.incoming.forEach((entry) => mention(entry.author));
      mention(record.resolvedBy);
    }
    bodies.push({
      questionnaireId: assessment.questionnaire_id,
      questionnaireVersion: assessment.questionnaire_version,
      createdAt: assessment.created_at,
      answers: [...chains].sort(([a], [b]) => a.localeCompare(b)).map(([questionId, entries]): AnswerChain => ({ questionId, history: entries })),
      reviews: reviews.map((r) => ({ sectionId: r.section_id, state: r.state, updatedBy: emailOf(r.updated_by), updatedAt: r.updated_at })),
      comments: comments.map((c) => ({ sectionId: c.section_id, author: emailOf(c.author_id), body: c.body, createdAt: c.created_at })),
      conflicts: conflictRecords,
    });
  }
  return {
    format: BUNDLE_FORMAT,
    formatVersion: BUNDLE_FORMAT_VERSION,
    exportedAt: new Date().toISOString(),
    exportedBy,
    country: { code: country.code, name: { en: country.name_en, ru: country.name_ru } },
    mission: {
      uid, countryCode: mission.country_code, title: mission.title, startsOn: mission.starts_on, endsOn: mission.ends_on,
      team: parseList(mission.team), institutionsMet: parseList(mission.institutions_met), status: mission.status, scope: mission.scope,
      isDemo: mission.is_demo === 1, createdAt: mission.created_at, updatedAt: mission.updated_at,
    },
    people: [...people.values()].sort((a, b) => a.email.localeCompare(b.email)),
    assessments: bodies,
  };
}

/**
 * Authors named in the bundle who have no account here get a disabled placeholder account (viewer, no
 * usable password), so that every revision keeps its author. An administrator may enable it later.
 */
async function resolvePeople(trx: Db, actor: Actor, emails: readonly string[], people: readonly Person[]): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  if (emails.length === 0) return ids;
  const names = new Map(people.map((p) => [p.email, p.name]));
  const existing = await trx.selectFrom('users').select(['id', 'email']).execute();
  const byEmail = new Map(existing.map((u) => [u.email.toLowerCase(), u.id]));
  for (const email of emails) {
    const found = byEmail.get(email);
    if (found !== undefined) {
      ids.set(email, found);
      continue;
    }
    const now = new Date().toISOString();
    const name = names.get(email)?.trim() || email;
    const { id } = await trx.insertInto('users').values({
      // '!' is no hash of any password: nobody can sign in to a placeholder account.
      email, name, password_hash: '!', role: 'viewer', language: 'en', created_at: now, disabled_at: now,
    }).returning('id').executeTakeFirstOrThrow();
    await writeAudit(trx, actor, 'user.create', { type: 'user', id }, null, { email, name, role: 'viewer', disabled: true, via: 'bundle.import' });
    ids.set(email, id);
  }
  return ids;
}

interface ApplyContext {
  trx: Db;
  actor: Actor;
  userIds: Map<string, number>;
  assessmentId: number;
  /** Called between answers: yields to the event loop now and then and reports progress. */
  pace: () => Promise<void>;
}

/** Rows per multi-row INSERT: well under SQLite's limit of bound variables. */
const INSERT_CHUNK = 400;

const authorId = (ctx: ApplyContext, email: string | null): number | null => (email === null ? null : ctx.userIds.get(email) ?? null);

async function insertEntries(ctx: ApplyContext, questionId: string, entries: readonly HistoryEntry[]): Promise<void> {
  for (let start = 0; start < entries.length; start += INSERT_CHUNK) {
    const chunk = entries.slice(start, start + INSERT_CHUNK);
    // An op id is unique in the whole database; a copied revision keeps it unless it is taken here (or earlier in this chunk).
    const wanted = chunk.flatMap((entry) => (entry.opId === null ? [] : [entry.opId]));
    const taken = new Set(wanted.length === 0 ? [] : (await ctx.trx.selectFrom('answer_history').select('op_id').where('op_id', 'in', wanted).execute()).map((row) => row.op_id));
    const rows = chunk.map((entry) => {
      const opId = entry.opId !== null && !taken.has(entry.opId) ? entry.opId : null;
      if (opId !== null) taken.add(opId);
      return {
        assessment_id: ctx.assessmentId, question_id: questionId, revision: entry.revision, value: JSON.stringify(entry.value), note: entry.note,
        source: entry.source, evidence: entry.evidence, author_id: authorId(ctx, entry.author), created_at: entry.createdAt, op_id: opId,
      };
    });
    await ctx.trx.insertInto('answer_history').values(rows).execute();
  }
  const head = entries[entries.length - 1];
  if (!head) return;
  const row = {
    value: JSON.stringify(head.value), note: head.note, source: head.source, evidence: head.evidence, revision: head.revision,
    author_id: authorId(ctx, head.author), updated_at: head.createdAt,
  };
  await ctx.trx.insertInto('answers').values({ assessment_id: ctx.assessmentId, question_id: questionId, ...row })
    .onConflict((oc) => oc.columns(['assessment_id', 'question_id']).doUpdateSet(row)).execute();
}

const conflictRow = (assessmentId: number, record: ConflictRecord) => ({
  assessment_id: assessmentId, question_id: record.questionId, base_revision: record.baseRevision, local_revision: record.localRevision,
  local_head: record.localHead, incoming_head: record.incomingHead, incoming: JSON.stringify(record.incoming), status: record.status,
  created_at: record.createdAt, resolved_at: record.resolvedAt, resolved_by: record.resolvedBy, resolved_revision: record.resolvedRevision,
});

async function applyAnswer(ctx: ApplyContext, action: AnswerAction): Promise<void> {
  const entity = { type: 'answer', id: `${ctx.assessmentId}/${action.questionId}` };
  const xtrx = withExchangeTables(ctx.trx);
  switch (action.kind) {
    case 'append': {
      await insertEntries(ctx, action.questionId, action.entries);
      const head = action.entries[action.entries.length - 1];
      await writeAudit(ctx.trx, ctx.actor, 'answer.import', entity, action.before ? { revision: action.before.revision } : null,
        { revision: head?.revision, revisionsAdded: action.entries.map((e) => e.revision) });
      return;
    }
    case 'adopt': {
      // The removed revisions are kept in the resolved conflict record this bundle carries.
      await ctx.trx.deleteFrom('answer_history').where('assessment_id', '=', ctx.assessmentId).where('question_id', '=', action.questionId)
        .where('revision', '>', action.sharedRevision).execute();
      await insertEntries(ctx, action.questionId, action.entries);
      await writeAudit(ctx.trx, ctx.actor, 'answer.import.adopt', entity, { revision: action.before.revision, revisionsMovedToConflictRecord: action.removed.map((e) => e.revision) },
        { revision: action.entries[action.entries.length - 1]?.revision, revisionsAdded: action.entries.map((e) => e.revision) });
      return;
    }
    case 'conflict': {
      await xtrx.insertInto('answer_conflicts').values(conflictRow(ctx.assessmentId, action.record)).execute();
      await writeAudit(ctx.trx, ctx.actor, 'answer.conflict', entity, { revision: action.record.localRevision },
        { baseRevision: action.record.baseRevision, incomingRevisions: action.record.incoming.map((e) => e.revision), status: 'open' });
      return;
    }
    case 'conflict_extended': {
      const { record } = action;
      await xtrx.updateTable('answer_conflicts').set({
        incoming: JSON.stringify(record.incoming), incoming_head: record.incomingHead, local_revision: record.localRevision, local_head: record.localHead,
      }).where('assessment_id', '=', ctx.assessmentId).where('question_id', '=', action.questionId).where('incoming_head', '=', action.previousIncomingHead).execute();
      await writeAudit(ctx.trx, ctx.actor, 'answer.conflict.extend', entity, { incomingHead: action.previousIncomingHead },
        { incomingHead: record.incomingHead, incomingRevisions: record.incoming.map((e) => e.revision) });
      return;
    }
  }
}

async function applyConflictRecord(ctx: ApplyContext, action: ConflictRecordAction): Promise<void> {
  const xtrx = withExchangeTables(ctx.trx);
  if (action.kind === 'insert') {
    await xtrx.insertInto('answer_conflicts').values(conflictRow(ctx.assessmentId, action.record)).execute();
    await writeAudit(ctx.trx, ctx.actor, 'answer.conflict.import', { type: 'answer', id: `${ctx.assessmentId}/${action.record.questionId}` }, null,
      { incomingHead: action.record.incomingHead, status: action.record.status });
    return;
  }
  await xtrx.updateTable('answer_conflicts').set({ status: 'resolved', resolved_at: action.resolvedAt, resolved_by: action.resolvedBy, resolved_revision: action.resolvedRevision })
    .where('assessment_id', '=', ctx.assessmentId).where('question_id', '=', action.questionId).where('incoming_head', '=', action.incomingHead).execute();
  await writeAudit(ctx.trx, ctx.actor, 'answer.conflict.resolve', { type: 'answer', id: `${ctx.assessmentId}/${action.questionId}` }, { status: 'open' },
    { status: 'resolved', resolvedBy: action.resolvedBy, resolvedRevision: action.resolvedRevision, via: 'bundle.import' });
}

async function applyAssessment(trx: Db, actor: Actor, userIds: Map<string, number>, missionId: number, plan: AssessmentPlan, pace: () => Promise<void>): Promise<void> {
  let assessmentId: number;
  if (plan.create) {
    ({ id: assessmentId } = await trx.insertInto('assessments').values({
      mission_id: missionId, questionnaire_id: plan.questionnaireId, questionnaire_version: plan.create.questionnaireVersion, created_at: plan.create.createdAt,
    }).returning('id').executeTakeFirstOrThrow());
    await writeAudit(trx, actor, 'assessment.create', { type: 'assessment', id: assessmentId }, null,
      { missionId, questionnaireId: plan.questionnaireId, questionnaireVersion: plan.create.questionnaireVersion, via: 'bundle.import' });
  } else {
    ({ id: assessmentId } = await trx.selectFrom('assessments').select('id').where('mission_id', '=', missionId).where('questionnaire_id', '=', plan.questionnaireId).executeTakeFirstOrThrow());
  }
  if (plan.raiseVersion) {
    await trx.updateTable('assessments').set({ questionnaire_version: plan.raiseVersion.to }).where('id', '=', assessmentId).execute();
    await writeAudit(trx, actor, 'assessment.update', { type: 'assessment', id: assessmentId }, { questionnaireVersion: plan.raiseVersion.from },
      { questionnaireVersion: plan.raiseVersion.to, via: 'bundle.import' });
  }
  const ctx: ApplyContext = { trx, actor, userIds, assessmentId, pace };
  for (const action of plan.answers) {
    await applyAnswer(ctx, action);
    await pace();
  }
  for (const action of plan.conflictRecords) await applyConflictRecord(ctx, action);
  for (const { before, after } of plan.reviews) {
    const row = { state: after.state, updated_by: authorId(ctx, after.updatedBy), updated_at: after.updatedAt };
    await trx.insertInto('section_reviews').values({ assessment_id: assessmentId, section_id: after.sectionId, ...row })
      .onConflict((oc) => oc.columns(['assessment_id', 'section_id']).doUpdateSet(row)).execute();
    await writeAudit(trx, actor, 'review.import', { type: 'section_review', id: `${assessmentId}/${after.sectionId}` }, before, after);
  }
  for (const comment of plan.comments) {
    const { id } = await trx.insertInto('review_comments').values({
      assessment_id: assessmentId, section_id: comment.sectionId, author_id: authorId(ctx, comment.author), body: comment.body, created_at: comment.createdAt,
    }).returning('id').executeTakeFirstOrThrow();
    // The comment text stays in review_comments; the audit row says who and where.
    await writeAudit(trx, actor, 'review.comment.import', { type: 'review_comment', id }, null, { sectionId: comment.sectionId, author: comment.author, createdAt: comment.createdAt });
  }
}

export interface ApplyResult {
  missionId: number;
}

/** Applies a plan made by planMerge. Call inside a transaction, together with reading the local snapshot. */
export async function applyMergePlan(trx: Db, actor: Actor, plan: MergePlan, incoming: MissionBundleBody, localMissionId: number | undefined, pace: () => Promise<void> = async () => undefined): Promise<ApplyResult> {
  let missionId: number;
  if (plan.mission.kind === 'create') {
    const { after } = plan.mission;
    const country = await trx.selectFrom('countries').select('code').where('code', '=', incoming.country.code).executeTakeFirst();
    if (!country) {
      await trx.insertInto('countries').values({ code: incoming.country.code, name_en: incoming.country.name.en, name_ru: incoming.country.name.ru }).execute();
      await writeAudit(trx, actor, 'country.create', { type: 'country', id: incoming.country.code }, null, { ...incoming.country, via: 'bundle.import' });
    }
    ({ id: missionId } = await trx.insertInto('missions').values({
      country_code: after.countryCode, title: after.title, starts_on: after.startsOn, ends_on: after.endsOn, team: JSON.stringify(after.team),
      institutions_met: JSON.stringify(after.institutionsMet), status: after.status, scope: after.scope, is_demo: after.isDemo ? 1 : 0, created_at: after.createdAt, updated_at: after.updatedAt,
    }).returning('id').executeTakeFirstOrThrow());
    await withExchangeTables(trx).insertInto('mission_uids').values({ mission_id: missionId, uid: after.uid }).execute();
    await writeAudit(trx, actor, 'mission.create', { type: 'mission', id: missionId }, null, { ...after, via: 'bundle.import' });
  } else {
    if (localMissionId === undefined) throw new Problem('internal', 'A merge into an existing mission needs its id.');
    missionId = localMissionId;
    if (plan.mission.kind === 'update') {
      const { before, after } = plan.mission;
      await trx.updateTable('missions').set({
        title: after.title, starts_on: after.startsOn, ends_on: after.endsOn, team: JSON.stringify(after.team), institutions_met: JSON.stringify(after.institutionsMet),
        status: after.status, scope: after.scope, updated_at: after.updatedAt,
      }).where('id', '=', missionId).execute();
      await writeAudit(trx, actor, 'mission.update', { type: 'mission', id: missionId }, before, { ...after, via: 'bundle.import' });
    }
  }
  const userIds = await resolvePeople(trx, actor, plan.people, incoming.people);
  for (const assessment of plan.assessments) await applyAssessment(trx, actor, userIds, missionId, assessment, pace);
  return { missionId };
}
