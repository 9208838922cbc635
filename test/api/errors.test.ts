/** The one error shape for 400/401/403/404/413/429/500, CSRF refusals, and no stack trace to a client. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/storage/audit.js';
import { createCountry } from '../../src/storage/countries.js';
import { createMission } from '../../src/storage/missions.js';
import type { RunningServer } from '../../src/web/server.js';
import { Client, isErrorShape, seedUser, startTestServer } from './helpers.js';
import { ENGINES } from '../support/engines.js';

describe.each(ENGINES)('errors on %s', (engine) => {
  let running: RunningServer;
  let manager: Client;
  let missionId: number;

  beforeAll(async () => {
    running = await startTestServer({ engine });
    await createCountry(running.store.db, SYSTEM, { code: 'KZ', name: { en: 'Kazakhstan', ru: 'Казахстан' } });
    missionId = (await createMission(running.store.db, SYSTEM, { countryCode: 'KZ', title: 'Mission', startsOn: '2025-06-11', endsOn: '2025-06-13' })).id;
    await seedUser(running.store.db, 'manager@example.org', 'manager');
    manager = new Client(running.url);
    await manager.login('manager@example.org');
  });
  afterAll(async () => running?.close());

  const errorOf = (body: unknown) => (body as { error: { code: string; message: string; details: { path: string; message: string }[] } }).error;

  describe('error responses', () => {
    it('401 without a session', async () => {
      const reply = await new Client(running.url).get('/api/missions');
      expect(reply.status).toBe(401);
      expect(isErrorShape(reply.body)).toBe(true);
      expect(errorOf(reply.body).code).toBe('unauthenticated');
    });

    it('404 JSON for unknown routes and unknown or malformed ids', async () => {
      for (const path of ['/api/nothing', `/api/missions/999999`, '/api/missions/abc', '/api/countries/ZZ', '/nothing-here']) {
        const reply = await manager.get(path);
        expect(reply.status, path).toBe(404);
        expect(reply.headers.get('content-type'), path).toMatch(/application\/json/);
        expect(isErrorShape(reply.body), path).toBe(true);
      }
    });

    it('400 naming each bad field of a mission', async () => {
      const reply = await manager.request('POST', '/api/missions', { countryCode: 'kz', title: '', startsOn: '11.06.2025', endsOn: '2025-06-13' });
      expect(reply.status).toBe(400);
      expect(errorOf(reply.body).details.map((d) => d.path).sort()).toEqual(['countryCode', 'startsOn', 'title']);
      const backwards = await manager.request('PATCH', `/api/missions/${missionId}`, { endsOn: '2025-06-01' });
      expect(backwards.status).toBe(400);
      expect(errorOf(backwards.body).details).toEqual([{ path: 'endsOn', message: 'must be on or after startsOn' }]);
    });

    it('400 for a body that is not JSON', async () => {
      const reply = await manager.request('PATCH', `/api/missions/${missionId}`, undefined, { raw: '{"title": ' });
      expect(reply.status).toBe(400);
      expect(errorOf(reply.body).code).toBe('bad_request');
    });

    it('413 for a body over the limit, and nothing is stored', async () => {
      const reply = await manager.request('PATCH', `/api/missions/${missionId}`, { title: 'x'.repeat(300_000) });
      expect(reply.status).toBe(413);
      expect(errorOf(reply.body).code).toBe('payload_too_large');
      expect((await manager.get<{ mission: { title: string } }>(`/api/missions/${missionId}`)).body.mission.title).toBe('Mission');
    });

    it('409 on a duplicate', async () => {
      const reply = await manager.request('POST', '/api/countries', { code: 'KZ', name: { en: 'Kazakhstan', ru: 'Казахстан' } });
      expect(reply.status).toBe(409);
      expect(errorOf(reply.body).details).toEqual([{ path: 'code', message: 'already exists' }]);
    });
  });

  describe('CSRF protection', () => {
    it('refuses a state-changing request without the token, or with a wrong one', async () => {
      const missing = await manager.request('PATCH', `/api/missions/${missionId}`, { title: 'Changed' }, { csrf: false });
      expect(missing.status).toBe(403);
      expect(errorOf(missing.body).code).toBe('csrf_failed');
      const wrong = await manager.request('PATCH', `/api/missions/${missionId}`, { title: 'Changed' }, { headers: { 'x-csrf-token': 'guess' } });
      expect(wrong.status).toBe(403);
      expect((await manager.get<{ mission: { title: string } }>(`/api/missions/${missionId}`)).body.mission.title).toBe('Mission');
    });

    it('accepts the token as a _csrf form field', async () => {
      const form = new URLSearchParams({ title: 'Renamed by form', _csrf: manager.csrfToken ?? '' }).toString();
      const reply = await manager.request('PATCH', `/api/missions/${missionId}`, undefined, { csrf: false, raw: form, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      expect(reply.status).toBe(200);
      expect((reply.body as { mission: { title: string } }).mission.title).toBe('Renamed by form');
    });

    it('refuses requests the browser marks as cross-site, even with a token', async () => {
      const reply = await manager.request('PATCH', `/api/missions/${missionId}`, { title: 'x' }, { headers: { 'sec-fetch-site': 'cross-site' } });
      expect(reply.status).toBe(403);
      expect(errorOf(reply.body).code).toBe('csrf_failed');
    });

    it('binds the token to the session: another session\'s token is refused', async () => {
      const other = new Client(running.url);
      await other.login('manager@example.org');
      const reply = await manager.request('PATCH', `/api/missions/${missionId}`, { title: 'x' }, { headers: { 'x-csrf-token': other.csrfToken ?? '' } });
      expect(reply.status).toBe(403);
    });
  });

  describe('failures inside the server', () => {
    it('answer 500 with the error shape and no stack trace', async () => {
      const server = await startTestServer({ engine });
      await seedUser(server.store.db, 'admin@example.org', 'admin');
      const client = new Client(server.url);
      await client.login('admin@example.org');
      // Break the database under the running app: every query now throws.
      await server.store.db.schema.dropTable('user_countries').execute();
      const reply = await client.get('/api/me');
      expect(reply.status).toBe(500);
      expect(errorOf(reply.body)).toEqual({ code: 'internal', message: expect.stringMatching(/went wrong/), details: [] });
      expect(JSON.stringify(reply.body)).not.toMatch(/at .*\.ts|SqliteError|no such table|does not exist|relation/);
      await server.close();
    });
  });
});
