/**
 * Reports over HTTP: a real server on the demo data and the real questionnaires, a real SQLite file and
 * real Chromium. Managers generate and download; experts preview (and download) their own countries only.
 */
import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPORT_PREVIEW_CSP } from '../../src/report/html.js';
import { listReports } from '../../src/storage/reports.js';
import type { ReportView } from '../../src/web/api/reports.js';
import { Client, PASSWORD, isErrorShape, seedUser, startTestServer } from '../api/helpers.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;
type ErrorBody = { error: { code: string; message: string; details: { path: string; message: string }[] } };

let server: Server;
let reportsDir = '';
let kzMission = 0;
const clients: Record<'manager' | 'expertKz' | 'expertKg' | 'viewerKz', Client> = {} as never;

async function signedIn(email: string): Promise<Client> {
  const client = new Client(server.url);
  expect((await client.login(email, PASSWORD)).status).toBe(201);
  return client;
}

/** A GET whose body is not JSON (HTML pages, PDFs). */
async function fetchRaw(client: Client, path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(server.url + path, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), cookie: client.cookie ?? '' } });
}

beforeAll(async () => {
  reportsDir = join(await mkdtemp(join(tmpdir(), 'ena-report-http-')), 'reports');
  server = await startTestServer({ demo: true, demoDir: resolve('data/demo'), env: { ENA_QUESTIONNAIRES: resolve('questionnaires'), ENA_REPORTS: reportsDir } });
  await seedUser(server.store, 'manager@test', 'manager');
  await seedUser(server.store, 'expert.kz@test', 'expert', ['KZ']);
  await seedUser(server.store, 'expert.kg@test', 'expert', ['KG']);
  await seedUser(server.store, 'viewer.kz@test', 'viewer', ['KZ']);
  clients.manager = await signedIn('manager@test');
  clients.expertKz = await signedIn('expert.kz@test');
  clients.expertKg = await signedIn('expert.kg@test');
  clients.viewerKz = await signedIn('viewer.kz@test');
  const missions = await clients.manager.get<{ missions: { id: number; countryCode: string }[] }>('/api/missions');
  kzMission = missions.body.missions.find((mission) => mission.countryCode === 'KZ')?.id ?? 0;
  expect(kzMission).toBeGreaterThan(0);
}, 180_000);

afterAll(async () => {
  await server?.close();
});

describe('reports over HTTP', () => {
  it('starts no Chromium until a PDF is asked for', async () => {
    expect((await fetchRaw(clients.manager, `/missions/${kzMission}`)).status).toBe(200);
    expect((await fetchRaw(clients.expertKz, `/missions/${kzMission}/report?lang=en`)).status).toBe(200);
    expect(server.pdf.current).toBeNull();
  });

  let generated: ReportView;

  it('lets a manager generate a country report: 201, a PDF file, recorded with who and which data revision', async () => {
    const reply = await clients.manager.request<{ report: ReportView }>('POST', `/api/missions/${kzMission}/reports`, { language: 'ru' });
    expect(reply.status).toBe(201);
    generated = reply.body.report;
    expect(generated).toMatchObject({ kind: 'country', missionId: kzMission, countries: ['KZ'], language: 'ru', downloadUrl: `/api/reports/${generated.id}/download` });
    expect(generated.fileName).toMatch(/^ENA_country_KZ_\d+_ru_r\d+_[0-9a-f]{8}\.pdf$/);
    expect(JSON.stringify(reply.body)).not.toContain(reportsDir); // no server paths in the API

    const file = join(reportsDir, generated.fileName);
    expect((await readFile(file)).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect((await stat(file)).size).toBeGreaterThan(50_000);
    expect(server.pdf.current).not.toBeNull();

    const [recorded] = await listReports(server.store.db, { missionId: kzMission });
    const managerId = (await server.store.db.selectFrom('users').select('id').where('email', '=', 'manager@test').executeTakeFirstOrThrow()).id;
    expect(recorded).toMatchObject({ id: generated.id, filePath: file, createdBy: managerId });
    // The data revision is the last audit row of anything printed (answers, targets, missions…).
    const revision = await server.store.db.selectFrom('audit_log').select((eb) => eb.fn.max('id').as('max'))
      .where('entity_type', 'in', ['answer', 'assessment', 'mission', 'country', 'target', 'demo']).executeTakeFirstOrThrow();
    expect(recorded?.dataRevision).toBe(Number(revision.max));
    expect(generated.dataRevision).toBe(Number(revision.max));
  }, 120_000);

  it('lists the report via GET /api/reports and on the mission page with a download link', async () => {
    const listed = await clients.manager.get<{ reports: ReportView[] }>(`/api/reports?mission=${kzMission}`);
    expect(listed.status).toBe(200);
    expect(listed.body.reports.map((report) => report.id)).toEqual([generated.id]);
    expect((await clients.manager.get<{ reports: ReportView[] }>('/api/reports?country=KG')).body.reports).toEqual([]);

    const page = await (await fetchRaw(clients.manager, `/missions/${kzMission}`)).text();
    expect(page).toContain(`href="/api/reports/${generated.id}/download"`);
    expect(page).toContain('by manager');
    expect(page).toContain(`data revision ${generated.dataRevision}`);
  });

  it('downloads the recorded PDF as an attachment, byte for byte', async () => {
    const response = await fetchRaw(clients.manager, generated.downloadUrl);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-disposition')).toMatch(new RegExp(`^attachment; filename="?${generated.fileName.replace(/\./g, '\\.')}"?$`));
    const body = Buffer.from(await response.arrayBuffer());
    expect(body.equals(await readFile(join(reportsDir, generated.fileName)))).toBe(true);
  });

  it('generates from the mission page form and redirects back to the mission (303)', async () => {
    const form = new URLSearchParams({ _csrf: clients.manager.csrfToken ?? '', language: 'bilingual' });
    const response = await fetchRaw(clients.manager, `/api/missions/${kzMission}/reports`, { method: 'POST', body: form.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`/missions/${kzMission}#reports-title`);
    const listed = await clients.manager.get<{ reports: ReportView[] }>(`/api/reports?mission=${kzMission}`);
    expect(listed.body.reports.map((report) => report.language)).toEqual(['bilingual', 'ru']);
    // Two generations, two files: the first record still points at its own PDF.
    expect(new Set(listed.body.reports.map((report) => report.fileName)).size).toBe(2);
  }, 120_000);

  it('lets an expert of the country preview (HTML under the report CSP) and download, but not generate', async () => {
    const preview = await fetchRaw(clients.expertKz, `/missions/${kzMission}/report?lang=en`);
    expect(preview.status).toBe(200);
    expect(preview.headers.get('content-security-policy')).toBe(REPORT_PREVIEW_CSP);
    const html = await preview.text();
    expect(html).toContain('Kazakhstan');
    expect(html).toContain('Demo data — not an assessment');
    const russian = await (await fetchRaw(clients.expertKz, `/missions/${kzMission}/report?lang=ru`)).text();
    expect(russian).toContain('Казахстан');

    const generate = await clients.expertKz.request<ErrorBody>('POST', `/api/missions/${kzMission}/reports`, { language: 'en' });
    expect(generate.status).toBe(403);
    expect(isErrorShape(generate.body)).toBe(true);
    expect((await fetchRaw(clients.expertKz, generated.downloadUrl)).status).toBe(200);
    expect((await clients.expertKz.get<{ reports: ReportView[] }>('/api/reports')).body.reports.map((report) => report.id)).toContain(generated.id);
    expect(await (await fetchRaw(clients.expertKz, `/missions/${kzMission}`)).text()).toContain(generated.downloadUrl);
  });

  it('refuses an expert of another country and a viewer: preview, download, generate, list', async () => {
    for (const client of [clients.expertKg, clients.viewerKz]) {
      expect((await fetchRaw(client, `/missions/${kzMission}/report?lang=en`)).status).toBe(403);
      expect((await fetchRaw(client, generated.downloadUrl)).status).toBe(403);
      expect((await client.request('POST', `/api/missions/${kzMission}/reports`, { language: 'en' })).status).toBe(403);
      expect((await client.get<{ reports: ReportView[] }>('/api/reports')).body.reports).toEqual([]);
    }
    expect((await clients.expertKg.get(`/api/reports?mission=${kzMission}`)).status).toBe(403);
    const page = await (await fetchRaw(clients.viewerKz, `/missions/${kzMission}`)).text();
    expect(page).not.toContain('/api/reports/');
    expect((await fetch(server.url + generated.downloadUrl)).status).toBe(401);
  });

  it('names the bad field: language in the body, lang in the preview address', async () => {
    const reply = await clients.manager.request<ErrorBody>('POST', `/api/missions/${kzMission}/reports`, { language: 'de' });
    expect(reply.status).toBe(400);
    expect(reply.body.error.details).toEqual([{ path: 'language', message: 'must be one of en, ru, bilingual' }]);
    expect(reply.body.error.message).toContain('language');
    expect((await clients.manager.request<ErrorBody>('POST', `/api/missions/${kzMission}/reports`, {})).body.error.details[0]?.path).toBe('language');
    const preview = await fetchRaw(clients.manager, `/missions/${kzMission}/report?lang=de`);
    expect(preview.status).toBe(400);
    expect(await preview.text()).toContain('lang');
  });

  it('answers 404 for an unknown mission or report', async () => {
    expect((await clients.manager.request<ErrorBody>('POST', '/api/missions/99999/reports', { language: 'en' })).status).toBe(404);
    expect((await fetchRaw(clients.manager, '/missions/99999/report?lang=en')).status).toBe(404);
    expect((await clients.manager.get('/api/reports?mission=99999')).status).toBe(404);
    expect((await fetchRaw(clients.manager, '/api/reports/99999/download')).status).toBe(404);
  });

  it('checks regional and progress requests before rendering anything', async () => {
    const kgMission = (await clients.manager.get<{ missions: { id: number; countryCode: string }[] }>('/api/missions?country=KG')).body.missions[0]?.id;
    expect((await clients.expertKz.request('POST', '/api/reports/regional', { countries: ['KZ'], language: 'en' })).status).toBe(403);
    expect((await clients.expertKz.request('POST', '/api/reports/progress', { country: 'KZ', from: kzMission, to: kzMission, language: 'en' })).status).toBe(403);
    const regional = await clients.manager.request<ErrorBody>('POST', '/api/reports/regional', { countries: ['kz'], language: 'en' });
    expect(regional.status).toBe(400);
    expect(regional.body.error.details[0]?.path).toBe('countries.0');
    const same = await clients.manager.request<ErrorBody>('POST', '/api/reports/progress', { country: 'KZ', from: kzMission, to: kzMission, language: 'en' });
    expect(same.status).toBe(400);
    expect(same.body.error.details).toEqual([{ path: 'to', message: 'must be a different mission from "from"' }]);
    const foreign = await clients.manager.request<ErrorBody>('POST', '/api/reports/progress', { country: 'KZ', from: kzMission, to: kgMission, language: 'en' });
    expect(foreign.status).toBe(400);
    expect(foreign.body.error.details).toEqual([{ path: 'to', message: 'is not a mission of KZ' }]);
    expect((await clients.manager.request('POST', '/api/reports/progress', { country: 'KZ', from: kzMission, to: 99999, language: 'en' })).status).toBe(404);
    expect(server.pdf.current?.stats.renders).toBe(2); // only the two country reports above
  });

  it('closes Chromium with the server', async () => {
    const pid = server.pdf.current?.browserPid;
    expect(pid).toBeGreaterThan(0);
    await server.close();
    expect(() => process.kill(pid as number, 0)).toThrow(); // the Chromium process is gone
    // Closed servers refuse new renders instead of starting a second Chromium.
    expect(() => server.pdf.get()).toThrow(/shutting down/);
  });
});
