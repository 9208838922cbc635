/**
 * The managers' reports and data page over HTTP (real server, real SQLite file, real Chromium): a
 * regional report and a progress report as form posts that answer with the file, the audit log with
 * filters for administrators, and refusals for others.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/storage/audit.js';
import { createAssessment } from '../../src/storage/assessments.js';
import { createCountry } from '../../src/storage/countries.js';
import { createMission } from '../../src/storage/missions.js';
import { Client, PASSWORD, seedUser, startTestServer } from '../api/helpers.js';

let server: Awaited<ReturnType<typeof startTestServer>>;
const missions: number[] = [];

async function signedIn(email: string): Promise<Client> {
  const client = new Client(server.url);
  expect((await client.login(email, PASSWORD)).status).toBe(201);
  return client;
}

async function postForm(client: Client, path: string, fields: [string, string][]): Promise<Response> {
  const body = new URLSearchParams([...fields, ['_csrf', client.csrfToken ?? '']]);
  return fetch(server.url + path, { method: 'POST', body, redirect: 'manual', headers: { cookie: client.cookie ?? '', 'content-type': 'application/x-www-form-urlencoded' } });
}

beforeAll(async () => {
  server = await startTestServer();
  const { db } = server.store;
  await createCountry(db, SYSTEM, { code: 'KZ', name: { en: 'Kazakhstan', ru: 'Казахстан' } });
  await createCountry(db, SYSTEM, { code: 'KG', name: { en: 'Kyrgyzstan', ru: 'Кыргызстан' } });
  for (const [code, starts] of [['KZ', '2024-03-01'], ['KZ', '2026-03-01'], ['KG', '2025-05-01']] as const) {
    const mission = await createMission(db, SYSTEM, { countryCode: code, title: `${code} ${starts}`, startsOn: starts, endsOn: starts });
    await createAssessment(db, SYSTEM, { missionId: mission.id, questionnaireId: 'preservation-demo', questionnaireVersion: 1 });
    missions.push(mission.id);
  }
  await seedUser(server.store, 'admin@test', 'admin');
  await seedUser(server.store, 'manager@test', 'manager');
  await seedUser(server.store, 'expert@test', 'expert', ['KZ']);
}, 120_000);

afterAll(() => server?.close());

describe('reports and data page', () => {
  it('offers regional, progress and export forms to managers; refuses experts', async () => {
    const manager = await signedIn('manager@test');
    const page = await fetch(`${server.url}/reports`, { headers: { cookie: manager.cookie ?? '' } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('action="/reports/regional"');
    expect(html).toContain('action="/reports/progress"');
    expect(html).toContain('action="/api/exports/all"');
    // An export is data, not a report: its language is that of its headings and labels.
    expect(html).toContain('<label for="export-lang">Language of headings and labels</label>');
    // The progress form offers the missions by country and starts on a pair it can compare: KZ's two.
    const select = (id: string): string => /<select id="([^"]+)"[\s\S]*?<\/select>/g.exec(html.slice(html.indexOf(`<select id="${id}"`)))?.[0] ?? '';
    expect(select('progress-from')).toMatch(/<optgroup label="Kazakhstan"><option value="\d+" selected>KZ 2024-03-01 \([^)]+\)<\/option><option value="\d+">KZ 2026-03-01/);
    expect(select('progress-to')).toMatch(/<optgroup label="Kazakhstan"><option value="\d+">KZ 2024-03-01 \([^)]+\)<\/option><option value="\d+" selected>KZ 2026-03-01/);
    expect(select('progress-to')).toMatch(/<optgroup label="Kyrgyzstan"><option value="\d+">KG 2025-05-01/);
    expect(html).not.toContain('id="progress-hint"');
    expect(html).not.toContain('id="audit-title"');
    const expert = await signedIn('expert@test');
    expect((await fetch(`${server.url}/reports`, { headers: { cookie: expert.cookie ?? '' } })).status).toBe(403);
  });

  it('answers a regional report as a Word file and a progress report as a PDF', async () => {
    const manager = await signedIn('manager@test');
    const regional = await postForm(manager, '/reports/regional', [['countries', 'KZ'], ['countries', 'KG'], ['language', 'ru'], ['format', 'docx']]);
    expect(regional.status).toBe(200);
    expect(regional.headers.get('content-disposition')).toMatch(/ENA_regional_KZ-KG_ru\.docx/);
    expect(Buffer.from(await regional.arrayBuffer()).subarray(0, 2).toString('latin1')).toBe('PK');
    const progress = await postForm(manager, '/reports/progress', [['from', String(missions[0])], ['to', String(missions[1])], ['language', 'en'], ['format', 'pdf']]);
    expect(progress.status).toBe(200);
    expect(Buffer.from(await progress.arrayBuffer()).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const mixed = await postForm(manager, '/reports/progress', [['from', String(missions[0])], ['to', String(missions[2])], ['language', 'en'], ['format', 'pdf']]);
    expect(mixed.status).toBe(400);
  }, 120_000);

  it('says what to correct when a report form is filled in wrongly, in the reader\'s language', async () => {
    const manager = await signedIn('manager@test');
    const asPage = async (path: string, fields: [string, string][]) => {
      const body = new URLSearchParams([...fields, ['_csrf', manager.csrfToken ?? '']]);
      const response = await fetch(server.url + path, { method: 'POST', body, redirect: 'manual', headers: { cookie: manager.cookie ?? '', accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' } });
      return { status: response.status, html: await response.text() };
    };
    const noCountry = await asPage('/reports/regional', [['language', 'en'], ['format', 'pdf']]);
    expect(noCountry.status).toBe(400);
    expect(noCountry.html).toContain('Choose countries from the list.');
    expect(noCountry.html).toContain('href="/reports"');
    const sameMission = await asPage('/reports/progress', [['from', String(missions[0])], ['to', String(missions[0])], ['language', 'en'], ['format', 'pdf']]);
    expect(sameMission.status).toBe(400);
    expect(sameMission.html).toContain('Choose a follow-up mission of the same country as the baseline mission, other than the baseline mission itself.');
    expect((await asPage('/language', [['language', 'ru'], ['returnTo', '/reports']])).status).toBe(303);
    // The missions to compare carry their dates as the rest of the Russian interface writes them.
    const russianPage = await (await fetch(`${server.url}/reports`, { headers: { cookie: manager.cookie ?? '' } })).text();
    expect(russianPage).toContain('<optgroup label="Казахстан"><option value="');
    expect(russianPage).toContain('>KZ 2024-03-01 (1 марта 2024 г.)</option>');
    const otherCountry = await asPage('/reports/progress', [['from', String(missions[0])], ['to', String(missions[2])], ['language', 'en'], ['format', 'pdf']]);
    expect(otherCountry.status).toBe(400);
    expect(otherCountry.html).toContain('Выберите последующую миссию по той же стране, что и исходная миссия, отличную от неё.');
  });

  it('shows administrators the audit log, filtered', async () => {
    const admin = await signedIn('admin@test');
    const html = await (await fetch(`${server.url}/reports?entityType=mission`, { headers: { cookie: admin.cookie ?? '' } })).text();
    expect(html).toContain('id="audit-title"');
    expect(html).toContain('<code>mission.create</code>');
    expect(html).not.toContain('<code>country.create</code>');
  });
});
