/** Sign-in, sessions in the database, cookies, rate limit, password hashing and what the request log keeps. */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/storage/audit.js';
import { createCountry } from '../../src/storage/countries.js';
import { hashToken } from '../../src/storage/sessions.js';
import { createMission } from '../../src/storage/missions.js';
import { createAssessment } from '../../src/storage/assessments.js';
import { hashPassword, OWASP_SCRYPT, verifyPassword } from '../../src/accounts/passwords.js';
import type { RunningServer } from '../../src/web/server.js';
import { Client, PASSWORD, seedUser, startTestServer } from './helpers.js';
import { ENGINES } from '../support/engines.js';

const logLines: string[] = [];
const sink = new Writable({ write(chunk: Buffer, _enc, done) { logLines.push(chunk.toString()); done(); } });
// The rate limit is kept in memory (not in the database): one engine is enough.
describe('sign-in rate limit', () => {
  it('answers 429 after 10 failed sign-ins from one address, in the error shape', async () => {
    const server = await startTestServer();
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await new Client(server.url).login('nobody@example.org', `guess ${i}`)).status);
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    const limited = await new Client(server.url).login('nobody@example.org', 'guess');
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ error: { code: 'rate_limited', details: [] } });
    await server.close();
  }, 240_000); // eleven OWASP-strength scrypt verifications: seconds alone, minutes on a loaded 2-core machine
});

describe.each(ENGINES)('sessions on %s', (engine) => {
  let running: RunningServer;

  beforeAll(async () => {
    running = await startTestServer({ engine, logger: pino({ level: 'info' }, sink) });
    await createCountry(running.store.db, SYSTEM, { code: 'KZ', name: { en: 'Kazakhstan', ru: 'Казахстан' } });
    await seedUser(running.store.db, 'admin@example.org', 'admin');
    await seedUser(running.store.db, 'expert@example.org', 'expert', ['KZ']);
  });
  afterAll(async () => running?.close());

  describe('sessions', () => {
    it('signs in with an httpOnly SameSite=Lax cookie and returns the CSRF token', async () => {
      const client = new Client(running.url);
      const reply = await client.login('Expert@Example.org ');
      expect(reply.status).toBe(201);
      expect(reply.body).toMatchObject({ user: { email: 'expert@example.org', role: 'expert', countries: ['KZ'] }, csrfToken: expect.any(String) });
      const cookie = reply.headers.get('set-cookie') ?? '';
      expect(cookie).toMatch(/^ena_session=[\w-]{43};/);
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/SameSite=Lax/);
      expect(cookie).not.toMatch(/Secure/);
      expect((await client.get('/api/me')).body).toMatchObject({ user: { email: 'expert@example.org' }, csrfToken: client.csrfToken });
    });

    it('stores only the SHA-256 of the session token', async () => {
      const client = new Client(running.url);
      await client.login('expert@example.org');
      const token = client.cookie?.split('=')[1] ?? '';
      const rows = await running.store.db.selectFrom('sessions').select('id_hash').execute();
      expect(rows.map((r) => r.id_hash)).toContain(hashToken(token));
      expect(JSON.stringify(rows)).not.toContain(token);
    });

    it('gives the same answer for a wrong password and an unknown e-mail', async () => {
      const wrong = await new Client(running.url).login('expert@example.org', 'not the password');
      const unknown = await new Client(running.url).login('nobody@example.org', 'not the password');
      expect(wrong.status).toBe(401);
      expect(unknown.status).toBe(401);
      expect(wrong.body).toEqual(unknown.body);
    });

    it('signs out: the cookie is cleared and the session no longer works', async () => {
      const client = new Client(running.url);
      await client.login('expert@example.org');
      const saved = client.cookie;
      const reply = await client.request('DELETE', '/api/session');
      expect(reply.status).toBe(204);
      expect(reply.headers.get('set-cookie')).toMatch(/ena_session=;.*Expires=Thu, 01 Jan 1970/);
      client.cookie = saved;
      expect((await client.get('/api/me')).status).toBe(401);
    });

    it('ends the sessions of a user an administrator disables', async () => {
      const victimId = await seedUser(running.store.db, 'leaver@example.org', 'viewer', ['KZ']);
      const leaver = new Client(running.url);
      await leaver.login('leaver@example.org');
      const admin = new Client(running.url);
      await admin.login('admin@example.org');
      expect((await admin.request('PATCH', `/api/users/${victimId}`, { disabled: true })).status).toBe(200);
      expect((await leaver.get('/api/me')).status).toBe(401);
      expect((await new Client(running.url).login('leaver@example.org')).status).toBe(401);
    });

    it('refuses to leave ENA without an active administrator', async () => {
      const admin = new Client(running.url);
      const me = await admin.login('admin@example.org');
      const id = (me.body as { user: { id: number } }).user.id;
      const reply = await admin.request('PATCH', `/api/users/${id}`, { role: 'manager' });
      expect(reply.status).toBe(409);
      expect((await admin.get('/api/me')).body).toMatchObject({ user: { role: 'admin' } });
    });

    it('marks the cookie Secure with the __Host- prefix behind TLS', async () => {
      const server = await startTestServer({ engine, env: { ENA_SECURE_COOKIES: 'true' } });
      await seedUser(server.store.db, 'a@example.org', 'admin');
      const reply = await new Client(server.url).login('a@example.org');
      expect(reply.headers.get('set-cookie')).toMatch(/^__Host-ena_session=.*; Path=\/; .*HttpOnly; Secure; SameSite=Lax/);
      await server.close();
    });
  });

  describe('passwords', () => {
    it('hashes new passwords with scrypt at the OWASP parameters, salted', async () => {
      const admin = new Client(running.url);
      await admin.login('admin@example.org');
      expect((await admin.request('POST', '/api/users', { email: 'new@example.org', name: 'New', password: 'short', role: 'viewer' })).status).toBe(400);
      expect((await admin.request('POST', '/api/users', { email: 'new@example.org', name: 'New', password: PASSWORD, role: 'viewer', countries: ['KZ'] })).status).toBe(201);
      const row = await running.store.db.selectFrom('users').select('password_hash').where('email', '=', 'new@example.org').executeTakeFirstOrThrow();
      expect(row.password_hash).toMatch(new RegExp(`^scrypt\\$${OWASP_SCRYPT.N}\\$8\\$1\\$`));
      expect(row.password_hash).not.toContain(PASSWORD);
      expect(await hashPassword(PASSWORD, { N: 2 ** 10, r: 8, p: 1 })).not.toBe(await hashPassword(PASSWORD, { N: 2 ** 10, r: 8, p: 1 }));
      expect(await verifyPassword(PASSWORD, row.password_hash)).toBe(true);
      expect(await verifyPassword(`${PASSWORD}!`, row.password_hash)).toBe(false);
      expect((await new Client(running.url).login('new@example.org')).status).toBe(201);
    });
  });

  describe('request log', () => {
    it('records requests and users but never passwords, cookies or answer text', async () => {
      const { db } = running.store;
      const mission = await createMission(db, SYSTEM, { countryCode: 'KZ', title: 'Mission', startsOn: '2025-06-11', endsOn: '2025-06-13' });
      const assessment = await createAssessment(db, SYSTEM, { missionId: mission.id, questionnaireId: 'preservation-demo', questionnaireVersion: 1 });
      const client = new Client(running.url);
      await client.login('expert@example.org');
      const secretNote = 'the unit has no forensic licence';
      expect((await client.request('PUT', `/api/assessments/${assessment.id}/answers/documents-received`, { value: secretNote, note: secretNote, baseRevision: 0, opId: 'log-1' })).status).toBe(200);
      const log = logLines.join('');
      expect(log).toMatch(/"method":"PUT","url":"\/api\/assessments\/\d+\/answers\/documents-received"/);
      expect(log).toMatch(/"userId":\d+/);
      expect(log).toMatch(/"res":\{"statusCode":200\},"responseTime":\d+,"userId":\d+,"msg":"request completed"/);
      expect(log).not.toContain(secretNote);
      expect(log).not.toContain(PASSWORD);
      expect(log).not.toContain(client.cookie?.split('=')[1] ?? 'no-cookie');
      expect(log).not.toContain(client.csrfToken ?? 'no-token');
    });
  });

  describe('session expiry', () => {
    it('refuses an expired session and extends one in use, renewing the cookie', async () => {
      const client = new Client(running.url);
      await client.login('expert@example.org');
      const idHash = hashToken(client.cookie?.split('=')[1] ?? '');
      const { db } = running.store;
      // Less than half of the life left: the next request extends it.
      await db.updateTable('sessions').set({ expires_at: new Date(Date.now() + 3_600_000).toISOString() }).where('id_hash', '=', idHash).execute();
      const reply = await client.get('/api/me');
      expect(reply.status).toBe(200);
      expect(reply.headers.get('set-cookie')).toMatch(/ena_session=.*Max-Age=(4319\d|43200)\b/);
      const row = await db.selectFrom('sessions').select('expires_at').where('id_hash', '=', idHash).executeTakeFirstOrThrow();
      expect(Date.parse(row.expires_at) - Date.now()).toBeGreaterThan(11 * 3_600_000);
      await db.updateTable('sessions').set({ expires_at: new Date(Date.now() - 1000).toISOString() }).where('id_hash', '=', idHash).execute();
      expect((await client.get('/api/me')).status).toBe(401);
    });
  });
});
