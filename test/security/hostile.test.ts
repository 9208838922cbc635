/**
 * 5,000+ seeded hostile requests over every route of the real app (real SQLite file, real HTTP):
 * no response ≥ 500, no stack or SQL text in any body, the server healthy afterwards, the database
 * intact and the audit chain unbroken. The seed is printed, so a failure can be replayed.
 */
import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM, verifyAuditChain } from '../../src/storage/audit.js';
import { createCountry } from '../../src/storage/countries.js';
import { createSession } from '../../src/storage/sessions.js';
import type { RunningServer } from '../../src/web/server.js';
import { loadQuestionnaires } from '../../src/questionnaire/load.js';
import { Client, FIXTURES, seedUser, startTestServer } from '../api/helpers.js';
import { send, type RawReply, type RawRequest } from './http.js';
import { hostileRequest, LEAK_PATTERNS, listRoutes, seededRandom, type FuzzContext, type Identity } from './hostileRequests.js';
import { sqliteOf } from '../support/engines.js';

const REQUESTS = 5_200;
const CONCURRENCY = 6;
const SEED = Number(process.env.ENA_FUZZ_SEED ?? 20261128);

let running: RunningServer;
let context: FuzzContext & { adminId: number; assessmentId: number };

beforeAll(async () => {
  running = await startTestServer();
  const { db } = running.store;
  await createCountry(db, SYSTEM, { code: 'KZ', name: { en: 'Kazakhstan', ru: 'Казахстан' } });
  await createCountry(db, SYSTEM, { code: 'KG', name: { en: 'Kyrgyzstan', ru: 'Кыргызстан' } });
  const users = {
    admin: await seedUser(db, 'admin@example.org', 'admin'),
    manager: await seedUser(db, 'manager@example.org', 'manager'),
    expert: await seedUser(db, 'expert@example.org', 'expert', ['KZ']),
    viewer: await seedUser(db, 'viewer@example.org', 'viewer', ['KG']),
  };
  const manager = new Client(running.url);
  expect((await manager.login('manager@example.org')).status).toBe(201);
  const mission = await manager.request<{ mission: { id: number }; assessments: { id: number }[] }>('POST', '/api/missions', { countryCode: 'KZ', title: 'Fuzz', startsOn: '2025-06-11', endsOn: '2025-06-13' });
  expect(mission.status).toBe(201);
  const assessmentId = mission.body.assessments[0]?.id ?? 1;
  const saved = await manager.request('PUT', `/api/assessments/${assessmentId}/answers/preservation-power`, { value: 2, baseRevision: 0, opId: 'seed-1' });
  expect(saved.status).toBe(200);
  // Several sessions per role: a fuzzed sign-out ends one, the others keep the run covering signed-in paths.
  const identities: Identity[] = [{ name: 'anonymous' }, { name: 'bogus', cookie: 'ena_session=not-a-session' }];
  for (const [role, id] of Object.entries(users)) {
    for (let i = 0; i < 4; i++) {
      const session = await createSession(db, id);
      identities.push({ name: role, cookie: `ena_session=${session.token}`, csrfToken: session.csrfToken });
    }
  }
  const questionIds = (await loadQuestionnaires([FIXTURES])).questionnaires.flatMap((q) => [...q.questionsById.keys()]).slice(0, 20);
  context = { adminId: users.admin, assessmentId, identities, realIds: ['1', '2', String(mission.body.mission.id), String(assessmentId)], realCodes: ['KZ', 'KG'], questionIds: [...questionIds, 's1'] };
}, 60_000);
afterAll(async () => running?.close());

describe('hostile input', () => {
  it(`answers ${REQUESTS} hostile requests over every route without a server error or a leak (seed ${SEED})`, async () => {
    const app = running.server.listeners('request')[0] as Express;
    const routes = listRoutes(app);
    // The route list really is read from the app: the API, the pages and the health check are all there.
    expect(routes.length).toBeGreaterThan(40);
    for (const expected of ['PUT /api/assessments/:id/answers/:questionId', 'POST /api/bundles', 'POST /login', 'POST /missions', 'GET /healthz']) {
      expect(routes.map((r) => `${r.method} ${r.path}`)).toContain(expected);
    }
    const random = seededRandom(SEED);
    const requests: RawRequest[] = Array.from({ length: REQUESTS }, () => hostileRequest(random, routes, context));
    const failures: { request: RawRequest; reply: RawReply; why: string }[] = [];
    const statuses = new Map<number, number>();
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < requests.length) {
        const request = requests[next++] as RawRequest;
        const reply = await send(running.url, request);
        statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
        if (reply.status >= 500) failures.push({ request, reply, why: `status ${reply.status}` });
        const leak = LEAK_PATTERNS.find((pattern) => pattern.test(reply.text));
        if (leak) failures.push({ request, reply, why: `body matches ${String(leak)}` });
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const seconds = (performance.now() - started) / 1000;
    console.log(`hostile input: ${REQUESTS} requests over ${routes.length} routes in ${seconds.toFixed(1)} s; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}`);
    const shown = failures.slice(0, 5).map((f) => `${f.why}: ${f.request.method} ${f.request.path.slice(0, 120)} ${JSON.stringify(f.request.headers)} body=${String(f.request.body ?? '').slice(0, 120)} → ${f.reply.text.slice(0, 300)}`);
    expect(shown, `${failures.length} failing request(s)`).toEqual([]);

    // Healthy afterwards: the health check, a signed-in read and a save still work. (Signing in from
    // this address is rate-limited now: the run made many failed sign-ins, as it should.)
    const health = await send(running.url, { method: 'GET', path: '/healthz' });
    expect(health.status).toBe(200);
    const session = await createSession(running.store.db, context.adminId);
    const admin = new Client(running.url);
    admin.cookie = `ena_session=${session.token}`;
    admin.csrfToken = session.csrfToken;
    expect((await admin.get('/api/missions')).status).toBe(200);
    const saved = await admin.request('PUT', `/api/assessments/${context.assessmentId}/answers/preservation-days`, { value: 3, baseRevision: 0, opId: 'after-fuzz' });
    expect([200, 409]).toContain(saved.status);
    expect(sqliteOf(running.store).pragma('integrity_check', { simple: true })).toBe('ok');
    expect(sqliteOf(running.store).pragma('foreign_key_check')).toEqual([]);
    expect((await verifyAuditChain(running.store.db)).ok).toBe(true);
  }, 180_000);
});
