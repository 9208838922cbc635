/**
 * Sessions live in the database so that logging out, disabling a user or restarting the server behave
 * predictably. The cookie holds a random token; the table holds only its SHA-256, so a copy of the
 * database (a backup on a laptop) does not contain live sessions.
 *
 * Two clocks end a session (SessionPolicy): the idle timeout (expires_at slides forward while the session
 * is used) and the absolute lifetime (created_at + maxHours: the session ends then however busy it is,
 * so a stolen cookie does not live for ever).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { Database, SessionsTable, UsersTable } from './schema.js';
import type { UserDto } from './users.js';

export interface SessionPolicy {
  /** A session unused for this long ends (ENA_SESSION_IDLE_MINUTES). */
  idleMinutes: number;
  /** A session ends this long after sign-in, in use or not (ENA_SESSION_MAX_HOURS). */
  maxHours: number;
}

/** 12 hours idle (a mission day); 72 hours at most (a mission visit): then sign in again. */
export const DEFAULT_SESSION_POLICY: SessionPolicy = { idleMinutes: 12 * 60, maxHours: 72 };
const MINUTE = 60_000;
const HOUR = 3_600_000;

export type SessionUserRow = Pick<UserDto, 'id' | 'email' | 'name' | 'role' | 'language' | 'countries'>;

export interface FoundSession {
  user: SessionUserRow;
  csrfToken: string;
  expiresAt: string;
  /** True when this lookup extended the session: the cookie should be renewed too. */
  extended: boolean;
  /** The password is a temporary one (an administrator's reset): the pages ask for a new one first. */
  mustChangePassword: boolean;
}

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');
const newToken = (): string => randomBytes(32).toString('base64url');

/** When a session used at `now` expires: idle timeout, but never past its absolute end. */
function nextExpiry(createdAt: Date, now: Date, policy: SessionPolicy): string {
  return new Date(Math.min(now.getTime() + policy.idleMinutes * MINUTE, createdAt.getTime() + policy.maxHours * HOUR)).toISOString();
}

export async function createSession(db: Kysely<Database>, userId: number, policy: SessionPolicy = DEFAULT_SESSION_POLICY, now = new Date()): Promise<{ token: string; csrfToken: string; expiresAt: string }> {
  const token = newToken();
  const csrfToken = newToken();
  const expiresAt = nextExpiry(now, now, policy);
  await db.insertInto('sessions').values({ id_hash: hashToken(token), user_id: userId, csrf_token: csrfToken, created_at: now.toISOString(), expires_at: expiresAt }).execute();
  // Opportunistic clean-up keeps the table small without a timer.
  await db.deleteFrom('sessions').where('expires_at', '<', now.toISOString()).execute();
  return { token, csrfToken, expiresAt };
}

/**
 * The live session for a cookie token, with its user, or undefined (unknown, idle too long, past its
 * absolute lifetime, user disabled). A session in use is extended once a tenth of the idle time has
 * passed (one write then rather than one per request: the idle timeout is met to within 10 %), never
 * beyond its absolute end.
 */
export async function findSession(db: Kysely<Database>, token: string, policy: SessionPolicy = DEFAULT_SESSION_POLICY, now = new Date()): Promise<FoundSession | undefined> {
  const idHash = hashToken(token);
  const row = await db.selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select(SESSION_COLUMNS)
    .where('sessions.id_hash', '=', idHash)
    .executeTakeFirst();
  const state = row && sessionState(row, policy, now);
  if (!row || !state) return undefined;
  if (state.extended) await db.updateTable('sessions').set({ expires_at: state.expiresAt }).where('id_hash', '=', idHash).execute();
  const countries = await db.selectFrom('user_countries').select('country_code').where('user_id', '=', row.id).orderBy('country_code').execute();
  return foundSession(row, state, countries.map((c) => c.country_code));
}

/** What a session lookup reads: the session with its user (sqliteReads.ts runs the same read prepared). */
export const SESSION_COLUMNS = ['sessions.csrf_token', 'sessions.created_at', 'sessions.expires_at', 'users.id', 'users.email', 'users.name', 'users.role', 'users.language', 'users.disabled_at', 'users.must_change_password'] as const;

export type SessionRow = Pick<SessionsTable, 'csrf_token' | 'created_at' | 'expires_at'> & Pick<Selectable<UsersTable>, 'id' | 'email' | 'name' | 'role' | 'language' | 'disabled_at' | 'must_change_password'>;

/** Whether the session is live at `now` (undefined: idle too long, past its absolute lifetime, user
 * disabled), its expiry, and whether this use extends it (see findSession). */
export function sessionState(row: SessionRow, policy: SessionPolicy, now: Date): { expiresAt: string; extended: boolean } | undefined {
  if (row.disabled_at !== null) return undefined;
  const createdAt = new Date(row.created_at);
  // Both clocks are checked here, so a row written under a longer policy (or aged by hand) is refused too.
  if (Date.parse(row.expires_at) <= now.getTime() || createdAt.getTime() + policy.maxHours * HOUR <= now.getTime()) return undefined;
  const next = nextExpiry(createdAt, now, policy);
  if (Date.parse(next) - Date.parse(row.expires_at) >= Math.max(MINUTE, (policy.idleMinutes * MINUTE) / 10)) return { expiresAt: next, extended: true };
  return { expiresAt: row.expires_at, extended: false };
}

export function foundSession(row: SessionRow, state: { expiresAt: string; extended: boolean }, countries: string[]): FoundSession {
  return {
    user: { id: row.id, email: row.email, name: row.name, role: row.role, language: row.language, countries },
    csrfToken: row.csrf_token,
    expiresAt: state.expiresAt,
    extended: state.extended,
    mustChangePassword: row.must_change_password === 1,
  };
}

export async function deleteSession(db: Kysely<Database>, token: string): Promise<void> {
  await db.deleteFrom('sessions').where('id_hash', '=', hashToken(token)).execute();
}
