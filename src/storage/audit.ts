/**
 * The audit log: every mutation writes who, what, when, before and after. Rows are hash-chained
 * (hash = SHA-256 of the previous hash and the row's content), so editing or deleting a row breaks the
 * chain at that row, which `ena audit verify` reports.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { lockWriters } from './dialect.js';
import type { AuditRow, Database } from './schema.js';
import { inTransaction } from './transaction.js';

/** Who did it: a signed-in user, or the system (CLI, demo loader, migrations) with a null id. */
export interface Actor {
  id: number | null;
}

export const SYSTEM: Actor = { id: null };
export const GENESIS_HASH = '0'.repeat(64);

type AuditContent = Pick<AuditRow, 'at' | 'actor_id' | 'action' | 'entity_type' | 'entity_id' | 'before' | 'after'>;

function chainHash(prevHash: string, row: AuditContent): string {
  const canonical = JSON.stringify([row.at, row.actor_id, row.action, row.entity_type, row.entity_id, row.before, row.after]);
  return createHash('sha256').update(prevHash).update('\n').update(canonical).digest('hex');
}

const toJson = (value: unknown): string | null => (value === undefined || value === null ? null : JSON.stringify(value));

/** Call inside the transaction of the mutation it records. */
export async function writeAudit(
  db: Kysely<Database>,
  actor: Actor,
  action: string,
  entity: { type: string; id: string | number },
  before: unknown,
  after: unknown,
): Promise<void> {
  // The chain needs its read of the last hash and its insert under the writer lock, in one transaction.
  if (!db.isTransaction) return inTransaction(db, (trx) => writeAudit(trx, actor, action, entity, before, after));
  await lockWriters(db);
  const last = await db.selectFrom('audit_log').select('hash').orderBy('id', 'desc').limit(1).executeTakeFirst();
  await db.insertInto('audit_log').values(auditEntry(last?.hash, actor, action, entity, before, after)).execute();
}

/** The next row of the chain after the row hashed `lastHash` (undefined: the log is empty). Pure, so
 * that the SQLite autosave path (sqliteAnswers.ts) appends exactly the rows writeAudit does. */
export function auditEntry(lastHash: string | undefined, actor: Actor, action: string, entity: { type: string; id: string | number }, before: unknown, after: unknown): Omit<AuditRow, 'id'> {
  const row: AuditContent = {
    at: new Date().toISOString(),
    actor_id: actor.id,
    action,
    entity_type: entity.type,
    entity_id: String(entity.id),
    before: toJson(before),
    after: toJson(after),
  };
  const prevHash = lastHash ?? GENESIS_HASH;
  return { ...row, prev_hash: prevHash, hash: chainHash(prevHash, row) };
}

export interface AuditVerification {
  ok: boolean;
  rows: number;
  /** The first row whose hash or link does not match, when the chain is broken. */
  brokenAt?: { id: number; reason: string };
}

export async function verifyAuditChain(db: Kysely<Database>): Promise<AuditVerification> {
  let prevHash = GENESIS_HASH;
  let rows = 0;
  let lastId = 0;
  // Read in pages so a long log does not load into memory at once.
  for (;;) {
    const page = await db.selectFrom('audit_log').selectAll().where('id', '>', lastId).orderBy('id').limit(5000).execute();
    for (const row of page) {
      if (row.prev_hash !== prevHash) return { ok: false, rows, brokenAt: { id: row.id, reason: 'its link to the previous row does not match (a row before it was changed or deleted)' } };
      if (chainHash(prevHash, row) !== row.hash) return { ok: false, rows, brokenAt: { id: row.id, reason: 'its content does not match its hash (the row was changed)' } };
      prevHash = row.hash;
      lastId = row.id;
      rows += 1;
    }
    if (page.length < 5000) return { ok: true, rows };
  }
}
