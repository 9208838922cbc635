/**
 * Checking credentials and opening a session: the account logic behind POST /api/session and the
 * sign-in form. Every failure takes the same time and gets the same answer: an unknown e-mail, an
 * account without a usable password (a placeholder made by a bundle import), a disabled account and a
 * wrong password all cost one scrypt at today's parameters and answer "not correct".
 */
import type { Kysely } from 'kysely';
import { Problem } from '../shared/problem.js';
import { writeAudit } from '../storage/audit.js';
import type { Database } from '../storage/schema.js';
import { createSession, DEFAULT_SESSION_POLICY, findSession, type SessionPolicy, type SessionUserRow } from '../storage/sessions.js';
import { inTransaction } from '../storage/transaction.js';
import { findUserByEmail } from '../storage/users.js';
import { decoyHash, isUsableHash, verifyPassword } from './passwords.js';

export interface SignedIn {
  user: SessionUserRow;
  token: string;
  csrfToken: string;
  expiresAt: string;
}

export async function signIn(db: Kysely<Database>, email: string, password: string, policy: SessionPolicy = DEFAULT_SESSION_POLICY): Promise<SignedIn> {
  const user = await findUserByEmail(db, email);
  const usable = user !== undefined && isUsableHash(user.password_hash);
  const matches = await verifyPassword(password, usable ? user.password_hash : await decoyHash());
  const ok = usable && matches;
  if (!user || !ok || user.disabled_at !== null) {
    throw new Problem('unauthenticated', 'The e-mail or password is not correct.', [{ path: 'password', message: 'e-mail or password not correct' }]);
  }
  const session = await inTransaction(db, async (trx) => {
    const created = await createSession(trx, user.id, policy);
    await writeAudit(trx, { id: user.id }, 'session.create', { type: 'user', id: user.id }, null, { expiresAt: created.expiresAt });
    return created;
  });
  const found = await findSession(db, session.token, policy);
  if (!found) throw new Problem('internal', 'The new session could not be read back.');
  return { user: found.user, token: session.token, csrfToken: session.csrfToken, expiresAt: session.expiresAt };
}
