/**
 * The exchange routes over real HTTP against the real app and real SQLite files: who may call what,
 * downloads that open, and a mission that travels from one server to another and back.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAssessment } from '../../src/storage/assessments.js';
import { saveAnswer } from '../../src/storage/answers.js';
import { SYSTEM } from '../../src/storage/audit.js';
import { createCountry } from '../../src/storage/countries.js';
import { createMission } from '../../src/storage/missions.js';
import type { RunningServer } from '../../src/web/server.js';
import { Client, isErrorShape, seedUser, startTestServer } from '../api/helpers.js';
import { dump, missionRows } from './helpers.js';
import { ENGINES } from '../support/engines.js';

type RoleName = 'anonymous' | 'admin' | 'manager' | 'expert' | 'viewer';
const ROLES: RoleName[] = ['anonymous', 'admin', 'manager', 'expert', 'viewer'];
const Q = 'preservation-demo';

async function seedServer(server: RunningServer) {
  const { db } = server.store;
  await createCountry(db, SYSTEM, { code: 'KZ', name: { en: 'Kazakhstan', ru: 'Казахстан' } });
  await createCountry(db, SYSTEM, { code: 'KG', name: { en: 'Kyrgyzstan', ru: 'Кыргызстан' } });
  const kz = await createMission(db, SYSTEM, { countryCode: 'KZ', title: 'Миссия в Казахстан', startsOn: '2025-06-11', endsOn: '2025-06-13' });
  const kg = await createMission(db, SYSTEM, { countryCode: 'KG', title: 'Mission KG', startsOn: '2025-07-01', endsOn: '2025-07-03' });
  const kzAssessment = (await createAssessment(db, SYSTEM, { missionId: kz.id, questionnaireId: Q, questionnaireVersion: 1 })).id;
  await createAssessment(db, SYSTEM, { missionId: kg.id, questionnaireId: Q, questionnaireVersion: 1 });
  for (const role of ['admin', 'manager'] as const) await seedUser(db, `${role}@example.org`, role);
  await seedUser(db, 'expert@example.org', 'expert', ['KZ']);
  await seedUser(db, 'viewer@example.org', 'viewer', ['KZ']);
  const expert = await db.selectFrom('users').select('id').where('email', '=', 'expert@example.org').executeTakeFirstOrThrow();
  await saveAnswer(db, expert, { assessmentId: kzAssessment, questionId: 'preservation-power', value: 2, note: 'Ст. 16 УПК', evidence: 'documented', baseRevision: 0 });
  await saveAnswer(db, expert, { assessmentId: kzAssessment, questionId: 'documents-received', value: 'Приказ № 45', baseRevision: 0 });
  return { kz: kz.id, kg: kg.id, kzAssessment };
}

async function clientsFor(server: RunningServer): Promise<Record<RoleName, Client>> {
  const clients = {} as Record<RoleName, Client>;
  for (const role of ROLES) {
    clients[role] = new Client(server.url);
    if (role !== 'anonymous') expect((await clients[role].login(`${role}@example.org`)).status).toBe(201);
  }
  return clients;
}

/** Raw bytes out and in, with the client's session cookie and CSRF token. */
async function download(client: Client, path: string): Promise<{ status: number; body: Buffer; headers: Headers }> {
  const response = await fetch(client.baseUrl + path, { headers: client.cookie ? { cookie: client.cookie } : {} });
  return { status: response.status, body: Buffer.from(await response.arrayBuffer()), headers: response.headers };
}

async function upload(client: Client, body: Buffer, options: { csrf?: boolean } = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const headers: Record<string, string> = { 'content-type': 'application/octet-stream' };
  if (client.cookie) headers.cookie = client.cookie;
  if (options.csrf !== false && client.csrfToken) headers['x-csrf-token'] = client.csrfToken;
  const response = await fetch(`${client.baseUrl}/api/bundles`, { method: 'POST', headers, body: new Uint8Array(body) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe.each(ENGINES)('exchange over HTTP on %s', (engine) => {
  let home: RunningServer;
  let away: RunningServer;
  let ids: Awaited<ReturnType<typeof seedServer>>;
  let clients: Record<RoleName, Client>;
  let awayClients: Record<RoleName, Client>;

  beforeAll(async () => {
    home = await startTestServer({ engine });
    ids = await seedServer(home);
    clients = await clientsFor(home);
    away = await startTestServer({ engine });
    await createCountry(away.store.db, SYSTEM, { code: 'KZ', name: { en: 'Kazakhstan', ru: 'Казахстан' } });
    for (const role of ['admin', 'manager'] as const) await seedUser(away.store.db, `${role}@example.org`, role);
    await seedUser(away.store.db, 'expert@example.org', 'expert', ['KZ']);
    await seedUser(away.store.db, 'viewer@example.org', 'viewer', ['KZ']);
    awayClients = await clientsFor(away);
  });
  afterAll(async () => {
    await home?.close();
    await away?.close();
  });

  describe('who may export and import', () => {
    it('lets managers and admins export and import, and refuses everyone else with the one error shape', async () => {
      const routes: [string, (i: typeof ids) => string, [number, number, number, number, number]][] = [
        ['GET', () => '/api/exports/all?format=json', [401, 200, 200, 403, 403]],
        ['GET', () => '/api/exports/countries/KZ?format=csv', [401, 200, 200, 403, 403]],
        ['GET', () => '/api/exports/countries/KG?format=csv', [401, 200, 200, 403, 403]],
        ['GET', (i) => `/api/exports/missions/${i.kz}`, [401, 200, 200, 403, 403]],
        ['GET', (i) => `/api/missions/${i.kz}/bundle`, [401, 200, 200, 403, 403]],
        ['GET', (i) => `/api/missions/${i.kz}/conflicts`, [401, 200, 200, 200, 200]],
        ['GET', (i) => `/api/missions/${i.kg}/conflicts`, [401, 200, 200, 403, 403]],
      ];
      for (const [index, role] of ROLES.entries()) {
        for (const [method, path, expected] of routes) {
          const reply = await download(clients[role], path(ids));
          expect(`${role} ${method} ${path(ids)} → ${reply.status}`).toBe(`${role} ${method} ${path(ids)} → ${expected[index]}`);
          if (reply.status >= 400) expect(isErrorShape(JSON.parse(reply.body.toString('utf8')))).toBe(true);
        }
        const bundle = (await download(clients.manager, `/api/missions/${ids.kz}/bundle`)).body;
        const imported = await upload(clients[role], bundle);
        expect(`${role} POST /api/bundles → ${imported.status}`).toBe(`${role} POST /api/bundles → ${[401, 200, 200, 403, 403][index]}`);
      }
    });

    it('refuses an import without the CSRF token, and unknown countries, missions and query options clearly', async () => {
      const bundle = (await download(clients.manager, `/api/missions/${ids.kz}/bundle`)).body;
      const refused = await upload(clients.manager, bundle, { csrf: false });
      expect(refused.status).toBe(403);
      expect(refused.body).toMatchObject({ error: { code: 'csrf_failed' } });
      expect((await clients.manager.get('/api/exports/countries/ZZ')).status).toBe(404);
      expect((await clients.manager.get('/api/exports/countries/kz1')).status).toBe(404);
      expect((await clients.manager.get('/api/exports/missions/9999')).status).toBe(404);
      const bad = await clients.manager.get<{ error: { details: { path: string }[] } }>('/api/exports/all?format=pdf');
      expect(bad.status).toBe(400);
      expect(bad.body.error.details[0]?.path).toBe('format');
    });
  });

  describe('downloads', () => {
    it('serves an XLSX that opens, with the questionnaire sheets and Cyrillic answers', async () => {
      const reply = await download(clients.manager, `/api/exports/countries/KZ?format=xlsx&lang=ru`);
      expect(reply.status).toBe(200);
      expect(reply.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      expect(reply.headers.get('content-disposition')).toMatch(/^attachment; filename="ena-KZ-\d{4}-\d{2}-\d{2}\.xlsx"$/);
      expect(reply.headers.get('cache-control')).toBe('no-store');
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(reply.body as unknown as ArrayBuffer);
      expect(workbook.worksheets.map((w) => w.name)).toEqual(['Сводка', Q]);
      const sheet = workbook.getWorksheet(Q) as ExcelJS.Worksheet;
      expect(sheet.getCell('AD3').value).toBe('Ст. 16 УПК');
    });

    it('serves CSV with a BOM', async () => {
      const reply = await download(clients.admin, '/api/exports/all?format=csv&separator=;');
      expect(reply.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect([...reply.body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      expect(reply.body.toString('utf8')).toContain('"Казахстан";');
    });
  });

  describe('a mission travels between servers over HTTP', () => {
    it('arrives whole, merges back, and a damaged upload changes nothing', async () => {
      const bundle = await download(clients.manager, `/api/missions/${ids.kz}/bundle`);
      expect(bundle.headers.get('content-disposition')).toMatch(/filename="ena-mission-\d+-KZ-\d{4}-\d{2}-\d{2}\.ena-bundle"/);

      const before = await dump(away.store);
      const cut = await upload(awayClients.manager, bundle.body.subarray(0, bundle.body.length - 100));
      expect(cut.status).toBe(400);
      expect(cut.body).toMatchObject({ error: { code: 'validation_failed', details: [{ path: 'bundle', message: 'truncated' }] } });
      expect(String((cut.body.error as { message: string }).message)).toMatch(/incomplete/);
      const flipped = Buffer.from(bundle.body);
      flipped[flipped.length - 50] = (flipped[flipped.length - 50] as number) ^ 0x20;
      expect((await upload(awayClients.manager, flipped)).status).toBe(400);
      expect(await dump(away.store)).toEqual(before);

      const arrived = await upload(awayClients.manager, bundle.body);
      expect(arrived.status).toBe(201);
      const result = arrived.body.import as { missionId: number; summary: { answersAdded: number } };
      expect(result.summary.answersAdded).toBe(2);
      expect(await missionRows(away.store, result.missionId)).toEqual(await missionRows(home.store, ids.kz));
      const audit = await away.store.db.selectFrom('audit_log').innerJoin('users', 'users.id', 'audit_log.actor_id').select(['action', 'users.email']).where('action', '=', 'bundle.import').execute();
      expect(audit).toEqual([{ action: 'bundle.import', email: 'manager@example.org' }]);

      // Both sides now change the same answer; each bundle lands on the other side as a conflict to resolve.
      const awayAssessment = (await away.store.db.selectFrom('assessments').select('id').where('mission_id', '=', result.missionId).executeTakeFirstOrThrow()).id;
      const expertAway = await away.store.db.selectFrom('users').select('id').where('email', '=', 'expert@example.org').executeTakeFirstOrThrow();
      await saveAnswer(away.store.db, expertAway, { assessmentId: awayAssessment, questionId: 'preservation-power', value: 3, note: 'Подтверждено документами', baseRevision: 1 });
      const put = await clients.expert.request('PUT', `/api/assessments/${ids.kzAssessment}/answers/preservation-power`, { value: 1, baseRevision: 1, opId: 'home-edit-1' });
      expect(put.status).toBe(200);

      const back = await upload(clients.manager, (await download(awayClients.manager, `/api/missions/${result.missionId}/bundle`)).body);
      expect(back.status).toBe(200);
      expect((back.body.import as { summary: { conflicts: number } }).summary.conflicts).toBe(1);

      const listed = await clients.expert.get<{ conflicts: { id: number; questionId: string; current: { value: unknown; revision: number }; incoming: { value: unknown; author: string }[] }[] }>(`/api/missions/${ids.kz}/conflicts?status=open`);
      expect(listed.status).toBe(200);
      expect(listed.body.conflicts).toHaveLength(1);
      const conflict = listed.body.conflicts[0];
      expect(conflict).toMatchObject({ questionId: 'preservation-power', current: { value: 1, revision: 2 }, incoming: [{ value: 3, author: 'expert@example.org' }] });

      // The viewer may look but not decide; a bad value is named; the expert takes the other side's answer.
      expect((await clients.viewer.request('POST', `/api/conflicts/${conflict?.id}/resolve`, { choice: 'keep' })).status).toBe(403);
      const invalid = await clients.expert.request<{ error: { details: { path: string }[] } }>('POST', `/api/conflicts/${conflict?.id}/resolve`, { choice: 'answer', value: 9, baseRevision: 2 });
      expect(invalid.status).toBe(400);
      expect(invalid.body.error.details[0]?.path).toBe('value');
      const resolved = await clients.expert.request<{ conflict: { status: string; resolvedRevision: number; resolvedBy: string } }>('POST', `/api/conflicts/${conflict?.id}/resolve`, { choice: 'answer', value: 3, note: 'Подтверждено документами', baseRevision: 2 });
      expect(resolved.status).toBe(200);
      expect(resolved.body.conflict).toMatchObject({ status: 'resolved', resolvedRevision: 3, resolvedBy: 'expert@example.org' });
      expect((await clients.expert.request('POST', `/api/conflicts/${conflict?.id}/resolve`, { choice: 'keep' })).status).toBe(409);

      // The decision travels: the other server adopts it and both hold the same history.
      const settle = await upload(awayClients.manager, (await download(clients.manager, `/api/missions/${ids.kz}/bundle`)).body);
      expect((settle.body.import as { summary: { answersAdopted: number } }).summary.answersAdopted).toBe(1);
      expect(await missionRows(away.store, result.missionId)).toEqual(await missionRows(home.store, ids.kz));
    });
  });
});
