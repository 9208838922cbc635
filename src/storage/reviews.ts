/** Section review state (open → in review → approved) and review comments, per assessment. */
import type { Kysely } from 'kysely';
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
}

export async function listReviews(db: Kysely<Database>, assessmentId: number): Promise<{ sections: SectionReviewDto[]; comments: ReviewCommentDto[] }> {
  const sections = await db.selectFrom('section_reviews').selectAll().where('assessment_id', '=', assessmentId).orderBy('section_id').execute();
  const comments = await db.selectFrom('review_comments').leftJoin('users', 'users.id', 'review_comments.author_id')
    .select(['review_comments.id', 'review_comments.section_id', 'review_comments.author_id', 'review_comments.body', 'review_comments.created_at', 'users.name as author_name'])
    .where('review_comments.assessment_id', '=', assessmentId).orderBy('review_comments.id').execute();
  return {
    sections: sections.map((s) => ({ sectionId: s.section_id, state: s.state, updatedBy: s.updated_by, updatedAt: s.updated_at })),
    comments: comments.map((c) => ({ id: c.id, sectionId: c.section_id, authorId: c.author_id, authorName: c.author_name, body: c.body, createdAt: c.created_at })),
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

export async function addReviewComment(db: Kysely<Database>, actor: Actor, assessmentId: number, sectionId: string, body: string): Promise<ReviewCommentDto> {
  return inTransaction(db, async (trx) => {
    const now = new Date().toISOString();
    const { id } = await trx.insertInto('review_comments').values({ assessment_id: assessmentId, section_id: sectionId, author_id: actor.id, body, created_at: now })
      .returning('id').executeTakeFirstOrThrow();
    // The comment text may describe sensitive findings; the audit keeps its length, the table keeps the text.
    await writeAudit(trx, actor, 'review.comment', { type: 'review_comment', id }, null, { assessmentId, sectionId, length: body.length });
    const author = actor.id === null ? undefined : await trx.selectFrom('users').select('name').where('id', '=', actor.id).executeTakeFirst();
    return { id, sectionId, authorId: actor.id, authorName: author?.name ?? null, body, createdAt: now };
  });
}
