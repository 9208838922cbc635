/**
 * Autosave: one answer saved through the store's group commit — on SQLite as prepared statements
 * (sqliteAnswers.ts, SqliteWriter), on PostgreSQL through Kysely (answers.ts, WriteBatcher). Either way
 * the promise settles only after the commit that holds the save has reached the disk.
 */
import type { Actor } from './audit.js';
import { saveAnswer, type SaveAnswer, type SavedAnswer } from './answers.js';
import type { Store } from './db.js';
import { saveAnswerNow } from './sqliteAnswers.js';

export function autosaveAnswer(store: Store, actor: Actor, input: SaveAnswer): Promise<SavedAnswer> {
  return store.engine === 'sqlite'
    ? store.sqliteWrites.run((sqlite) => saveAnswerNow(sqlite, actor, input))
    : store.writes.run((trx) => saveAnswer(trx, actor, input));
}
