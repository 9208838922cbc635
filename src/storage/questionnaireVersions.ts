/**
 * Questionnaire versions over time. Every version ENA serves is kept as a snapshot; an assessment pinned
 * to an older version is compared with today's questionnaire so that no answer is lost: answers to
 * removed questions are "retired" (kept and shown), answers no longer valid for a changed question are
 * listed for re-answering.
 */
import type { Kysely } from 'kysely';
import { answerValueSchema } from '../questionnaire/answerValue.js';
import type { Questionnaire } from '../questionnaire/model.js';
import type { Question, QuestionnaireDoc } from '../questionnaire/schema.js';
import type { AnswerDto } from './answers.js';
import type { Database } from './schema.js';
import { inTransaction } from './transaction.js';

/** The document part of a loaded questionnaire (no file name, no indexes): what is stored and sent. */
export function questionnaireDoc(questionnaire: Questionnaire): QuestionnaireDoc {
  const { id, version, title, short_title, description, reviewer_note, sections } = questionnaire;
  return { id, version, title, short_title, description, reviewer_note, sections };
}

/**
 * Stores a snapshot of each questionnaire version not seen before. Returns the ids whose content changed
 * while the version number stayed the same (the author forgot to raise it): worth a warning in the log.
 */
export async function recordSnapshots(db: Kysely<Database>, questionnaires: readonly Questionnaire[]): Promise<string[]> {
  // One transaction under the writer lock: instances starting together on one database record each once.
  return inTransaction(db, (trx) => recordSnapshotsIn(trx, questionnaires));
}

async function recordSnapshotsIn(db: Kysely<Database>, questionnaires: readonly Questionnaire[]): Promise<string[]> {
  const unbumped: string[] = [];
  for (const questionnaire of questionnaires) {
    const content = JSON.stringify(questionnaireDoc(questionnaire));
    const existing = await db.selectFrom('questionnaire_snapshots').select('content')
      .where('questionnaire_id', '=', questionnaire.id).where('version', '=', questionnaire.version).executeTakeFirst();
    if (!existing) {
      await db.insertInto('questionnaire_snapshots').values({ questionnaire_id: questionnaire.id, version: questionnaire.version, content, first_seen_at: new Date().toISOString() }).execute();
    } else if (existing.content !== content) {
      unbumped.push(questionnaire.id);
    }
  }
  return unbumped;
}

export async function findSnapshot(db: Kysely<Database>, questionnaireId: string, version: number): Promise<QuestionnaireDoc | undefined> {
  const row = await db.selectFrom('questionnaire_snapshots').select('content').where('questionnaire_id', '=', questionnaireId).where('version', '=', version).executeTakeFirst();
  return row && (JSON.parse(row.content) as QuestionnaireDoc);
}

export interface QuestionnaireChanges {
  pinnedVersion: number;
  currentVersion: number;
  /** False when the pinned version's snapshot is missing (a database older than snapshots). */
  snapshotAvailable: boolean;
  added: string[];
  removed: string[];
  /** Questions whose type, options, rows or scale changed. */
  changed: string[];
  /** Answers to questions that no longer exist: kept, shown as retired, not scored. */
  retiredAnswers: string[];
  /** Answers whose value does not fit the question any more: kept, not scored, to be answered again. */
  invalidAnswers: { questionId: string; message: string }[];
}

const questionsOf = (doc: QuestionnaireDoc): Map<string, Question> => new Map(doc.sections.flatMap((s) => s.questions.map((q) => [q.id, q] as const)));

/** What makes an answer mean something: the type and what can be chosen, not the wording. */
function answerShape(question: Question): string {
  const { type } = question;
  switch (question.type) {
    case 'single_choice':
    case 'multiple_choice': return JSON.stringify([type, question.options.map((o) => o.id)]);
    case 'alignment_table': return JSON.stringify([type, question.rows.map((r) => r.id)]);
    case 'maturity': return JSON.stringify([type, question.scale]);
    // Snapshots before issue 10 hold the unit as { en, ru }; its English word is today's unit id.
    case 'number': return JSON.stringify([type, typeof question.unit === 'object' ? (question.unit as { en?: string }).en : question.unit]);
    default: return type;
  }
}

/** Pure: compares the pinned snapshot with today's questionnaire and sorts the existing answers. */
export function compareVersions(pinnedVersion: number, pinned: QuestionnaireDoc | undefined, current: Questionnaire, answers: readonly AnswerDto[]): QuestionnaireChanges {
  const now = questionsOf(current);
  const before = pinned ? questionsOf(pinned) : undefined;
  const retiredAnswers: string[] = [];
  const invalidAnswers: QuestionnaireChanges['invalidAnswers'] = [];
  for (const answer of answers) {
    const question = now.get(answer.questionId);
    if (!question) {
      retiredAnswers.push(answer.questionId);
      continue;
    }
    const parsed = answerValueSchema(question).safeParse(answer.value);
    if (!parsed.success) invalidAnswers.push({ questionId: answer.questionId, message: parsed.error.issues[0]?.message ?? 'does not fit the question any more' });
  }
  return {
    pinnedVersion,
    currentVersion: current.version,
    snapshotAvailable: pinned !== undefined,
    added: before ? [...now.keys()].filter((id) => !before.has(id)) : [],
    removed: before ? [...before.keys()].filter((id) => !now.has(id)) : [],
    changed: before ? [...now].filter(([id, q]) => { const old = before.get(id); return old !== undefined && answerShape(old) !== answerShape(q); }).map(([id]) => id) : [],
    retiredAnswers: retiredAnswers.sort(),
    invalidAnswers,
  };
}
