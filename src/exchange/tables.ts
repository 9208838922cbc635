/**
 * The tables that migration 0100_exchange adds, as Kysely types. They live here rather than in
 * storage/schema.ts because only the exchange module uses them; `withExchangeTables` widens a handle.
 */
import type { Generated, Kysely, Selectable } from 'kysely';
import type { Database } from '../storage/schema.js';

export const CONFLICT_STATUSES = ['open', 'resolved'] as const;
export type ConflictStatus = (typeof CONFLICT_STATUSES)[number];

// Type aliases, not interfaces: Kysely's withTables needs their implicit index signature.
export type MissionUidsTable = {
  mission_id: number;
  /** Random UUID given on the first export: the mission's identity on every installation. */
  uid: string;
};

export type AnswerConflictsTable = {
  id: Generated<number>;
  assessment_id: number;
  question_id: string;
  /** The last revision both sides share. */
  base_revision: number;
  /** The local head revision when the conflict was found. */
  local_revision: number;
  /** Fingerprint of the local head entry (see bundle/history.ts). */
  local_head: string;
  /** Fingerprint of the last incoming entry: with the answer, it identifies the conflict. */
  incoming_head: string;
  /** JSON array of the incoming history entries after the base (HistoryEntry[]). */
  incoming: string;
  status: ConflictStatus;
  created_at: string;
  resolved_at: string | null;
  /** E-mail of the person who resolved it: portable between installations, unlike a user id. */
  resolved_by: string | null;
  /** The revision that settled the conflict. */
  resolved_revision: number | null;
};

export type ExchangeTables = {
  mission_uids: MissionUidsTable;
  answer_conflicts: AnswerConflictsTable;
};

export type ExchangeDatabase = Database & ExchangeTables;
export type AnswerConflictRow = Selectable<AnswerConflictsTable>;

/** Works on a transaction too: it returns a handle on the same connection. */
export function withExchangeTables(db: Kysely<Database>): Kysely<ExchangeDatabase> {
  return db.withTables<ExchangeTables>();
}
