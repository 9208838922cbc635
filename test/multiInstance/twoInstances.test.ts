/**
 * Two ENA processes (`ena serve`) on one PostgreSQL database, as behind a load balancer: a session made
 * on one instance works on the other, a stale save through B after a save through A gets 409, racing
 * saves through both never lose or duplicate a revision and keep the audit chain intact, and the
 * sign-in rate limit is one budget for both instances.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAssessment } from '../../src/storage/assessments.js';
import { SYSTEM, verifyAuditChain } from '../../src/storage/audit.js';
import { createCountry } from '../../src/storage/countries.js';
import { createMission } from '../../src/storage/missions.js';
import { Client, FIXTURES, seedUser, withStore } from '../api/helpers.js';
import { testLocation } from '../support/engines.js';
import { spawnServer, stopServer, type ServerProcess } from '../support/serverProcess.js';

let database: string;
let a: ServerProcess;
let b: ServerProcess;
let assessmentId: number;

beforeAll(async () => {
  database = await testLocation('postgres');
  assessmentId = await withStore(database, async (store) => {
    await createCountry(store.db, SYSTEM, { code: 'KZ', name: { en: 'Kazakhstan', ru: 'Казахстан' } });
    await seedUser(store.db, 'expert@example.org', 'expert', ['KZ']);
    await seedUser(store.db, 'colleague@example.org', 'expert', ['KZ']);
    const mission = await createMission(store.db, SYSTEM, { countryCode: 'KZ', title: 'Mission', startsOn: '2025-06-11', endsOn: '2025-06-13' });
    return (await createAssessment(store.db, SYSTEM, { missionId: mission.id, questionnaireId: 'preservation-demo', questionnaireVersion: 1 })).id;
  });
  // Both start at once on the same database: migrations and questionnaire snapshots run once.
  [a, b] = await Promise.all([spawnServer(database, { ENA_QUESTIONNAIRES: FIXTURES }), spawnServer(database, { ENA_QUESTIONNAIRES: FIXTURES })]);
});

afterAll(async () => {
  await Promise.all([stopServer(a, 'SIGKILL'), stopServer(b, 'SIGKILL')]);
});

/** The same signed-in browser talking to another instance (the load balancer moved it). */
function onInstance(client: Client, server: ServerProcess): Client {
  const moved = new Client(server.url);
  moved.cookie = client.cookie;
  moved.csrfToken = client.csrfToken;
  return moved;
}

const answerPath = (questionId: string) => `/api/assessments/${assessmentId}/answers/${questionId}`;

describe('two ENA instances on one PostgreSQL database', () => {
  it('accepts a session made on A on B, and a sign-out on B ends it on A', async () => {
    const onA = new Client(a.url);
    expect((await onA.login('expert@example.org')).status).toBe(201);
    const onB = onInstance(onA, b);
    expect((await onB.get<{ user: { email: string } }>('/api/me')).body).toMatchObject({ user: { email: 'expert@example.org' } });
    expect((await onB.request('PUT', answerPath('documents-received'), { value: 'saved through B', baseRevision: 0, opId: 'session-b-1' })).status).toBe(200);
    expect((await onB.request('DELETE', '/api/session')).status).toBe(204);
    expect((await onA.get('/api/me')).status).toBe(401);
  });

  it('refuses a stale save through B after a save through A with 409 and the current answer', async () => {
    const expert = new Client(a.url);
    await expert.login('expert@example.org');
    const colleague = new Client(b.url);
    await colleague.login('colleague@example.org');
    expect((await expert.request('PUT', answerPath('preservation-power'), { value: 2, baseRevision: 0, opId: 'stale-a-1' })).body).toMatchObject({ revision: 1 });
    const stale = await colleague.request<{ error: { code: string; current?: unknown } }>('PUT', answerPath('preservation-power'), { value: 0, baseRevision: 0, opId: 'stale-b-1' });
    expect(stale.status).toBe(409);
    expect(JSON.stringify(stale.body)).toMatch(/"revision":1/);
    // The retry of A's save through B is recognised as the same operation, not applied twice.
    const retried = await onInstance(expert, b).request('PUT', answerPath('preservation-power'), { value: 2, baseRevision: 0, opId: 'stale-a-1' });
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ revision: 1 });
  });

  it('lets exactly one of two racing saves win each revision, through both instances, with the audit chain intact', async () => {
    const expert = new Client(a.url);
    await expert.login('expert@example.org');
    const clients = [expert, onInstance(expert, b)];
    const outcomes: number[] = [];
    for (let revision = 0; revision < 25; revision++) {
      // Both instances receive a save on top of the same revision at the same moment.
      const replies = await Promise.all(clients.map((client, i) => client.request('PUT', answerPath('preservation-days'), { value: revision * 10 + i, baseRevision: revision, opId: `race-${revision}-${i}` })));
      const statuses = replies.map((r) => r.status).sort();
      expect(statuses).toEqual([200, 409]);
      outcomes.push(...statuses);
    }
    await withStore(database, async (store) => {
      const history = await store.db.selectFrom('answer_history').select('revision').where('assessment_id', '=', assessmentId).where('question_id', '=', 'preservation-days').orderBy('revision').execute();
      expect(history.map((h) => h.revision)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
      expect(await verifyAuditChain(store.db)).toMatchObject({ ok: true });
    });
  });

  it('counts failed sign-ins on both instances against one budget', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await new Client((i % 2 === 0 ? a : b).url).login('colleague@example.org', `wrong ${i}`)).status);
    expect(statuses).toEqual(Array(10).fill(401));
    // The eleventh, on either instance, is refused: neither grants a budget of its own.
    expect((await new Client(a.url).login('colleague@example.org', 'wrong again')).status).toBe(429);
    expect((await new Client(b.url).login('colleague@example.org', 'wrong again')).status).toBe(429);
  });
});
