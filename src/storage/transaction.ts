import type { Kysely } from 'kysely';
import { lockWriters } from './dialect.js';
import type { Database } from './schema.js';

/**
 * Runs `work` in a transaction, or inside the caller's when `db` already is one, so that repository
 * functions compose (the demo loader writes a whole country in one commit). A new transaction takes the
 * writer lock first (see dialect.ts: one writer at a time on both engines).
 */
export function inTransaction<T>(db: Kysely<Database>, work: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  if (db.isTransaction) return work(db);
  return db.transaction().execute(async (trx) => {
    await lockWriters(trx);
    return work(trx);
  });
}
