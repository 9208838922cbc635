/**
 * A report never claims an approval it does not have: once the data moves after a version was approved,
 * every live render of the final draft (PDF, DOCX, HTML preview, report jobs, `ena report`) says it is not the approved
 * text, and so it does once other questionnaire files are installed, while the stored version files keep their approval line and their SHA-256. Real server, real
 * database on both engines, real Chromium; PDFs read back with pdftotext, DOCX with mammoth.
 */
import { createHash } from 'node:crypto';
import { cp, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import mammoth from 'mammoth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStoreSource, registerReport } from '../../src/cli/commands/report.js';
import { createAssessment } from '../../src/storage/assessments.js';
import { SYSTEM } from '../../src/storage/audit.js';
import { createCountry } from '../../src/storage/countries.js';
import { createMission } from '../../src/storage/missions.js';
import { updateUser } from '../../src/storage/users.js';
import { Client, FIXTURES, PASSWORD, seedUser, startTestServer } from '../api/helpers.js';
import { pageTexts, pageWords, squash } from '../report/pdfText.js';
import { databaseEnv, ENGINES } from '../support/engines.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;
interface FileView { format: string; language: string; sha256: string; downloadUrl: string }
interface VersionView { version: number; dataRevision: number; files: FileView[] }
interface JobView { status: string; statusUrl: string; downloadUrl: string | null; error: string | null }

const APPROVED_EN = /Version 1 · approved \d+ [A-Z][a-z]+ \d{4}/;
const APPROVED_RU = /Версия 1 · утверждена \d+ [а-я]+ \d{4}/;
const CHANGED_EN = /Not the approved text: version 1 was approved on \d+ [A-Z][a-z]+ \d{4} \(data revision (\d+)\)/;
const CHANGED_RU = /Текст не утверждён: версия 1 утверждена \d+ [а-я]+ \d{4} г\. \(версия данных (\d+)\)/;

/** The text a CSS `content` string prints (html.ts#cssString escapes all but letters, digits and a few marks). */
const cssText = (css: string): string => css.replace(/\\([0-9a-f]{1,6}) ?/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)));

describe.each(ENGINES)('approval status of live reports on %s', (engine) => {
  let server: Server;
  let manager: Client;
  let missionId = 0;
  let assessmentId = 0;
  let approved: VersionView;

  const raw = async (path: string, init: RequestInit = {}): Promise<Response> =>
    fetch(server.url + path, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), cookie: manager.cookie ?? '' } });
  const bytesOf = async (path: string): Promise<Uint8Array> => {
    const response = await raw(path);
    expect(response.status).toBe(200);
    return new Uint8Array(await response.arrayBuffer());
  };
  const livePdf = async (language: 'en' | 'ru' | 'bilingual'): Promise<Uint8Array> => {
    const reply = await manager.request<{ report: { downloadUrl: string } }>('POST', `/api/missions/${missionId}/reports`, { language });
    expect(reply.status).toBe(201);
    return bytesOf(reply.body.report.downloadUrl);
  };
  const livePdfPages = async (language: 'en' | 'ru' | 'bilingual'): Promise<string[]> => (await pageTexts(await livePdf(language))).map(squash);
  /** The preview's status: on screen on the cover, and in the page footer when printed. */
  const previewStatus = async (language: 'en' | 'ru'): Promise<{ cover: string; footer: string }> => {
    const response = await raw(`/missions/${missionId}/report?lang=${language}`);
    expect(response.status).toBe(200);
    const html = await response.text();
    const cover = /<div class="cover-status[^"]*">([\s\S]*?)<\/div>/.exec(html)?.[1] ?? '';
    return { cover: squash(cover), footer: cssText(/@bottom-left \{ content: ([^;]*);/.exec(html)?.[1] ?? '') };
  };
  const jobDocxText = async (language: 'en' | 'ru'): Promise<string> => {
    const started = await manager.request<{ job: JobView }>('POST', `/api/missions/${missionId}/report-draft/jobs`, { language, format: 'docx' });
    expect([200, 202]).toContain(started.status);
    let job = started.body.job;
    for (let i = 0; i < 480 && job.status !== 'done' && job.status !== 'failed'; i++) {
      await new Promise((done) => setTimeout(done, 250));
      job = (await manager.get<{ job: JobView }>(job.statusUrl)).body.job;
    }
    expect(job).toMatchObject({ status: 'done', error: null });
    return (await mammoth.extractRawText({ buffer: Buffer.from(await bytesOf(job.downloadUrl as string)) })).value;
  };
  const saveAnswer = async (value: number, baseRevision: number): Promise<void> => {
    const saved = await manager.request('PUT', `/api/assessments/${assessmentId}/answers/preservation-power`, { value, baseRevision, opId: `answer-${baseRevision}` });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
  };

  beforeAll(async () => {
    const reportsDir = join(await mkdtemp(join(tmpdir(), 'ena-approval-')), 'reports');
    server = await startTestServer({ engine, env: { ENA_REPORTS: reportsDir } });
    const { db } = server.store;
    await createCountry(db, SYSTEM, { code: 'KZ', name: { en: 'Kazakhstan', ru: 'Казахстан' } });
    missionId = (await createMission(db, SYSTEM, { countryCode: 'KZ', title: 'Kazakhstan 2026', startsOn: '2026-02-10', endsOn: '2026-02-12' })).id;
    assessmentId = (await createAssessment(db, SYSTEM, { missionId, questionnaireId: 'preservation-demo', questionnaireVersion: 1 })).id;
    await seedUser(db, 'manager@test', 'manager');
    manager = new Client(server.url);
    expect((await manager.login('manager@test', PASSWORD)).status).toBe(201);
    await saveAnswer(1, 0);
  }, 120_000);
  afterAll(async () => server?.close());

  it('prints "Version 1 · approved" on every page of the approved files and of a live render of the same data', async () => {
    expect((await manager.get(`/api/missions/${missionId}/report-draft`)).status).toBe(200);
    const finalized = await manager.request<VersionView>('POST', `/api/missions/${missionId}/report-draft/finalize`, { languages: ['en', 'ru'] });
    expect(finalized.status).toBe(201);
    approved = finalized.body;
    const storedRu = approved.files.find((file) => file.format === 'pdf' && file.language === 'ru') as FileView;
    for (const page of (await pageTexts(await bytesOf(storedRu.downloadUrl))).map(squash)) expect(page).toMatch(APPROVED_RU);

    const live = await livePdfPages('en');
    expect(live.length).toBeGreaterThan(3);
    for (const page of live) {
      expect(page).toMatch(APPROVED_EN);
      expect(page).not.toMatch(CHANGED_EN);
    }
    const preview = await previewStatus('en');
    expect(preview.cover).toMatch(APPROVED_EN);
    expect(preview.footer).toMatch(APPROVED_EN);
    const draft = await manager.get<{ status: { kind: string } }>(`/api/missions/${missionId}/report-draft`);
    expect(draft.body.status).toMatchObject({ kind: 'final', version: 1 });
  }, 240_000);

  it('says on every page of a live PDF, DOCX and preview that the text is not the approved one once an answer changed', async () => {
    await saveAnswer(3, 1);
    const { dataRevision } = approved;

    for (const page of await livePdfPages('en')) {
      expect(page).not.toMatch(APPROVED_EN);
      expect(CHANGED_EN.exec(page)?.[1]).toBe(String(dataRevision));
    }
    const russian = await livePdfPages('ru');
    for (const page of russian) {
      expect(page).not.toMatch(APPROVED_RU);
      expect(CHANGED_RU.exec(page)?.[1]).toBe(String(dataRevision));
    }
    // Side by side, both lines still fit in the footer of every page: a wrapped line would push the last
    // footer line onto the edge of the A4 page (841.9 pt high).
    const bilingualPdf = await livePdf('bilingual');
    const bilingual = (await pageTexts(bilingualPdf)).map(squash);
    for (const [index, page] of bilingual.entries()) {
      expect(page).toMatch(CHANGED_EN);
      expect(page).toMatch(CHANGED_RU);
      expect(page).toContain(`Page ${index + 1} of ${bilingual.length}`);
    }
    for (const words of await pageWords(bilingualPdf)) expect(Math.max(...words.map((word) => word.yMax))).toBeLessThan(838);

    for (const [language, changed] of [['en', CHANGED_EN], ['ru', CHANGED_RU]] as const) {
      const preview = await previewStatus(language);
      expect(preview.cover).toMatch(changed);
      expect(preview.footer).toMatch(changed);
    }
    const docx = await jobDocxText('en');
    expect(docx).toMatch(CHANGED_EN);
    expect(docx).not.toMatch(APPROVED_EN);

    const draft = await manager.get<{ status: { kind: string; approvedDataRevision: string }; dataRevision: string }>(`/api/missions/${missionId}/report-draft`);
    expect(draft.body.status).toMatchObject({ kind: 'changed', version: 1, change: 'data', approvedDataRevision: String(dataRevision) });
    expect(Number(draft.body.dataRevision)).toBeGreaterThan(dataRevision);
  }, 300_000);

  it('keeps the approved files as they were, and the workspace page tells the manager and points to them', async () => {
    for (const file of approved.files) {
      const bytes = await bytesOf(file.downloadUrl);
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(file.sha256);
      if (file.format === 'pdf' && file.language === 'en') for (const page of (await pageTexts(bytes)).map(squash)) expect(page).toMatch(APPROVED_EN);
    }
    const page = await (await raw(`/missions/${missionId}/report-workspace`)).text();
    const notice = /<div class="notice notice--warning" role="status" id="approval-changed">([\s\S]*?)<\/div>/.exec(page)?.[1] ?? '';
    expect(squash(notice.replace(/<[^>]+>/g, ' '))).toMatch(/Version 1 was approved on .+ at data revision \d+; the data is now at revision \d+/);
    expect(notice).toContain('href="#versions-title"');

    // A Russian-speaking manager reads the same in Russian.
    await updateUser(server.store.db, SYSTEM, await seedUser(server.store, 'manager.ru@test', 'manager'), { language: 'ru' });
    const colleague = new Client(server.url);
    expect((await colleague.login('manager.ru@test', PASSWORD)).status).toBe(201);
    const russian = await (await fetch(`${server.url}/missions/${missionId}/report-workspace`, { headers: { cookie: colleague.cookie ?? '' } })).text();
    const noticeRu = /<div class="notice notice--warning" role="status" id="approval-changed">([\s\S]*?)<\/div>/.exec(russian)?.[1] ?? '';
    expect(squash(noticeRu.replace(/<[^>]+>/g, ' '))).toMatch(/Версия 1 утверждена .+ при версии данных \d+; текущая версия данных — \d+/);
  }, 60_000);

  it('prints the same from the command line (ena report country)', async () => {
    const out = await mkdtemp(join(tmpdir(), 'ena-approval-cli-'));
    const saved = { ...process.env };
    try {
      Object.assign(process.env, databaseEnv(server.dbFile), { ENA_QUESTIONNAIRES: FIXTURES });
      const program = new Command('ena').exitOverride();
      registerReport(program, { openSource: openStoreSource, out: { log: () => undefined } });
      await program.parseAsync(['node', 'ena', 'report', 'country', 'KZ', '--mission', String(missionId), '--lang', 'en', '--out', out]);
    } finally {
      process.env = saved;
    }
    const [file] = (await readdir(out)).filter((name) => name.endsWith('.pdf'));
    for (const page of (await pageTexts(await readFile(join(out, file as string)))).map(squash)) {
      expect(page).toMatch(CHANGED_EN);
      expect(page).not.toMatch(APPROVED_EN);
    }
  }, 60_000);

  it('lets the manager (not an expert) start the next version from the page; its approval holds for the current data again', async () => {
    await seedUser(server.store, 'expert.kz@test', 'expert', ['KZ']);
    const expert = new Client(server.url);
    expect((await expert.login('expert.kz@test', PASSWORD)).status).toBe(201);
    const refused = await fetch(`${server.url}/missions/${missionId}/report-workspace/next-version`, {
      method: 'POST', redirect: 'manual', body: new URLSearchParams({ _csrf: expert.csrfToken ?? '' }), headers: { cookie: expert.cookie ?? '', 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(refused.status).toBe(403);
    expect((await manager.get<{ draft: { state: string } }>(`/api/missions/${missionId}/report-draft`)).body.draft.state).toBe('final');

    const body = new URLSearchParams({ _csrf: manager.csrfToken ?? '' });
    const reopened = await raw(`/missions/${missionId}/report-workspace/next-version`, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(reopened.status).toBe(303);
    const draft = await manager.get<{ draft: { state: string }; status: { kind: string } }>(`/api/missions/${missionId}/report-draft`);
    expect(draft.body).toMatchObject({ draft: { state: 'draft' }, status: { kind: 'draft' } });
    expect(await (await raw(`/missions/${missionId}/report-workspace`)).text()).not.toContain('id="approval-changed"');
    for (const page of await livePdfPages('en')) expect(page).not.toMatch(/approved/);

    const second = await manager.request<VersionView>('POST', `/api/missions/${missionId}/report-draft/finalize`, { languages: ['en'], changeNote: 'Answers revised after the approval' });
    expect(second.status).toBe(201);
    for (const page of await livePdfPages('en')) expect(page).toMatch(/Version 2 · approved \d+ [A-Z][a-z]+ \d{4}/);
  }, 240_000);
});

describe.each(ENGINES)('approval status after other questionnaire files are installed, on %s', (engine) => {
  let server: Server | undefined;
  afterAll(async () => server?.close());

  it('no longer claims the approval once a weight changed in the installed questionnaire, the data being the same', async () => {
    const questionnaires = await mkdtemp(join(tmpdir(), 'ena-approval-questionnaires-'));
    await cp(FIXTURES, questionnaires, { recursive: true });
    const env = { ENA_QUESTIONNAIRES: questionnaires, ENA_REPORTS: join(questionnaires, '..', 'reports') };
    server = await startTestServer({ engine, env });
    const { db } = server.store;
    await createCountry(db, SYSTEM, { code: 'KZ', name: { en: 'Kazakhstan', ru: 'Казахстан' } });
    const missionId = (await createMission(db, SYSTEM, { countryCode: 'KZ', title: 'Kazakhstan 2026', startsOn: '2026-02-10', endsOn: '2026-02-12' })).id;
    const assessmentId = (await createAssessment(db, SYSTEM, { missionId, questionnaireId: 'preservation-demo', questionnaireVersion: 1 })).id;
    await seedUser(db, 'manager@test', 'manager');
    const signIn = async (): Promise<Client> => {
      const client = new Client((server as Server).url);
      expect((await client.login('manager@test', PASSWORD)).status).toBe(201);
      return client;
    };
    let manager = await signIn();
    expect((await manager.request('PUT', `/api/assessments/${assessmentId}/answers/preservation-power`, { value: 1, baseRevision: 0, opId: 'a-1' })).status).toBe(200);
    expect((await manager.get(`/api/missions/${missionId}/report-draft`)).status).toBe(200);
    expect((await manager.request('POST', `/api/missions/${missionId}/report-draft/finalize`, { languages: ['en'] })).status).toBe(201);
    expect((await manager.get<{ status: { kind: string } }>(`/api/missions/${missionId}/report-draft`)).body.status.kind).toBe('final');

    // The same database served with a questionnaire whose weight an author changed (version not raised).
    const dbFile = server.dbFile;
    await server.close();
    server = undefined;
    const file = join(questionnaires, 'preservation-demo.yaml');
    const yaml = await readFile(file, 'utf8');
    expect(yaml).toContain('weight: 3 ');
    await writeFile(file, yaml.replace('weight: 3 ', 'weight: 1 '));
    server = await startTestServer({ dbFile, env });
    manager = await signIn();
    const draft = await manager.get<{ status: { kind: string; change: string } }>(`/api/missions/${missionId}/report-draft`);
    expect(draft.body.status).toMatchObject({ kind: 'changed', change: 'questionnaires' });
    const reply = await manager.request<{ report: { downloadUrl: string } }>('POST', `/api/missions/${missionId}/reports`, { language: 'en' });
    expect(reply.status).toBe(201);
    const pdf = await fetch(server.url + reply.body.report.downloadUrl, { headers: { cookie: manager.cookie ?? '' } });
    for (const page of (await pageTexts(new Uint8Array(await pdf.arrayBuffer()))).map(squash)) {
      expect(page).toMatch(/Not the approved text: version 1 was approved on \d+ [A-Z][a-z]+ \d{4} with other questionnaire files/);
      expect(page).not.toMatch(APPROVED_EN);
    }
  }, 240_000);
});
