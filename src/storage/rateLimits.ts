/**
 * Rate-limit counters kept in the database: every ENA instance on one database counts against the same
 * budget. Shaped as express-rate-limit's `Store` (structurally, so storage does not import the web
 * library). One atomic upsert per hit, the same statement on SQLite and PostgreSQL: a hit after the
 * window's end starts a new window, otherwise it adds one — no read-then-write race between instances.
 */
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export interface RateLimitCount {
  totalHits: number;
  resetTime: Date | undefined;
}

export class DatabaseRateLimitStore {
  /** Counts are shared with other processes (express-rate-limit's flag). */
  readonly localKeys = false;
  private windowMs = 60_000;

  constructor(private readonly db: Kysely<Database>, readonly prefix = 'signin:') {}

  init(options: { windowMs: number }): void {
    this.windowMs = options.windowMs;
  }

  async get(key: string): Promise<RateLimitCount | undefined> {
    const row = await this.db.selectFrom('rate_limit_hits').select(['hits', 'reset_at']).where('key', '=', this.prefix + key).executeTakeFirst();
    if (!row || row.reset_at <= new Date().toISOString()) return undefined;
    return { totalHits: row.hits, resetTime: new Date(row.reset_at) };
  }

  async increment(key: string, now = new Date()): Promise<RateLimitCount> {
    const at = now.toISOString();
    const resetAt = new Date(now.getTime() + this.windowMs).toISOString();
    const row = await this.db.insertInto('rate_limit_hits').values({ key: this.prefix + key, hits: 1, reset_at: resetAt })
      .onConflict((oc) => oc.column('key').doUpdateSet((eb) => ({
        hits: eb.case().when('rate_limit_hits.reset_at', '<=', at).then(1).else(eb('rate_limit_hits.hits', '+', 1)).end(),
        reset_at: eb.case().when('rate_limit_hits.reset_at', '<=', at).then(eb.ref('excluded.reset_at')).else(eb.ref('rate_limit_hits.reset_at')).end(),
      })))
      .returning(['hits', 'reset_at']).executeTakeFirstOrThrow();
    // Expired windows of other addresses go with the next hit: the table stays small without a timer.
    await this.db.deleteFrom('rate_limit_hits').where('reset_at', '<', at).execute();
    return { totalHits: row.hits, resetTime: new Date(row.reset_at) };
  }

  async decrement(key: string): Promise<void> {
    await this.db.updateTable('rate_limit_hits').set((eb) => ({ hits: eb('hits', '-', 1) })).where('key', '=', this.prefix + key).where('hits', '>', 0).execute();
  }

  async resetKey(key: string): Promise<void> {
    await this.db.deleteFrom('rate_limit_hits').where('key', '=', this.prefix + key).execute();
  }
}
