/**
 * Session policy and accounts (issue 14 rows 7, 8, 12, 13): constant-time sign-in for accounts without a
 * password, one failed-sign-in budget for API and form, idle and absolute session lifetimes, and a
 * password rule that refuses common and trivial passwords on every path (API, admin form, CLI).
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword, OWASP_SCRYPT } from '../../src/accounts/passwords.js';
import { passwordProblem } from '../../src/accounts/passwordPolicy.js';
import { loadConfig } from '../../src/config/env.js';
import { Problem } from '../../src/shared/problem.js';
import { SYSTEM } from '../../src/storage/audit.js';
import { createSession, hashToken } from '../../src/storage/sessions.js';
import { createUser } from '../../src/storage/users.js';
import type { RunningServer } from '../../src/web/server.js';
import { Client, PASSWORD, seedUser, startTestServer } from '../api/helpers.js';
import { send } from './http.js';

const ROOT = join(import.meta.dirname, '..', '..');

describe('password rule (row 13)', () => {
  it('refuses trivial, common and personal passwords and accepts a passphrase', () => {
    for (const weak of [' '.repeat(12), 'password1234', 'qwertyuiop12', 'aaaaaaaaaaaa', '123456789012', 'Password2025']) expect(passwordProblem(weak), weak).toBeDefined();
    expect(passwordProblem('anna.petrova-1', ['anna.petrova@example.org', 'Anna Petrova'])).toMatch(/e-mail address or name|guess/);
    expect(passwordProblem('short')).toMatch(/at least 12/);
    expect(passwordProblem('correct horse battery staple')).toBeUndefined();
    expect(passwordProblem('Tulips under a quiet Almaty rain')).toBeUndefined();
  });

  let running: RunningServer;
  let admin: Client;
  beforeAll(async () => {
    running = await startTestServer();
    await seedUser(running.store, 'admin@example.org', 'admin');
    admin = new Client(running.url);
    await admin.login('admin@example.org');
  });
  afterAll(async () => running?.close());

  it('POST /api/users and PATCH refuse "password1234" and twelve spaces with a 400 on the password field; nothing is stored', async () => {
    const before = await running.store.db.selectFrom('users').select('id').execute();
    for (const password of ['password1234', ' '.repeat(12), 'kazakh.expert2025']) {
      const reply = await admin.request<{ error: { code: string; details: { path: string }[] } }>('POST', '/api/users', { email: 'kazakh.expert@example.org', name: 'Kazakh Expert', password, role: 'expert' });
      expect(reply.status, password).toBe(400);
      expect(reply.body.error.details.map((d) => d.path)).toEqual(['password']);
    }
    expect(await running.store.db.selectFrom('users').select('id').execute()).toEqual(before);
    const created = await admin.request<{ user: { id: number } }>('POST', '/api/users', { email: 'kazakh.expert@example.org', name: 'Kazakh Expert', password: 'copper kettle winter orchard', role: 'expert' });
    expect(created.status).toBe(201);
    const patched = await admin.request('PATCH', `/api/users/${created.body.user.id}`, { password: 'password1234' });
    expect(patched.status).toBe(400);
  });

  it('the admin form refuses a weak password with the field marked, nothing stored', async () => {
    const reply = await send(running.url, {
      method: 'POST', path: '/admin/users', headers: { cookie: admin.cookie ?? '', accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: admin.csrfToken ?? '', email: 'weak@example.org', name: 'Weak', role: 'viewer', language: 'en', password: 'password1234' }).toString(),
    });
    expect(reply.status).toBe(400);
    expect(reply.text).toContain('not easy to guess');
    expect(await running.store.db.selectFrom('users').select('id').where('email', '=', 'weak@example.org').executeTakeFirst()).toBeUndefined();
  });

  it('ena user add refuses a common password and a bad field with the same rules', async () => {
    const cliDir = await mkdtemp(join(tmpdir(), 'ena-cli-'));
    const env = { ...process.env, ENA_DB: join(cliDir, 'cli.sqlite'), ENA_LOG_LEVEL: 'silent' };
    const weak = spawnSync(process.execPath, [join(ROOT, 'bin', 'ena.js'), 'user', 'add', '--email', 'cli@example.org', '--role', 'admin'], { input: 'password1234\n', env, encoding: 'utf8' });
    expect(weak.status).toBe(1);
    expect(weak.stderr).toMatch(/password .*commonly used/);
    const longName = spawnSync(process.execPath, [join(ROOT, 'bin', 'ena.js'), 'user', 'add', '--email', 'cli@example.org', '--role', 'admin', '--name', 'x'.repeat(400)], { input: 'copper kettle winter orchard\n', env, encoding: 'utf8' });
    expect(longName.status).toBe(1);
    expect(longName.stderr).toMatch(/--name is too long/);
  }, 60_000);
});

describe('sign-in (rows 7 and 8)', () => {
  it('takes as long for an imported account without a password as for a real one (decoy hash)', async () => {
    const running = await startTestServer({ env: { ENA_SIGNIN_FAILURES: '100' } });
    try {
      const { db } = running.store;
      await createUser(db, SYSTEM, { email: 'real@example.org', name: 'Real', passwordHash: await hashPassword(PASSWORD, OWASP_SCRYPT), role: 'viewer' });
      // What a bundle import makes for an author with no account here: '!' is no hash of any password.
      await db.insertInto('users').values({ email: 'imported@example.org', name: 'Imported', password_hash: '!', role: 'viewer', language: 'en', created_at: new Date().toISOString(), disabled_at: new Date().toISOString() }).execute();
      const time = async (email: string): Promise<number> => {
        const started = performance.now();
        const reply = await new Client(running.url).login(email, 'wrong password guess');
        expect(reply.status).toBe(401);
        return performance.now() - started;
      };
      const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
      const real: number[] = [];
      const imported: number[] = [];
      for (let i = 0; i < 3; i++) {
        real.push(await time('real@example.org'));
        imported.push(await time('imported@example.org'));
      }
      // Before the fix: 4 ms against ~600 ms. Both now pay one OWASP scrypt.
      expect(median(imported) / median(real)).toBeGreaterThan(0.5);
      expect(median(imported) / median(real)).toBeLessThan(2);
    } finally {
      await running.close();
    }
  }, 120_000);

  it('counts failed sign-ins on the API and the form together', async () => {
    const running = await startTestServer({ env: { ENA_SIGNIN_FAILURES: '4' } });
    try {
      const form = (password: string) => send(running.url, { method: 'POST', path: '/login', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' }, body: `email=nobody%40example.org&password=${password}` });
      const statuses: number[] = [];
      for (let i = 0; i < 2; i++) {
        statuses.push((await new Client(running.url).login('nobody@example.org', `api guess ${i}`)).status);
        statuses.push((await form(`form+guess+${i}`)).status);
      }
      expect(statuses).toEqual([401, 401, 401, 401]);
      // Two failures per door, four in all: both doors are now closed.
      expect((await new Client(running.url).login('nobody@example.org', 'another guess')).status).toBe(429);
      expect((await form('another+guess')).status).toBe(429);
    } finally {
      await running.close();
    }
  }, 120_000);
});

describe('sign-in limit on the form', () => {
  it('tells a locked-out person the configured wait, in their language', async () => {
    const running = await startTestServer({ env: { ENA_SIGNIN_FAILURES: '1', ENA_SIGNIN_WINDOW_MINUTES: '60' } });
    try {
      const form = async (language: 'en' | 'ru') => {
        const reply = await send(running.url, { method: 'POST', path: '/login', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', 'accept-language': language }, body: 'email=nobody%40example.org&password=guess' });
        return { status: reply.status, text: reply.text };
      };
      expect((await form('en')).status).toBe(401);
      const english = await form('en');
      expect(english.status).toBe(429);
      expect(english.text).toContain('Wait 60 minutes and try again');
      expect((await form('ru')).text).toContain('Подождите 60 минут и повторите попытку');
    } finally {
      await running.close();
    }
  }, 120_000);
});

describe('session lifetime (row 12)', () => {
  it('refuses a session past its absolute lifetime even while in use, and never extends one beyond it', async () => {
    const running = await startTestServer({ env: { ENA_SESSION_IDLE_MINUTES: '60', ENA_SESSION_MAX_HOURS: '8' } });
    try {
      const { db } = running.store;
      const userId = await seedUser(db, 'expert@example.org', 'expert');
      const client = new Client(running.url);
      const signedIn = await client.login('expert@example.org');
      const expiresAt = (signedIn.body as { expiresAt: string }).expiresAt;
      // Idle timeout: a new session lives 60 minutes unless used.
      expect(Math.abs(Date.parse(expiresAt) - Date.now() - 60 * 60_000)).toBeLessThan(60_000);
      const idHash = hashToken(decodeURIComponent(client.cookie?.split('=')[1] ?? ''));
      // Signed in 7.5 hours ago and used all along: the extension stops at the 8-hour mark.
      const created = new Date(Date.now() - 7.5 * 3_600_000).toISOString();
      await db.updateTable('sessions').set({ created_at: created, expires_at: new Date(Date.now() + 60_000).toISOString() }).where('id_hash', '=', idHash).execute();
      expect((await client.get('/api/me')).status).toBe(200);
      const row = await db.selectFrom('sessions').select('expires_at').where('id_hash', '=', idHash).executeTakeFirstOrThrow();
      expect(Date.parse(row.expires_at)).toBeLessThanOrEqual(Date.parse(created) + 8 * 3_600_000);
      // A 90-day-old session whose row still says "valid" (aged by hand, or written under a longer policy).
      const old = await createSession(db, userId, { idleMinutes: 60, maxHours: 8 });
      await db.updateTable('sessions').set({ created_at: new Date(Date.now() - 90 * 86_400_000).toISOString(), expires_at: new Date(Date.now() + 3_600_000).toISOString() })
        .where('id_hash', '=', hashToken(old.token)).execute();
      const aged = new Client(running.url);
      aged.cookie = `ena_session=${old.token}`;
      const refused = await aged.get('/api/me');
      expect(refused.status).toBe(401);
      // Not renewed: no cookie extended, the row unchanged.
      expect(refused.headers.get('set-cookie')).toBeNull();
    } finally {
      await running.close();
    }
  }, 60_000);

  it('refuses a nonsensical policy at start with the variable named', () => {
    const attempt = (env: Record<string, string>) => {
      try {
        loadConfig(env);
        return '';
      } catch (error) {
        return (error as Problem).message;
      }
    };
    expect(attempt({ ENA_SESSION_MAX_HOURS: '0' })).toMatch(/ENA_SESSION_MAX_HOURS="0" must be a whole number from 1/);
    expect(attempt({ ENA_SESSION_IDLE_MINUTES: '600', ENA_SESSION_MAX_HOURS: '2' })).toMatch(/ENA_SESSION_IDLE_MINUTES="600" must not be longer than ENA_SESSION_MAX_HOURS/);
    expect(loadConfig({}).sessionPolicy).toEqual({ idleMinutes: 720, maxHours: 72 });
  });
});
