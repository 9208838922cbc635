/**
 * Malformed requests (issue 14 rows 2, 3, 4): a malformed %-encoding, a body in the wrong charset or
 * encoding, too many form fields, and page forms posted as text/plain or empty each get a clear 4xx
 * (JSON on the API, a page in the reader's language on page routes), stay signed in, and change nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/storage/audit.js';
import { createCountry } from '../../src/storage/countries.js';
import type { RunningServer } from '../../src/web/server.js';
import { Client, seedUser, startTestServer } from '../api/helpers.js';
import { send, type RawRequest } from './http.js';

let running: RunningServer;
let admin: Client;
let headers: Record<string, string>;
let missionId: number;

beforeAll(async () => {
  running = await startTestServer();
  await createCountry(running.store.db, SYSTEM, { code: 'KZ', name: { en: 'Kazakhstan', ru: 'Казахстан' } });
  await seedUser(running.store.db, 'admin@example.org', 'admin');
  admin = new Client(running.url);
  await admin.login('admin@example.org');
  headers = { cookie: admin.cookie ?? '', 'x-csrf-token': admin.csrfToken ?? '' };
  missionId = (await admin.request<{ mission: { id: number } }>('POST', '/api/missions', { countryCode: 'KZ', title: 'Mission', startsOn: '2025-06-11', endsOn: '2025-06-13' })).body.mission.id;
});
afterAll(async () => running?.close());

const tables = async (): Promise<unknown[]> => Promise.all(['missions', 'users', 'countries', 'audit_log', 'sessions'].map((table) => running.store.db.selectFrom(table as 'missions').selectAll().execute()));
const page = { accept: 'text/html' };
const form = 'application/x-www-form-urlencoded';

describe('malformed requests get a clear 4xx and change nothing', () => {
  const cases: { row: number; what: string; request: () => RawRequest; status: number; code?: string; text?: RegExp }[] = [
    { row: 2, what: 'malformed %-encoding in an API path', request: () => ({ method: 'GET', path: '/api/missions/%ff%fe', headers }), status: 400, code: 'bad_request', text: /malformed %-encoding/ },
    { row: 2, what: 'malformed %-encoding in a page path', request: () => ({ method: 'GET', path: '/missions/%ff%fe', headers: { ...headers, ...page } }), status: 400, text: /Sign out|Выйти/ },
    { row: 3, what: 'JSON in latin1', request: () => ({ method: 'POST', path: '/api/missions', headers: { ...headers, 'content-type': 'application/json; charset=latin1' }, body: '{}' }), status: 415, code: 'unsupported_media_type', text: /UTF-8/ },
    { row: 3, what: 'Content-Encoding: bogus', request: () => ({ method: 'POST', path: '/api/missions', headers: { ...headers, 'content-type': 'application/json', 'content-encoding': 'bogus' }, body: '{}' }), status: 415, code: 'unsupported_media_type', text: /Content-Encoding/ },
    { row: 3, what: 'a fake gzip body', request: () => ({ method: 'POST', path: '/api/missions', headers: { ...headers, 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: 'not gzip at all' }), status: 400, code: 'bad_request' },
    { row: 3, what: 'a form with 1,500 fields', request: () => ({ method: 'POST', path: '/missions', headers: { ...headers, 'content-type': form }, body: Array.from({ length: 1_500 }, (_, i) => `f${i}=1`).join('&') }), status: 413, code: 'payload_too_large', text: /too many fields/ },
    { row: 3, what: 'JSON nested 10,000 deep', request: () => ({ method: 'POST', path: '/api/missions', headers: { ...headers, 'content-type': 'application/json' }, body: '['.repeat(10_000) + ']'.repeat(10_000) }), status: 400, code: 'bad_request', text: /nested too deeply/ },
    { row: 4, what: 'POST /missions as text/plain', request: () => ({ method: 'POST', path: '/missions', headers: { ...headers, ...page, 'content-type': 'text/plain' }, body: 'title=x' }), status: 415 },
    { row: 4, what: 'POST /missions with no body', request: () => ({ method: 'POST', path: '/missions', headers: { ...headers, ...page } }), status: 400 },
    { row: 4, what: 'POST /admin/users with no body', request: () => ({ method: 'POST', path: '/admin/users', headers: { ...headers, ...page } }), status: 400 },
    { row: 4, what: 'POST /admin/countries as text/plain', request: () => ({ method: 'POST', path: '/admin/countries', headers: { ...headers, 'content-type': 'text/plain' }, body: 'code=KG' }), status: 415, code: 'unsupported_media_type' },
    { row: 4, what: 'POST /missions/:id with no body', request: () => ({ method: 'POST', path: `/missions/${missionId}`, headers: { ...headers, ...page } }), status: 400 },
  ];
  for (const c of cases) {
    it(`row ${c.row}: ${c.what} → ${c.status}`, async () => {
      const before = await tables();
      const reply = await send(running.url, c.request());
      expect(reply.status, reply.text.slice(0, 300)).toBe(c.status);
      if (c.code) expect(JSON.parse(reply.text)).toMatchObject({ error: { code: c.code } });
      if (c.text) expect(reply.text).toMatch(c.text);
      expect(reply.text).not.toMatch(/\n\s+at |TypeError|URIError/);
      expect(await tables()).toEqual(before);
      // Still signed in: the same session answers the next request.
      expect((await admin.get('/api/me')).status).toBe(200);
    });
  }
});
