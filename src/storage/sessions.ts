/**
 * Sessions live in the database so that logging out, disabling a user or restarting the server behave
 * predictably. The cookie holds a random token; the table holds only its SHA-256, so a copy of the
 * database (a backup on a laptop) does not contain live sessions.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';
import type { UserDto } from './users.js';

export const SESSION_HOURS = 12;
const HOUR = 3_600_000;

export type SessionUserRow = Pick<UserDto, 'id' | 'email' | 'name' | 'role' | 'language' | 'countries'>;

export interface FoundSession {
  user: SessionUserRow;
  csrfToken: string;
  expiresAt: string;
  /** True when this lookup extended the session: the cookie should be renewed too. */
  extended: boolean;
}

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');
const newToken = (): string => randomBytes(32).toString('base64url');

export async function createSession(db: Kysely<Database>, userId: number, now = new Date()): Promise<{ token: string; csrfToken: string; expiresAt: string }> {
  const token = newToken();
  const csrfToken = newToken();
  const expiresAt = new Date(now.getTime() + SESSION_HOURS * HOUR).toISOString();
  await db.insertInto('sessions').values({ id_hash: hashToken(token), user_id: userId, csrf_token: csrfToken, created_at: now.toISOString(), expires_at: expiresAt }).execute();
  // Opportunistic clean-up keeps the table small without a timer.
  await db.deleteFrom('sessions').where('expires_at', '<', now.toISOString()).execute();
  return { token, csrfToken, expiresAt };
}

/**
 * The live session for a cookie token, with its user, or undefined (unknown, expired, user disabled).
 * A session in active use is extended (sliding expiry) once less than half of its life is left.
 */
export async function findSession(db: Kysely<Database>, token: string, now = new Date()): Promise<FoundSession | undefined> {
  const idHash = hashToken(token);
  const row = await db.selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select(['sessions.csrf_token', 'sessions.expires_at', 'users.id', 'users.email', 'users.name', 'users.role', 'users.language', 'users.disabled_at'])
    .where('sessions.id_hash', '=', idHash)
    .executeTakeFirst();
  if (!row || row.disabled_at !== null || row.expires_at <= now.toISOString()) return undefined;
  let expiresAt = row.expires_at;
  let extended = false;
  if (Date.parse(expiresAt) - now.getTime() < (SESSION_HOURS * HOUR) / 2) {
    expiresAt = new Date(now.getTime() + SESSION_HOURS * HOUR).toISOString();
    await db.updateTable('sessions').set({ expires_at: expiresAt }).where('id_hash', '=', idHash).execute();
    extended = true;
  }
  const countries = await db.selectFrom('user_countries').select('country_code').where('user_id', '=', row.id).orderBy('country_code').execute();
  return {
    user: { id: row.id, email: row.email, name: row.name, role: row.role, language: row.language, countries: countries.map((c) => c.country_code) },
    csrfToken: row.csrf_token,
    expiresAt,
    extended,
  };
}

export async function deleteSession(db: Kysely<Database>, token: string): Promise<void> {
  await db.deleteFrom('sessions').where('id_hash', '=', hashToken(token)).execute();
}
