/**
 * Every role × every route, over real HTTP against the real app and a real SQLite file. The expert and
 * the viewer are assigned to KZ only: KG data must be refused to them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAssessment } from '../../src/storage/assessments.js';
import { SYSTEM } from '../../src/storage/audit.js';
import { createCountry } from '../../src/storage/countries.js';
import { createMission } from '../../src/storage/missions.js';
import type { RunningServer } from '../../src/web/server.js';
import { Client, isErrorShape, seedUser, startTestServer } from './helpers.js';
import { ENGINES } from '../support/engines.js';

type RoleName = 'anonymous' | 'admin' | 'manager' | 'expert' | 'viewer';
const ROLES: RoleName[] = ['anonymous', 'admin', 'manager', 'expert', 'viewer'];

interface Ids {
  kzMission: number;
  kgMission: number;
  kzAssessment: number;
  kgAssessment: number;
  emptyMission: Record<RoleName, number>;
  someUser: number;
}

interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: (ids: Ids) => string;
  body?: (role: RoleName, client: Client, ids: Ids) => Promise<unknown> | unknown;
  /** Expected status for anonymous, admin, manager, expert (KZ), viewer (KZ). */
  expect: [number, number, number, number, number];
}

const Q = 'preservation-demo';
const currentRevision = async (client: Client, assessmentId: number): Promise<number> => {
  const view = await client.get<{ answers: { questionId: string; revision: number }[] }>(`/api/assessments/${assessmentId}`);
  return view.body.answers?.find((a) => a.questionId === 'preservation-power')?.revision ?? 0;
};
describe.each(ENGINES)('permissions on %s', (engine) => {
  let opCounter = 0;

  const routes: Route[] = [
    { method: 'GET', path: () => '/api/me', expect: [401, 200, 200, 200, 200] },
    { method: 'GET', path: () => '/api/countries', expect: [401, 200, 200, 200, 200] },
    { method: 'POST', path: () => '/api/countries', body: (role) => ({ code: { admin: 'AA', manager: 'BB', expert: 'CC', viewer: 'DD', anonymous: 'EE' }[role], name: { en: 'Test', ru: 'Тест' } }), expect: [401, 201, 201, 403, 403] },
    { method: 'GET', path: () => '/api/countries/KZ', expect: [401, 200, 200, 200, 200] },
    { method: 'GET', path: () => '/api/countries/KG', expect: [401, 200, 200, 403, 403] },
    { method: 'PATCH', path: () => '/api/countries/KZ', body: () => ({ name: { en: 'Kazakhstan' } }), expect: [401, 200, 200, 403, 403] },
    { method: 'GET', path: () => '/api/countries/KZ/score', expect: [401, 200, 200, 200, 200] },
    { method: 'GET', path: () => '/api/countries/KG/score', expect: [401, 200, 200, 403, 403] },
    { method: 'GET', path: () => '/api/countries/KZ/targets', expect: [401, 200, 200, 200, 200] },
    { method: 'GET', path: () => '/api/countries/KG/targets', expect: [401, 200, 200, 403, 403] },
    { method: 'PUT', path: () => `/api/countries/KZ/targets/${Q}/preservation-power`, body: () => ({ target: 4 }), expect: [401, 200, 200, 403, 403] },
    { method: 'DELETE', path: () => `/api/countries/KZ/targets/${Q}/preservation-power`, expect: [401, 204, 204, 403, 403] },
    { method: 'GET', path: () => '/api/missions', expect: [401, 200, 200, 200, 200] },
    { method: 'POST', path: () => '/api/missions', body: () => ({ countryCode: 'KZ', title: 'Follow-up', startsOn: '2025-09-01', endsOn: '2025-09-03' }), expect: [401, 201, 201, 403, 403] },
    { method: 'GET', path: (ids) => `/api/missions/${ids.kzMission}`, expect: [401, 200, 200, 200, 200] },
    { method: 'GET', path: (ids) => `/api/missions/${ids.kgMission}`, expect: [401, 200, 200, 403, 403] },
    { method: 'PATCH', path: (ids) => `/api/missions/${ids.kzMission}`, body: () => ({ status: 'in_progress' }), expect: [401, 200, 200, 403, 403] },
    { method: 'GET', path: () => '/api/assessments', expect: [401, 200, 200, 200, 200] },
    { method: 'POST', path: () => '/api/assessments', body: (role, _c, ids) => ({ missionId: ids.emptyMission[role], questionnaireId: Q }), expect: [401, 201, 201, 403, 403] },
    { method: 'GET', path: (ids) => `/api/assessments/${ids.kzAssessment}`, expect: [401, 200, 200, 200, 200] },
    { method: 'GET', path: (ids) => `/api/assessments/${ids.kgAssessment}`, expect: [401, 200, 200, 403, 403] },
    { method: 'GET', path: (ids) => `/api/assessments/${ids.kzAssessment}/score`, expect: [401, 200, 200, 200, 200] },
    { method: 'GET', path: (ids) => `/api/assessments/${ids.kgAssessment}/score`, expect: [401, 200, 200, 403, 403] },
    {
      method: 'PUT', path: (ids) => `/api/assessments/${ids.kzAssessment}/answers/preservation-power`,
      body: async (_role, client, ids) => ({ value: 2, baseRevision: await currentRevision(client, ids.kzAssessment), opId: `perm-${++opCounter}` }),
      expect: [401, 200, 200, 200, 403],
    },
    {
      method: 'PUT', path: (ids) => `/api/assessments/${ids.kgAssessment}/answers/preservation-power`,
      body: async (_role, client, ids) => ({ value: 1, baseRevision: await currentRevision(client, ids.kgAssessment), opId: `perm-${++opCounter}` }),
      expect: [401, 200, 200, 403, 403],
    },
    { method: 'GET', path: (ids) => `/api/assessments/${ids.kzAssessment}/answers/preservation-power/history`, expect: [401, 200, 200, 200, 200] },
    { method: 'GET', path: (ids) => `/api/assessments/${ids.kgAssessment}/answers/preservation-power/history`, expect: [401, 200, 200, 403, 403] },
    { method: 'POST', path: (ids) => `/api/assessments/${ids.kzAssessment}/upgrade`, expect: [401, 200, 200, 403, 403] },
    { method: 'GET', path: (ids) => `/api/assessments/${ids.kzAssessment}/reviews`, expect: [401, 200, 200, 200, 200] },
    { method: 'PUT', path: (ids) => `/api/assessments/${ids.kzAssessment}/reviews/powers`, body: () => ({ state: 'in_review' }), expect: [401, 200, 200, 200, 403] },
    { method: 'PUT', path: (ids) => `/api/assessments/${ids.kgAssessment}/reviews/powers`, body: () => ({ state: 'in_review' }), expect: [401, 200, 200, 403, 403] },
    { method: 'POST', path: (ids) => `/api/assessments/${ids.kzAssessment}/reviews/powers/comments`, body: () => ({ body: 'Check art. 16.' }), expect: [401, 201, 201, 201, 403] },
    { method: 'GET', path: () => '/api/users', expect: [401, 200, 403, 403, 403] },
    { method: 'POST', path: () => '/api/users', body: (role) => ({ email: `new-${role}@example.org`, name: 'New', password: 'a long enough passphrase', role: 'viewer', countries: ['KZ'] }), expect: [401, 201, 403, 403, 403] },
    { method: 'GET', path: (ids) => `/api/users/${ids.someUser}`, expect: [401, 200, 403, 403, 403] },
    { method: 'PATCH', path: (ids) => `/api/users/${ids.someUser}`, body: () => ({ countries: ['KZ', 'KG'] }), expect: [401, 200, 403, 403, 403] },
    { method: 'GET', path: () => '/api/audit', expect: [401, 200, 403, 403, 403] },
    { method: 'GET', path: () => '/api/audit/verify', expect: [401, 200, 403, 403, 403] },
    // Last: signing out ends the session used by the routes above.
    { method: 'DELETE', path: () => '/api/session', expect: [401, 204, 204, 204, 204] },
  ];

  let running: RunningServer;
  let ids: Ids;
  const clients = {} as Record<RoleName, Client>;

  beforeAll(async () => {
    running = await startTestServer({ engine });
    const { db } = running.store;
    await createCountry(db, SYSTEM, { code: 'KZ', name: { en: 'Kazakhstan', ru: 'Казахстан' } });
    await createCountry(db, SYSTEM, { code: 'KG', name: { en: 'Kyrgyzstan', ru: 'Кыргызстан' } });
    const mission = (code: string) => createMission(db, SYSTEM, { countryCode: code, title: `Mission ${code}`, startsOn: '2025-06-11', endsOn: '2025-06-13' });
    const kz = await mission('KZ');
    const kg = await mission('KG');
    const emptyMission = {} as Record<RoleName, number>;
    for (const role of ROLES) emptyMission[role] = (await mission('KZ')).id;
    ids = {
      kzMission: kz.id,
      kgMission: kg.id,
      kzAssessment: (await createAssessment(db, SYSTEM, { missionId: kz.id, questionnaireId: Q, questionnaireVersion: 1 })).id,
      kgAssessment: (await createAssessment(db, SYSTEM, { missionId: kg.id, questionnaireId: Q, questionnaireVersion: 1 })).id,
      emptyMission,
      someUser: await seedUser(db, 'someone@example.org', 'viewer', ['KZ']),
    };
    await seedUser(db, 'admin@example.org', 'admin');
    await seedUser(db, 'manager@example.org', 'manager');
    await seedUser(db, 'expert@example.org', 'expert', ['KZ']);
    await seedUser(db, 'viewer@example.org', 'viewer', ['KZ']);
    for (const role of ROLES) {
      clients[role] = new Client(running.url);
      if (role !== 'anonymous') expect((await clients[role].login(`${role}@example.org`)).status).toBe(201);
    }
  });
  afterAll(async () => running?.close());

  describe('every role on every route', () => {
    for (const [index, role] of ROLES.entries()) {
      it(`${role}: allowed where its role and countries allow, refused elsewhere`, async () => {
        const outcomes: string[] = [];
        const expected: string[] = [];
        for (const route of routes) {
          const client = clients[role];
          const path = route.path(ids);
          const body = route.body ? await route.body(role, client, ids) : undefined;
          const reply = await client.request(route.method, path, body);
          outcomes.push(`${route.method} ${path} → ${reply.status}`);
          expected.push(`${route.method} ${path} → ${route.expect[index]}`);
          if (reply.status >= 400) expect(isErrorShape(reply.body), `${route.method} ${path} error shape`).toBe(true);
          if (reply.status === 403) expect((reply.body as { error: { code: string } }).error.code).toBe('forbidden');
          if (reply.status === 401) expect((reply.body as { error: { code: string } }).error.code).toBe('unauthenticated');
        }
        expect(outcomes).toEqual(expected);
      });
    }

    it('lists only the assigned countries, missions and assessments to experts and viewers', async () => {
      for (const role of ['expert', 'viewer'] as const) {
        const client = new Client(running.url);
        await client.login(`${role}@example.org`);
        expect((await client.get<{ countries: { code: string }[] }>('/api/countries')).body.countries.map((c) => c.code)).toEqual(['KZ']);
        expect(new Set((await client.get<{ missions: { countryCode: string }[] }>('/api/missions')).body.missions.map((m) => m.countryCode))).toEqual(new Set(['KZ']));
        expect(new Set((await client.get<{ assessments: { countryCode: string }[] }>('/api/assessments')).body.assessments.map((a) => a.countryCode))).toEqual(new Set(['KZ']));
      }
    });
  });
});
