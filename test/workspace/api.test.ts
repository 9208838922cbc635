/**
 * The report workspace over HTTP, on the demo data and the real questionnaires, a real SQLite file and
 * real Chromium: editing, conflicts, idempotent retries, roles, the draft in the PDF and DOCX, and
 * finalisation with stored SHA-256 that later changes never touch.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import mammoth from 'mammoth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, PASSWORD, isErrorShape, seedUser, startTestServer } from '../api/helpers.js';
import { pageTexts, squash } from '../report/pdfText.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;
interface Translation { en: string; ru: string }
interface Text { key: string; en: string; ru: string; origin: string; translation: Translation; revision: number }
interface Rec { id: number; origin: string; status: string; text: { en: string; ru: string }; priority: string; timeframe: string; institution: string[]; indicators: string[]; references: string[]; translation: Translation; revision: number; sourceKey: string | null }
interface Draft { revision: number; state: string; texts: Text[]; recommendations: Rec[] }
interface FileView { format: string; language: string; sha256: string; downloadUrl: string; fileName: string }
interface VersionView { version: number; changeNote: string | null; dataRevision: number; files: FileView[] }
type ErrorBody = { error: { code: string; message: string; details: { path: string; message: string }[] }; current?: Rec & Text };

let server: Server;
let kz = 0;
let reportsDir = '';
const clients: Record<'manager' | 'expertKz' | 'expertKg' | 'viewerKz', Client> = {} as never;

async function signedIn(email: string): Promise<Client> {
  const client = new Client(server.url);
  expect((await client.login(email, PASSWORD)).status).toBe(201);
  return client;
}

async function download(client: Client, path: string): Promise<{ status: number; bytes: Uint8Array; headers: Headers }> {
  const response = await fetch(server.url + path, { headers: { cookie: client.cookie ?? '' } });
  return { status: response.status, bytes: new Uint8Array(await response.arrayBuffer()), headers: response.headers };
}

const draftOf = async (client = clients.manager) => {
  const reply = await client.get<{ draft: Draft; versions: VersionView[] }>(`/api/missions/${kz}/report-draft`);
  expect(reply.status).toBe(200);
  return reply.body;
};

const sha = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
const occurrences = (haystack: string, needle: string): number => haystack.split(needle).length - 1;

async function draftPdfText(language: 'en' | 'ru'): Promise<string[]> {
  const reply = await clients.manager.request<{ report: { downloadUrl: string } }>('POST', `/api/missions/${kz}/reports`, { language });
  expect(reply.status).toBe(201);
  const file = await download(clients.manager, reply.body.report.downloadUrl);
  return (await pageTexts(file.bytes)).map(squash);
}

beforeAll(async () => {
  reportsDir = join(await mkdtemp(join(tmpdir(), 'ena-workspace-')), 'reports');
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
  kz = missions.body.missions.find((mission) => mission.countryCode === 'KZ')?.id ?? 0;
  expect(kz).toBeGreaterThan(0);
}, 180_000);

afterAll(async () => {
  await server?.close();
});

describe('report draft API', () => {
  let edited: Rec;
  let custom: Rec;
  let template = '';

  it('starts the draft from the generated texts and recommendations', async () => {
    const { draft, versions } = await draftOf();
    expect(draft.state).toBe('draft');
    expect(versions).toEqual([]);
    expect(draft.texts.map((text) => text.key)).toEqual(expect.arrayContaining(['executive-summary', 'country-context', 'methodology']));
    expect(draft.texts.filter((text) => text.key.startsWith('findings.')).length).toBeGreaterThanOrEqual(4);
    for (const text of draft.texts) expect(text).toMatchObject({ origin: 'generated', translation: { en: 'current', ru: 'current' }, revision: 1 });
    expect(draft.recommendations.length).toBeGreaterThan(5);
    for (const rec of draft.recommendations) expect(rec).toMatchObject({ origin: 'generated', status: 'accepted', revision: 1 });
    // Reading again changes nothing: synchronisation is idempotent.
    expect((await draftOf()).draft.revision).toBe(draft.revision);
    // Viewers of the country read it; others may not.
    expect((await clients.viewerKz.get(`/api/missions/${kz}/report-draft`)).status).toBe(200);
    expect((await clients.expertKg.get(`/api/missions/${kz}/report-draft`)).status).toBe(403);
  });

  it('rewords a recommendation: 200, "edited", Russian marked for update; a stale write is 409 with both versions; a retry is idempotent', async () => {
    const { draft } = await draftOf();
    const target = draft.recommendations[0] as Rec;
    template = target.text.en;
    const body = { text: { en: 'Adopt a dedicated statute on expedited preservation (edited by the team)' }, priority: 'high', baseRevision: target.revision, opId: 'rec-edit-1' };
    const reply = await clients.manager.request<{ recommendation: Rec; draftRevision: number }>('PUT', `/api/missions/${kz}/report-draft/recommendations/${target.id}`, body);
    expect(reply.status).toBe(200);
    edited = reply.body.recommendation;
    expect(edited).toMatchObject({ status: 'edited', revision: target.revision + 1, translation: { en: 'current', ru: 'needs-update' }, text: { en: body.text.en, ru: target.text.ru } });
    expect(reply.body.draftRevision).toBeGreaterThan(draft.revision);

    const retry = await clients.manager.request<{ recommendation: Rec; replayed: boolean }>('PUT', `/api/missions/${kz}/report-draft/recommendations/${target.id}`, body);
    expect(retry.status).toBe(200);
    expect(retry.body).toMatchObject({ replayed: true, recommendation: { revision: edited.revision } });

    const stale = await clients.manager.request<ErrorBody & { submitted: unknown }>('PUT', `/api/missions/${kz}/report-draft/recommendations/${target.id}`, { text: { en: 'Someone else' }, baseRevision: target.revision, opId: 'rec-edit-2' });
    expect(stale.status).toBe(409);
    expect(isErrorShape(stale.body)).toBe(true);
    expect(stale.body.current?.text.en).toBe(body.text.en);
    expect(stale.body.submitted).toMatchObject({ text: { en: 'Someone else' } });

    const noReason = await clients.manager.request<ErrorBody>('PUT', `/api/missions/${kz}/report-draft/recommendations/${target.id}`, { status: 'dropped', baseRevision: edited.revision });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.details[0]?.path).toBe('reason');
  });

  it('lets experts of the country edit texts and propose recommendations, but not re-word recommendations; viewers only read', async () => {
    const { draft } = await draftOf();
    const summary = draft.texts.find((text) => text.key === 'executive-summary') as Text;
    expect((await clients.viewerKz.request('PUT', `/api/missions/${kz}/report-draft/texts/executive-summary`, { en: 'x', baseRevision: summary.revision })).status).toBe(403);
    expect((await clients.expertKg.request('PUT', `/api/missions/${kz}/report-draft/texts/executive-summary`, { en: 'x', baseRevision: summary.revision })).status).toBe(403);
    expect((await clients.expertKz.request('PUT', `/api/missions/${kz}/report-draft/recommendations/${edited.id}`, { priority: 'low', baseRevision: edited.revision })).status).toBe(403);

    const text = await clients.expertKz.request<{ text: Text }>('PUT', `/api/missions/${kz}/report-draft/texts/executive-summary`, { en: 'Kazakhstan has made real progress since 2022; the team’s summary.', baseRevision: summary.revision, opId: 'text-1' });
    expect(text.status).toBe(200);
    expect(text.body.text).toMatchObject({ origin: 'edited', translation: { en: 'current', ru: 'needs-update' } });

    const proposal = await clients.expertKz.request<{ recommendation: Rec }>('POST', `/api/missions/${kz}/report-draft/recommendations`, {
      text: { en: 'Open a regional cybercrime training centre in Almaty', ru: 'Открыть региональный учебный центр по киберпреступности в Алматы' },
      priority: 'high', timeframe: 'medium', institution: ['training', 'Academy of Law Enforcement'], indicators: [edited.indicators[0]], references: [], opId: 'custom-1',
    });
    expect(proposal.status).toBe(201);
    custom = proposal.body.recommendation;
    expect(custom).toMatchObject({ origin: 'custom', status: 'accepted', translation: { en: 'current', ru: 'current' } });
    const bad = await clients.manager.request<ErrorBody>('POST', `/api/missions/${kz}/report-draft/recommendations`, { text: { en: 'x' }, indicators: ['nope/none'] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0]?.path).toBe('indicators.0');
  });

  it('prints the edited and the custom recommendation in the PDF instead of the template, and "Draft" on every page', async () => {
    const pages = await draftPdfText('en');
    const text = pages.join(' ');
    expect(text).toContain('Adopt a dedicated statute on expedited preservation (edited by the team)');
    expect(text).toContain('Open a regional cybercrime training centre in Almaty');
    expect(text).toContain('Kazakhstan has made real progress since 2022');
    expect(occurrences(text, squash(template))).toBe(0);
    for (const page of pages) expect(page).toContain('Draft');
  }, 180_000);

  let first: VersionView;

  it('refuses to finalise while a Russian text needs an update (422 with the list), accepts after', async () => {
    const refused = await clients.manager.request<ErrorBody>('POST', `/api/missions/${kz}/report-draft/finalize`, { languages: ['en', 'ru'] });
    expect(refused.status).toBe(422);
    expect(isErrorShape(refused.body)).toBe(true);
    expect(refused.body.error.details.map((detail) => detail.path).sort()).toEqual([`recommendations.${edited.id}.ru`, 'texts.executive-summary.ru']);
    // English alone is publishable already.
    const { draft } = await draftOf();
    const rec = draft.recommendations.find((candidate) => candidate.id === edited.id) as Rec;
    const summary = draft.texts.find((text) => text.key === 'executive-summary') as Text;
    expect((await clients.manager.request('PUT', `/api/missions/${kz}/report-draft/recommendations/${rec.id}`, { text: { ru: 'Принять специальный закон об оперативном обеспечении сохранности данных' }, baseRevision: rec.revision })).status).toBe(200);
    expect((await clients.manager.request('PUT', `/api/missions/${kz}/report-draft/texts/executive-summary`, { ru: 'Казахстан добился заметного прогресса с 2022 года.', baseRevision: summary.revision })).status).toBe(200);

    const accepted = await clients.manager.request<VersionView>('POST', `/api/missions/${kz}/report-draft/finalize`, { languages: ['en', 'ru'] });
    expect(accepted.status).toBe(201);
    first = accepted.body;
    expect(first.version).toBe(1);
    expect(first.files.map((file) => `${file.format}/${file.language}`).sort()).toEqual(['docx/en', 'docx/ru', 'pdf/en', 'pdf/ru']);
    for (const file of first.files) {
      const got = await download(clients.manager, file.downloadUrl);
      expect(got.status).toBe(200);
      expect(sha(got.bytes)).toBe(file.sha256);
    }
    expect((await draftOf()).draft.state).toBe('final');
  }, 300_000);

  it('prints the version and approval date on every page, and the DOCX carries the edited and custom texts', async () => {
    const pdf = await download(clients.manager, (first.files.find((file) => file.format === 'pdf' && file.language === 'ru') as FileView).downloadUrl);
    const pages = (await pageTexts(pdf.bytes)).map(squash);
    for (const page of pages) expect(page).toMatch(/Версия 1 · утверждена \d+ [а-я]+ \d{4}/);
    expect(pages.join(' ')).toContain('Принять специальный закон об оперативном обеспечении сохранности данных');

    const docx = await download(clients.manager, (first.files.find((file) => file.format === 'docx' && file.language === 'en') as FileView).downloadUrl);
    expect(docx.headers.get('content-type')).toContain('wordprocessingml');
    const text = (await mammoth.extractRawText({ buffer: Buffer.from(docx.bytes) })).value;
    expect(text).toContain('Adopt a dedicated statute on expedited preservation (edited by the team)');
    expect(text).toContain('Open a regional cybercrime training centre in Almaty');
    expect(text).toContain('Academy of Law Enforcement');
    expect(occurrences(text, template)).toBe(0);
    expect(text).toMatch(/Version 1 · approved/);
  }, 120_000);

  it('keeps the final files byte-identical when answers and targets change later; experts may no longer edit; a correction is version 2 with a change note', async () => {
    const assessments = await clients.manager.get<{ assessments: { id: number }[] }>(`/api/assessments?mission=${kz}`);
    const assessmentId = assessments.body.assessments[0]?.id as number;
    const view = await clients.manager.get<{ answers: { questionId: string; value: unknown; revision: number; status: string }[] }>(`/api/assessments/${assessmentId}`);
    const answer = view.body.answers.find((candidate) => candidate.status === 'current' && typeof candidate.value === 'number' && candidate.value >= 0 && candidate.value < 4);
    if (!answer) throw new Error('the demo assessment has no numeric answer below 4');
    const before = await clients.manager.request<{ report: { dataRevision: number } }>('POST', `/api/missions/${kz}/reports`, { language: 'en' });
    const saved = await clients.manager.request('PUT', `/api/assessments/${assessmentId}/answers/${answer.questionId}`, { value: (answer.value as number) + 1, baseRevision: answer.revision, opId: 'answer-after-final' });
    expect(saved.status).toBe(200);

    for (const file of first.files) {
      const stored = await readFile(join(reportsDir, 'final', `mission-${kz}`, 'v1', file.fileName));
      expect(sha(stored)).toBe(file.sha256);
    }
    const after = await clients.manager.request<{ report: { dataRevision: number } }>('POST', `/api/missions/${kz}/reports`, { language: 'en' });
    expect(after.body.report.dataRevision).toBeGreaterThan(before.body.report.dataRevision);
    // A target change alone changes what is printed, so it changes the data revision too.
    const [questionnaireId] = edited.indicators[0]?.split('/') ?? [];
    const targetSet = await clients.manager.request('PUT', `/api/countries/KZ/targets/${questionnaireId}/${edited.indicators[0]?.split('/')[1]}`, { target: 2 });
    expect(targetSet.status).toBe(200);
    const afterTarget = await clients.manager.request<{ report: { dataRevision: number } }>('POST', `/api/missions/${kz}/reports`, { language: 'en' });
    expect(afterTarget.body.report.dataRevision).toBeGreaterThan(after.body.report.dataRevision);

    expect((await clients.expertKz.request('PUT', `/api/missions/${kz}/report-draft/texts/methodology`, { en: 'late', baseRevision: 1 })).status).toBe(403);
    const again = await clients.manager.request<ErrorBody>('POST', `/api/missions/${kz}/report-draft/finalize`, { languages: ['en'] });
    expect(again.status).toBe(409);

    const { draft } = await draftOf();
    const methodology = draft.texts.find((text) => text.key === 'methodology') as Text;
    expect((await clients.manager.request('PUT', `/api/missions/${kz}/report-draft/texts/methodology`, { en: 'Scope corrected after review.', ru: 'Охват уточнён после проверки.', baseRevision: methodology.revision })).status).toBe(200);
    expect((await draftOf()).draft.state).toBe('draft');
    const noNote = await clients.manager.request<ErrorBody>('POST', `/api/missions/${kz}/report-draft/finalize`, { languages: ['en'] });
    expect(noNote.status).toBe(400);
    expect(noNote.body.error.details[0]?.path).toBe('changeNote');
    const second = await clients.manager.request<VersionView>('POST', `/api/missions/${kz}/report-draft/finalize`, { languages: ['en'], changeNote: 'Scope paragraph corrected' });
    expect(second.status).toBe(201);
    expect(second.body).toMatchObject({ version: 2, changeNote: 'Scope paragraph corrected' });
    expect(second.body.dataRevision).toBeGreaterThan(first.dataRevision);

    const { versions } = await draftOf();
    expect(versions.map((version) => version.version)).toEqual([2, 1]);
    for (const file of versions[1]?.files ?? []) expect(sha((await download(clients.manager, file.downloadUrl)).bytes)).toBe(first.files.find((f) => f.format === file.format && f.language === file.language)?.sha256);
  }, 300_000);
});
