/**
 * Review comments of one section as threads (a comment and its replies, resolved or open), the same on
 * the review page, where managers write them, and on the fill-in page, where the expert reads, answers
 * and resolves them. Pure.
 */
import type { ReviewCommentDto } from '../../storage/reviews.js';
import type { Translate } from './translate.js';

export interface CommentView {
  author: string;
  body: string;
  createdAt: string;
}

export interface CommentThread extends CommentView {
  id: number;
  sectionId: string;
  resolved: boolean;
  resolvedAt: string | null;
  resolvedBy: string | null;
  replies: CommentView[];
}

export function commentThreads(comments: readonly ReviewCommentDto[], sectionId: string, t: Translate): CommentThread[] {
  const author = (comment: ReviewCommentDto): string => comment.authorName ?? t('web:dashboard.systemAuthor');
  const inSection = comments.filter((comment) => comment.sectionId === sectionId);
  return inSection.filter((comment) => comment.replyTo === null).map((comment) => ({
    id: comment.id,
    sectionId,
    author: author(comment),
    body: comment.body,
    createdAt: comment.createdAt,
    resolved: comment.resolvedAt !== null,
    resolvedAt: comment.resolvedAt,
    resolvedBy: comment.resolvedByName,
    replies: inSection.filter((reply) => reply.replyTo === comment.id).map((reply) => ({ author: author(reply), body: reply.body, createdAt: reply.createdAt })),
  }));
}
