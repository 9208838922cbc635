/** Section review state (open → in review → approved) and review comments, per assessment. */
import type { Kysely } from 'kysely';
import { Problem } from '../shared/problem.js';
import { writeAudit, type Actor } from './audit.js';
import { inTransaction } from './transaction.js';
import type { Database, ReviewState } from './schema.js';

export interface SectionReviewDto {
  sectionId: string;
  state: ReviewState;
  updatedBy: number | null;
  updatedAt: string;
}

export interface ReviewCommentDto {
  id: number;
  sectionId: string;
  authorId: number | null;
  authorName: string | null;
  body: string;
  createdAt: string;
  /** The comment this one answers; null for the first comment of a thread. */
  replyTo: number | null;
  resolvedAt: string | null;
  resolvedByName: string | null;
}

export async function listReviews(db: Kysely<Database>, assessmentId: number): Promise<{ sections: SectionReviewDto[]; comments: ReviewCommentDto[] }> {
  const sections = await db.selectFrom('section_reviews').selectAll().where('assessment_id', '=', assessmentId).orderBy('section_id').execute();
  const comments = await db.selectFrom('review_comments').leftJoin('users', 'users.id', 'review_comments.author_id')
    .leftJoin('users as resolver', 'resolver.id', 'review_comments.resolved_by')
    .select(['review_comments.id', 'review_comments.section_id', 'review_comments.author_id', 'review_comments.body', 'review_comments.created_at', 'review_comments.reply_to', 'review_comments.resolved_at', 'users.name as author_name', 'resolver.name as resolver_name'])
    .where('review_comments.assessment_id', '=', assessmentId).orderBy('review_comments.id').execute();
  return {
    sections: sections.map((s) => ({ sectionId: s.section_id, state: s.state, updatedBy: s.updated_by, updatedAt: s.updated_at })),
    comments: comments.map((c) => ({ id: c.id, sectionId: c.section_id, authorId: c.author_id, authorName: c.author_name, body: c.body, createdAt: c.created_at, replyTo: c.reply_to, resolvedAt: c.resolved_at, resolvedByName: c.resolver_name })),
  };
}

export async function setSectionReview(db: Kysely<Database>, actor: Actor, assessmentId: number, sectionId: string, state: ReviewState): Promise<SectionReviewDto> {
  return inTransaction(db, async (trx) => {
    const before = await trx.selectFrom('section_reviews').select('state').where('assessment_id', '=', assessmentId).where('section_id', '=', sectionId).executeTakeFirst();
    const now = new Date().toISOString();
    await trx.insertInto('section_reviews').values({ assessment_id: assessmentId, section_id: sectionId, state, updated_by: actor.id, updated_at: now })
      .onConflict((oc) => oc.columns(['assessment_id', 'section_id']).doUpdateSet({ state, updated_by: actor.id, updated_at: now }))
      .execute();
    await writeAudit(trx, actor, 'review.state', { type: 'section_review', id: `${assessmentId}/${sectionId}` }, before ?? { state: 'open' }, { state });
    return { sectionId, state, updatedBy: actor.id, updatedAt: now };
  });
}

/** The first comment of a thread in this assessment and section, or a 404 naming it. */
async function threadOf(db: Kysely<Database>, assessmentId: number, commentId: number, sectionId?: string) {
  let query = db.selectFrom('review_comments').select(['id', 'section_id', 'reply_to', 'resolved_at']).where('id', '=', commentId).where('assessment_id', '=', assessmentId);
  if (sectionId !== undefined) query = query.where('section_id', '=', sectionId);
  const found = await query.executeTakeFirst();
  if (!found) throw Problem.notFound(`Review comment ${commentId} in assessment ${assessmentId}`);
  return found;
}

export async function addReviewComment(db: Kysely<Database>, actor: Actor, assessmentId: number, sectionId: string, body: string, replyTo: number | null = null): Promise<ReviewCommentDto> {
  return inTransaction(db, async (trx) => {
    // A reply joins the thread of the comment it answers (threads are one level deep).
    const thread = replyTo === null ? null : await threadOf(trx, assessmentId, replyTo, sectionId);
    const parent = thread === null ? null : thread.reply_to ?? thread.id;
    const now = new Date().toISOString();
    const { id } = await trx.insertInto('review_comments').values({ assessment_id: assessmentId, section_id: sectionId, author_id: actor.id, body, created_at: now, reply_to: parent })
      .returning('id').executeTakeFirstOrThrow();
    // The comment text may describe sensitive findings; the audit keeps its length, the table keeps the text.
    await writeAudit(trx, actor, 'review.comment', { type: 'review_comment', id }, null, { assessmentId, sectionId, replyTo: parent, length: body.length });
    const author = actor.id === null ? undefined : await trx.selectFrom('users').select('name').where('id', '=', actor.id).executeTakeFirst();
    return { id, sectionId, authorId: actor.id, authorName: author?.name ?? null, body, createdAt: now, replyTo: parent, resolvedAt: null, resolvedByName: null };
  });
}

/** Marks a thread resolved (or open again); returns its section. */
export async function resolveReviewComment(db: Kysely<Database>, actor: Actor, assessmentId: number, commentId: number, resolved: boolean): Promise<{ sectionId: string }> {
  return inTransaction(db, async (trx) => {
    const comment = await threadOf(trx, assessmentId, commentId);
    const threadId = comment.reply_to ?? comment.id;
    const before = comment.reply_to === null ? comment : await threadOf(trx, assessmentId, threadId);
    if ((before.resolved_at !== null) !== resolved) {
      await trx.updateTable('review_comments').set(resolved ? { resolved_at: new Date().toISOString(), resolved_by: actor.id } : { resolved_at: null, resolved_by: null }).where('id', '=', threadId).execute();
      await writeAudit(trx, actor, resolved ? 'review.comment.resolve' : 'review.comment.reopen', { type: 'review_comment', id: threadId }, { resolved: before.resolved_at !== null }, { resolved });
    }
    return { sectionId: comment.section_id };
  });
}

/** Open threads (first comments not resolved) per assessment, for the dashboard. */
export async function countOpenComments(db: Kysely<Database>, assessmentIds: readonly number[]): Promise<Map<number, number>> {
  const counts = new Map<number, number>(assessmentIds.map((id) => [id, 0]));
  if (assessmentIds.length === 0) return counts;
  const rows = await db.selectFrom('review_comments').select(['assessment_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('assessment_id', 'in', [...assessmentIds]).where('reply_to', 'is', null).where('resolved_at', 'is', null)
    .groupBy('assessment_id').execute();
  for (const row of rows) counts.set(row.assessment_id, Number(row.n));
  return counts;
}
