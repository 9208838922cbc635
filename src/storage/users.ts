/** Users and their country assignments. Passwords arrive already hashed (src/accounts/passwords.ts). */
import type { Kysely } from 'kysely';
import { Problem } from '../shared/problem.js';
import { writeAudit, type Actor } from './audit.js';
import { inTransaction } from './transaction.js';
import type { Database, Role, User } from './schema.js';

export interface UserDto {
  id: number;
  email: string;
  name: string;
  role: Role;
  language: 'en' | 'ru';
  countries: string[];
  isDemo: boolean;
  createdAt: string;
  disabled: boolean;
}

export interface NewUserInput {
  email: string;
  name: string;
  passwordHash: string;
  role: Role;
  language?: 'en' | 'ru';
  countries?: readonly string[];
  isDemo?: boolean;
}

export interface UserUpdate {
  name?: string;
  role?: Role;
  language?: 'en' | 'ru';
  countries?: readonly string[];
  disabled?: boolean;
  passwordHash?: string;
  /** With passwordHash: true for a temporary password (an administrator's reset), false for the user's own. */
  mustChangePassword?: boolean;
}

export const normaliseEmail = (email: string): string => email.trim().toLowerCase();

async function countriesOf(db: Kysely<Database>, userIds: readonly number[]): Promise<Map<number, string[]>> {
  const byUser = new Map<number, string[]>(userIds.map((id) => [id, []]));
  if (userIds.length === 0) return byUser;
  const rows = await db.selectFrom('user_countries').select(['user_id', 'country_code']).where('user_id', 'in', userIds).orderBy('country_code').execute();
  for (const row of rows) byUser.get(row.user_id)?.push(row.country_code);
  return byUser;
}

function toDto(user: User, countries: string[]): UserDto {
  return {
    id: user.id, email: user.email, name: user.name, role: user.role, language: user.language, countries,
    isDemo: user.is_demo === 1, createdAt: user.created_at, disabled: user.disabled_at !== null,
  };
}

export async function findUserByEmail(db: Kysely<Database>, email: string): Promise<User | undefined> {
  return db.selectFrom('users').selectAll().where('email', '=', normaliseEmail(email)).executeTakeFirst();
}

export async function getUser(db: Kysely<Database>, id: number): Promise<UserDto> {
  const user = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  if (!user) throw Problem.notFound(`User ${id}`);
  return toDto(user, (await countriesOf(db, [id])).get(id) ?? []);
}

export async function listUsers(db: Kysely<Database>): Promise<UserDto[]> {
  const users = await db.selectFrom('users').selectAll().orderBy('email').execute();
  const countries = await countriesOf(db, users.map((u) => u.id));
  return users.map((u) => toDto(u, countries.get(u.id) ?? []));
}

async function checkCountries(db: Kysely<Database>, codes: readonly string[]): Promise<void> {
  if (codes.length === 0) return;
  const known = new Set((await db.selectFrom('countries').select('code').where('code', 'in', [...codes]).execute()).map((c) => c.code));
  const unknown = codes.filter((code) => !known.has(code));
  if (unknown.length > 0) {
    throw Problem.validation(`Unknown country code(s): ${unknown.join(', ')}. Check the code, or create the country first (an administrator or manager: POST /api/countries).`,
      unknown.map((code) => ({ path: 'countries', message: `"${code}" is not a known country` })));
  }
}

async function assignCountries(db: Kysely<Database>, userId: number, codes: readonly string[]): Promise<void> {
  await db.deleteFrom('user_countries').where('user_id', '=', userId).execute();
  const unique = [...new Set(codes)];
  if (unique.length > 0) await db.insertInto('user_countries').values(unique.map((code) => ({ user_id: userId, country_code: code }))).execute();
}

export async function createUser(db: Kysely<Database>, actor: Actor, input: NewUserInput): Promise<UserDto> {
  const email = normaliseEmail(input.email);
  return inTransaction(db, async (trx) => {
    if (await findUserByEmail(trx, email)) {
      throw new Problem('conflict', `A user with the e-mail ${email} already exists.`, [{ path: 'email', message: 'already in use' }]);
    }
    const countries = [...new Set(input.countries ?? [])];
    await checkCountries(trx, countries);
    const { id } = await trx.insertInto('users').values({
      email, name: input.name.trim(), password_hash: input.passwordHash, role: input.role, language: input.language ?? 'en',
      is_demo: input.isDemo ? 1 : 0, created_at: new Date().toISOString(), disabled_at: null,
    }).returning('id').executeTakeFirstOrThrow();
    await assignCountries(trx, id, countries);
    const created = await getUser(trx, id);
    await writeAudit(trx, actor, 'user.create', { type: 'user', id }, null, auditView(created));
    return created;
  });
}

/** What the audit log keeps of a user: never the password hash. */
function auditView(user: UserDto): Record<string, unknown> {
  return { email: user.email, name: user.name, role: user.role, language: user.language, countries: user.countries, disabled: user.disabled };
}

export async function updateUser(db: Kysely<Database>, actor: Actor, id: number, update: UserUpdate): Promise<UserDto> {
  return inTransaction(db, async (trx) => {
    const before = await getUser(trx, id);
    const set: Partial<Pick<User, 'name' | 'role' | 'language' | 'disabled_at' | 'password_hash' | 'must_change_password'>> = {};
    if (update.name !== undefined) set.name = update.name.trim();
    if (update.role !== undefined) set.role = update.role;
    if (update.language !== undefined) set.language = update.language;
    if (update.disabled !== undefined && update.disabled !== before.disabled) set.disabled_at = update.disabled ? new Date().toISOString() : null;
    if (update.passwordHash !== undefined) {
      set.password_hash = update.passwordHash;
      set.must_change_password = update.mustChangePassword === true ? 1 : 0;
    }
    if (Object.keys(set).length > 0) await trx.updateTable('users').set(set).where('id', '=', id).execute();
    if (update.countries !== undefined) {
      await checkCountries(trx, update.countries);
      await assignCountries(trx, id, update.countries);
    }
    // A disabled user or a changed password ends every open session of that user.
    if (update.disabled === true || update.passwordHash !== undefined) await trx.deleteFrom('sessions').where('user_id', '=', id).execute();
    const admins = await trx.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).where('role', '=', 'admin').where('disabled_at', 'is', null).executeTakeFirstOrThrow();
    if (before.role === 'admin' && Number(admins.n) === 0) {
      throw new Problem('conflict', 'This would leave ENA without an active administrator. Make another user admin first.', [{ path: update.disabled ? 'disabled' : 'role', message: 'last active admin' }]);
    }
    const after = await getUser(trx, id);
    await writeAudit(trx, actor, update.passwordHash !== undefined ? 'user.update.password' : 'user.update', { type: 'user', id }, auditView(before), auditView(after));
    return after;
  });
}

/** Users that are not demo accounts: their presence means the database holds real work. */
export async function countRealUsers(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).where('is_demo', '=', 0).executeTakeFirstOrThrow();
  return Number(row.n);
}
