/**
 * The bundle pages over real HTTP against two real servers on real SQLite files, driven as a browser
 * without JavaScript would: the mission page's download link, the import page's multipart upload form,
 * the conflicts page with both versions and its resolve forms. Also who may do what, a damaged file
 * refused with a clear message in the user's language while nothing changes, and the audit row.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/storage/audit.js';
import { createAssessment } from '../../src/storage/assessments.js';
import { createCountry } from '../../src/storage/countries.js';
import { createMission } from '../../src/storage/missions.js';
import type { RunningServer } from '../../src/web/server.js';
import { Client, PASSWORD, seedUser, startTestServer } from '../api/helpers.js';
import { answer, tableCounts } from './helpers.js';

const Q = 'preservation-demo';
let home: RunningServer;
let away: RunningServer;
let homeMission: number;
let homeAssessment: number;

async function signedIn(server: RunningServer, email: string): Promise<Client> {
  const client = new Client(server.url);
  expect((await client.login(email, PASSWORD)).status).toBe(201);
  return client;
}

async function seedPeople(server: RunningServer): Promise<void> {
  await createCountry(server.store.db, SYSTEM, { code: 'KZ', name: { en: 'Kazakhstan', ru: 'Казахстан' } });
  await seedUser(server.store, 'manager@test', 'manager');
  await seedUser(server.store, 'ru-manager@test', 'manager');
  await server.store.db.updateTable('users').set({ language: 'ru' }).where('email', '=', 'ru-manager@test').execute();
  await seedUser(server.store, 'expert@test', 'expert', ['KZ']);
  await seedUser(server.store, 'viewer@test', 'viewer', ['KZ']);
}

const page = (client: Client, path: string) => fetch(client.baseUrl + path, { headers: { cookie: client.cookie ?? '', accept: 'text/html' }, redirect: 'manual' });

async function download(client: Client, path: string): Promise<Buffer> {
  const response = await page(client, path);
  expect(response.status).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

/** What a browser sends for the import form: multipart/form-data with the token field and the file. */
async function uploadForm(client: Client, file: Buffer | null, options: { csrf?: boolean } = {}): Promise<{ status: number; html: string }> {
  const form = new FormData();
  if (options.csrf !== false) form.append('_csrf', client.csrfToken ?? '');
  form.append('bundle', new Blob(file ? [new Uint8Array(file)] : []), file ? 'mission.ena-bundle' : '');
  const response = await fetch(`${client.baseUrl}/bundles/import`, { method: 'POST', body: form, headers: { cookie: client.cookie ?? '', accept: 'text/html' }, redirect: 'manual' });
  return { status: response.status, html: await response.text() };
}

async function postForm(client: Client, path: string, fields: [string, string][]): Promise<Response> {
  const body = new URLSearchParams([...fields, ['_csrf', client.csrfToken ?? '']]);
  return fetch(client.baseUrl + path, { method: 'POST', body, redirect: 'manual', headers: { cookie: client.cookie ?? '', accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' } });
}

async function currentValue(server: RunningServer, missionId: number, questionId: string): Promise<unknown> {
  const row = await server.store.db.selectFrom('answers').innerJoin('assessments', 'assessments.id', 'answers.assessment_id')
    .select('answers.value').where('assessments.mission_id', '=', missionId).where('answers.question_id', '=', questionId).executeTakeFirstOrThrow();
  return JSON.parse(row.value) as unknown;
}

beforeAll(async () => {
  home = await startTestServer();
  away = await startTestServer();
  await seedPeople(home);
  await seedPeople(away);
  const mission = await createMission(home.store.db, SYSTEM, { countryCode: 'KZ', title: 'Миссия в Казахстан', startsOn: '2025-06-11', endsOn: '2025-06-13' });
  homeMission = mission.id;
  homeAssessment = (await createAssessment(home.store.db, SYSTEM, { missionId: mission.id, questionnaireId: Q, questionnaireVersion: 1 })).id;
  const expert = await home.store.db.selectFrom('users').select('id').where('email', '=', 'expert@test').executeTakeFirstOrThrow();
  await answer(home.store, expert, homeAssessment, 'preservation-power', 2, { note: 'Ст. 16 УПК', evidence: 'documented' });
}, 120_000);

afterAll(async () => {
  await home?.close();
  await away?.close();
});

describe('mission bundle pages', () => {
  it('carries a mission to another server, shows the conflict a local edit makes, and resolves it through the page form', async () => {
    const manager = await signedIn(home, 'manager@test');
    const missionPage = await (await page(manager, `/missions/${homeMission}`)).text();
    expect(missionPage).toContain(`href="/api/missions/${homeMission}/bundle"`);
    expect(missionPage).toContain('Download mission bundle');
    expect(missionPage).toContain('href="/bundles/import"');
    const first = await download(manager, `/api/missions/${homeMission}/bundle`);

    // The import page is one click from the reports page.
    const awayManager = await signedIn(away, 'manager@test');
    expect(await (await page(awayManager, '/reports')).text()).toContain('href="/bundles/import"');
    const form = await (await page(awayManager, '/bundles/import')).text();
    expect(form).toContain('enctype="multipart/form-data"');
    const created = await uploadForm(awayManager, first);
    expect(created.status).toBe(200);
    expect(created.html).toContain('The mission was created from the bundle.');
    const awayMission = Number(/href="\/missions\/(\d+)\/conflicts"/.exec(created.html)?.[1]);
    expect(await currentValue(away, awayMission, 'preservation-power')).toBe(2);

    // Both sides change the same answer after sharing revision 1.
    const awayAssessment = (await away.store.db.selectFrom('assessments').select('id').where('mission_id', '=', awayMission).executeTakeFirstOrThrow()).id;
    const awayExpert = await away.store.db.selectFrom('users').select('id').where('email', '=', 'expert@test').executeTakeFirstOrThrow();
    await answer(away.store, awayExpert, awayAssessment, 'preservation-power', 3, { note: 'Местная правка', source: 'Интервью, МВД' });
    const homeExpert = await home.store.db.selectFrom('users').select('id').where('email', '=', 'expert@test').executeTakeFirstOrThrow();
    await answer(home.store, homeExpert, homeAssessment, 'preservation-power', 1, { note: 'Правка в Астане', source: 'Приказ ГП № 12', evidence: 'testimonial' });
    const second = await download(manager, `/api/missions/${homeMission}/bundle`);

    const merged = await uploadForm(awayManager, second);
    expect(merged.status).toBe(200);
    expect(merged.html).toContain('The bundle was merged into the mission here.');
    expect(merged.html).toContain('1 answer was changed on both sides');
    expect(await currentValue(away, awayMission, 'preservation-power')).toBe(3);

    // The mission page says there is one to resolve.
    expect(await (await page(awayManager, `/missions/${awayMission}`)).text()).toMatch(/id="open-conflicts">1 open</);

    // The conflicts page shows both versions side by side with their notes, sources and authors.
    const conflicts = await (await page(awayManager, `/missions/${awayMission}/conflicts`)).text();
    const conflictId = Number(/data-conflict-id="(\d+)"/.exec(conflicts)?.[1]);
    expect(conflictId).toBeGreaterThan(0);
    for (const text of ['Местная правка', 'Интервью, МВД', 'Правка в Астане', 'Приказ ГП № 12', 'Testimonial', 'expert@test', 'Use the incoming answer', 'Keep the answer here']) {
      expect(conflicts).toContain(text);
    }

    // A viewer may read the page but not resolve; a resolve post without a token is refused.
    const viewer = await signedIn(away, 'viewer@test');
    const viewerPage = await (await page(viewer, `/missions/${awayMission}/conflicts`)).text();
    expect(viewerPage).not.toContain('Use the incoming answer');
    expect((await postForm(viewer, `/conflicts/${conflictId}/resolve`, [['choice', 'incoming']])).status).toBe(403);
    const noToken = await fetch(`${away.url}/conflicts/${conflictId}/resolve`, { method: 'POST', body: new URLSearchParams([['choice', 'incoming']]), headers: { cookie: awayManager.cookie ?? '', accept: 'text/html' }, redirect: 'manual' });
    expect(noToken.status).toBe(403);
    expect(await currentValue(away, awayMission, 'preservation-power')).toBe(3);

    const resolved = await postForm(awayManager, `/conflicts/${conflictId}/resolve`, [['choice', 'incoming']]);
    expect(resolved.status).toBe(303);
    expect(resolved.headers.get('location')).toBe(`/missions/${awayMission}/conflicts?resolved=${conflictId}#conflict-${conflictId}`);
    expect(await currentValue(away, awayMission, 'preservation-power')).toBe(1);
    const answerRow = await away.store.db.selectFrom('answers').select(['note', 'source', 'evidence']).where('assessment_id', '=', awayAssessment).where('question_id', '=', 'preservation-power').executeTakeFirstOrThrow();
    expect(answerRow).toEqual({ note: 'Правка в Астане', source: 'Приказ ГП № 12', evidence: 'testimonial' });
    const audit = await away.store.db.selectFrom('audit_log').select(['action', 'entity_id']).where('action', '=', 'answer.conflict.resolve').execute();
    expect(audit).toEqual([{ action: 'answer.conflict.resolve', entity_id: `${awayAssessment}/preservation-power` }]);
    const after = await (await page(awayManager, `/missions/${awayMission}/conflicts?resolved=${conflictId}`)).text();
    expect(after).toContain('id="no-open-conflicts"');
    expect(after).toContain('The conflict was resolved.');
    // Resolving twice is a clear conflict, not a second revision.
    expect((await postForm(awayManager, `/conflicts/${conflictId}/resolve`, [['choice', 'keep']])).status).toBe(409);

    // A second round resolved the other way keeps the answer here, also audited.
    await answer(away.store, awayExpert, awayAssessment, 'preservation-power', 4, { note: 'Вторая местная правка' });
    await answer(home.store, homeExpert, homeAssessment, 'preservation-power', 0, { note: 'Вторая правка в Астане' });
    expect((await uploadForm(awayManager, await download(manager, `/api/missions/${homeMission}/bundle`))).html).toContain('1 answer was changed on both sides');
    const secondPage = await (await page(awayManager, `/missions/${awayMission}/conflicts`)).text();
    const secondId = Number(/data-conflict-id="(\d+)"/.exec(secondPage)?.[1]);
    expect(secondId).toBeGreaterThan(conflictId);
    expect(secondPage).toContain('Вторая правка в Астане');
    expect((await postForm(awayManager, `/conflicts/${secondId}/resolve`, [['choice', 'keep']])).status).toBe(303);
    expect(await currentValue(away, awayMission, 'preservation-power')).toBe(4);
    expect(await away.store.db.selectFrom('audit_log').select('id').where('action', '=', 'answer.conflict.resolve').execute()).toHaveLength(2);
    expect(await (await page(awayManager, `/missions/${awayMission}`)).text()).not.toContain('id="open-conflicts"');
  });

  it('refuses experts and viewers the import page, the upload and the download link', async () => {
    const bundle = await download(await signedIn(home, 'manager@test'), `/api/missions/${homeMission}/bundle`);
    for (const email of ['expert@test', 'viewer@test']) {
      const client = await signedIn(away, email);
      expect((await page(client, '/bundles/import')).status).toBe(403);
      const before = await tableCounts(away.store);
      expect((await uploadForm(client, bundle)).status).toBe(403);
      expect(await tableCounts(away.store)).toEqual(before);
      const homeClient = await signedIn(home, email);
      const missionPage = await (await page(homeClient, `/missions/${homeMission}`)).text();
      expect(missionPage).not.toContain('/bundle"');
      expect((await page(homeClient, `/api/missions/${homeMission}/bundle`)).status).toBe(403);
    }
    // Without the CSRF token the upload is refused too.
    const manager = await signedIn(away, 'manager@test');
    expect((await uploadForm(manager, bundle, { csrf: false })).status).toBe(403);
  });

  it('refuses a damaged or missing file with a clear message in the user language and changes nothing', async () => {
    const bundle = await download(await signedIn(home, 'manager@test'), `/api/missions/${homeMission}/bundle`);
    const damaged = Buffer.from(bundle);
    const at = damaged.length - 20;
    damaged[at] = damaged[at] === 0x61 ? 0x62 : 0x61;
    // Signing in is audited: count after it.
    const manager = await signedIn(away, 'manager@test');
    const ruManager = await signedIn(away, 'ru-manager@test');
    const before = await tableCounts(away.store);

    const english = await uploadForm(manager, damaged);
    expect(english.status).toBe(422);
    expect(english.html).toContain('The bundle was not imported. Nothing was changed.');
    expect(english.html).toContain('its checksum does not match its content');
    expect(english.html).toContain('role="alert"');

    const russian = await uploadForm(ruManager, damaged);
    expect(russian.status).toBe(422);
    expect(russian.html).toContain('Пакет не импортирован. Данные не изменены.');
    expect(russian.html).toContain('контрольная сумма не совпадает с содержимым');

    const cut = await uploadForm(manager, bundle.subarray(0, bundle.length - 100));
    expect(cut.status).toBe(422);
    expect(cut.html).toContain('The file is incomplete');

    const none = await uploadForm(manager, null);
    expect(none.status).toBe(400);
    expect(none.html).toContain('Choose a bundle file first.');
    expect(await tableCounts(away.store)).toEqual(before);
  });
});
