/**
 * `ena db copy`: every table of one ENA database into another, empty one — an SQLite pilot into the
 * central PostgreSQL, or PostgreSQL into an SQLite file for an offline copy. Rows keep their ids, so the
 * audit chain (whose hashes cover every column but the id) still verifies, and is verified on the copy
 * before the copy is committed. The source is read in one snapshot; the target is written in one
 * transaction: a failed copy leaves the target as empty as it was.
 */
import type { Kysely, Transaction } from 'kysely';
import { Problem } from '../shared/problem.js';
import { verifyAuditChain } from './audit.js';
import { openStore, type Store } from './db.js';
import { engineOf, foreignKeyEdges, lockWriters, resetIdentities } from './dialect.js';
import type { Database } from './schema.js';

export interface CopyResult {
  from: string;
  to: string;
  tables: { table: string; rows: number }[];
  auditRows: number;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- rows of any table, copied column by column
type AnyDb = Kysely<any>;

/** Every ENA table (not Kysely's migration bookkeeping), parents before the tables that reference them. */
export async function tablesInCopyOrder(db: AnyDb): Promise<string[]> {
  const tables = (await db.introspection.getTables()).map((t) => t.name).sort();
  const parents = new Map<string, Set<string>>(tables.map((t) => [t, new Set()]));
  for (const edge of await foreignKeyEdges(db)) if (edge.table !== edge.references) parents.get(edge.table)?.add(edge.references);
  const ordered: string[] = [];
  const placed = new Set<string>();
  while (ordered.length < tables.length) {
    const ready = tables.filter((t) => !placed.has(t) && [...(parents.get(t) ?? [])].every((p) => placed.has(p) || !parents.has(p)));
    if (ready.length === 0) throw new Problem('internal', `The tables ${tables.filter((t) => !placed.has(t)).join(', ')} reference each other in a cycle; ENA cannot order the copy.`);
    for (const t of ready) {
      ordered.push(t);
      placed.add(t);
    }
  }
  return ordered;
}

async function rowCount(db: AnyDb, table: string): Promise<number> {
  const row = await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

async function readSnapshot<T>(store: Store, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  // PostgreSQL: one repeatable-read snapshot while instances keep writing. SQLite (WAL): a read
  // transaction sees one snapshot from its first read on.
  const transaction = store.db.transaction();
  return (engineOf(store.db) === 'postgres' ? transaction.setIsolationLevel('repeatable read') : transaction).execute(work);
}

/** Copies `from` into `to` (each an SQLite path or a PostgreSQL URL); `to` must hold no ENA data. */
export async function copyDatabase(from: string, to: string): Promise<CopyResult> {
  if (from === to) throw Problem.validation('The source and the target of the copy are the same database.', [{ path: 'to', message: 'same as the source' }]);
  const source = await openStore(from);
  try {
    const target = await openStore(to);
    try {
      return await copyStores(source, target);
    } finally {
      await target.close();
    }
  } finally {
    await source.close();
  }
}

export async function copyStores(source: Store, target: Store): Promise<CopyResult> {
  const tables = await tablesInCopyOrder(source.db);
  const targetTables = new Set((await target.db.introspection.getTables()).map((t) => t.name));
  const missing = tables.filter((t) => !targetTables.has(t));
  if (missing.length > 0) throw new Problem('validation_failed', `The target has no table ${missing.join(', ')}: it was made by another ENA version. Copy with the same ENA version on both sides.`);
  for (const table of tables) {
    if ((await rowCount(target.db, table)) > 0) {
      throw new Problem('validation_failed', `The target ${target.location} already holds data (table ${table} is not empty). Copy only into an empty database: create a new one (createdb, or a new file name) and run the copy again. Nothing was changed.`);
    }
  }
  const counts = await readSnapshot(source, async (reader) => {
    return target.db.transaction().execute(async (writer) => {
      await lockWriters(writer);
      const copied: { table: string; rows: number }[] = [];
      for (const table of tables) {
        const rows = await (reader as AnyDb).selectFrom(table).selectAll().execute() as Record<string, unknown>[];
        const columns = Object.keys(rows[0] ?? {}).length || 1;
        // Stay below both engines' limits on bound parameters per statement.
        const chunk = Math.max(1, Math.floor(30_000 / columns));
        for (let i = 0; i < rows.length; i += chunk) await (writer as AnyDb).insertInto(table).values(rows.slice(i, i + chunk)).execute();
        copied.push({ table, rows: rows.length });
      }
      await resetIdentities(writer);
      for (const { table, rows } of copied) {
        const stored = await rowCount(writer, table);
        if (stored !== rows) throw new Problem('internal', `Copy of ${table} holds ${stored} row(s) instead of ${rows}; nothing was kept.`);
      }
      const audit = await verifyAuditChain(writer);
      if (!audit.ok) throw new Problem('validation_failed', `The audit chain does not verify on the copy (row ${audit.brokenAt?.id}: ${audit.brokenAt?.reason}); nothing was kept. Run \`ena audit verify\` on the source.`);
      return { copied, auditRows: audit.rows };
    });
  });
  return { from: source.location, to: target.location, tables: counts.copied, auditRows: counts.auditRows };
}
