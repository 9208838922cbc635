/**
 * The report workspace driven as a manager would, in real Chromium against a real server (demo data,
 * real questionnaires, a real SQLite file): one click from the mission page, edit a text by keyboard,
 * a conflicting save by someone else resolved with both versions side by side, the translation list,
 * generation off the request announced without a reload, finalisation, and both formats downloaded.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, seedUser, startTestServer } from '../api/helpers.js';
import { signInWithForm } from './helpers.js';

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--lang=en-US'];

let server: Awaited<ReturnType<typeof startTestServer>>;
let browser: Browser;
let page: Page;
let expert: Client;
let kz = 0;

/** Selects the field's text and types over it, as a person would with the keyboard. */
async function typeOver(selector: string, text: string): Promise<void> {
  await page.focus(selector);
  await page.keyboard.down('Control');
  await page.keyboard.press('KeyA');
  await page.keyboard.up('Control');
  await page.keyboard.type(text);
}

async function cookieHeader(): Promise<string> {
  return (await page.cookies()).map((cookie) => `${cookie.name}=${cookie.value}`).join('; ');
}

beforeAll(async () => {
  const reportsDir = join(await mkdtemp(join(tmpdir(), 'ena-workspace-e2e-')), 'reports');
  server = await startTestServer({ demo: true, demoDir: resolve('data/demo'), env: { ENA_QUESTIONNAIRES: resolve('questionnaires'), ENA_REPORTS: reportsDir } });
  await seedUser(server.store, 'manager@test', 'manager');
  await seedUser(server.store, 'manager2@test', 'manager');
  await seedUser(server.store, 'expert.kz@test', 'expert', ['KZ']);
  expert = new Client(server.url);
  expect((await expert.login('expert.kz@test')).status).toBe(201);
  const missions = await expert.get<{ missions: { id: number; countryCode: string }[] }>('/api/missions');
  kz = missions.body.missions.find((mission) => mission.countryCode === 'KZ')?.id ?? 0;
  browser = await puppeteer.launch({ args: CHROMIUM_ARGS });
  page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  await signInWithForm(page, server.url, 'manager@test');
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('report workspace in the browser', () => {
  it('is one click from the mission page', async () => {
    await page.goto(`${server.url}/missions/${kz}`);
    await Promise.all([page.waitForNavigation(), page.click(`a[href="/missions/${kz}/report-workspace"]`)]);
    expect(await page.$eval('h1', (h1) => h1.textContent)).toContain('Report workspace');
    expect(await page.$$eval('#recs-title ~ form.draft-item', (forms) => forms.length)).toBeGreaterThan(5);
  }, 60_000);

  it('saves an edit by keyboard, lists the Russian text as needing a translation, and resolves a conflict with both versions shown', async () => {
    const field = '#text-executive-summary-en';
    await typeOver(field, 'Kazakhstan has the legal basis; practice lags behind. (manager)');
    await page.keyboard.press('Tab'); // to the Russian field
    await page.keyboard.press('Tab'); // to the Save button
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    expect(await page.$eval(field, (area) => (area as HTMLTextAreaElement).value)).toContain('(manager)');
    expect(await page.$eval('#pending-title + ul', (list) => list.textContent)).toContain('Executive summary');

    // Someone else saves the same text while this page is open.
    const draft = await expert.get<{ draft: { texts: { key: string; revision: number }[] } }>(`/api/missions/${kz}/report-draft`);
    const revision = draft.body.draft.texts.find((text) => text.key === 'executive-summary')?.revision as number;
    expect((await expert.request('PUT', `/api/missions/${kz}/report-draft/texts/executive-summary`, { en: 'Expert wording of the summary.', baseRevision: revision })).status).toBe(200);

    await typeOver(field, 'Manager wording, second pass.');
    const [response] = await Promise.all([page.waitForNavigation(), page.click('#text-executive-summary button[type="submit"]')]);
    expect(response?.status()).toBe(409);
    const conflict = await page.$eval('#text-executive-summary .conflict', (box) => box.textContent ?? '');
    expect(conflict).toContain('Expert wording of the summary.');
    expect(conflict).toContain('Manager wording, second pass.');
    expect(await page.$eval(field, (area) => (area as HTMLTextAreaElement).value)).toBe('Manager wording, second pass.');
    await Promise.all([page.waitForNavigation(), page.click('#text-executive-summary button[type="submit"]')]);
    const after = await expert.get<{ draft: { texts: { key: string; en: string }[] } }>(`/api/missions/${kz}/report-draft`);
    expect(after.body.draft.texts.find((text) => text.key === 'executive-summary')?.en).toBe('Manager wording, second pass.');
  }, 60_000);

  it('labels in Russian where each text came from, in words that agree with every section title', async () => {
    await Promise.all([page.waitForNavigation(), page.click('button[name="language"][value="ru"]')]);
    const badge = (anchor: string) => page.$eval(`#${anchor} h3 .badge`, (span) => span.textContent ?? '');
    // «Резюме» is neuter, «Выводы» plural, «Методология и сфера охвата» feminine: one masculine form fits none.
    expect(await badge('text-executive-summary')).toBe('текст отредактирован');
    expect(await badge('text-methodology')).toBe('текст сформирован автоматически');
    await Promise.all([page.waitForNavigation(), page.click('button[name="language"][value="en"]')]);
  }, 60_000);

  it('keeps what was typed and says what is missing when a recommendation is dropped without a reason', async () => {
    const form = await page.$eval('#recs-title ~ form.draft-item', (element) => element.id);
    await typeOver(`#${form}-en`, 'Merged into the preservation recommendation. (typed before the refusal)');
    await page.select(`#${form}-status`, 'dropped');
    await typeOver(`#${form}-reason`, '');
    const [refused] = await Promise.all([page.waitForNavigation(), page.click(`#${form} button[type="submit"]`)]);
    expect(refused?.status()).toBe(400);
    expect(await page.$eval(`#${form}-error`, (box) => box.textContent ?? '')).toContain('Give the reason for dropping this recommendation');
    expect(await page.$eval(`#${form}-en`, (area) => (area as HTMLTextAreaElement).value)).toBe('Merged into the preservation recommendation. (typed before the refusal)');
    expect(await page.$eval(`#${form}-status`, (select) => (select as HTMLSelectElement).value)).toBe('dropped');
    await typeOver(`#${form}-reason`, 'Merged with the preservation recommendation');
    const [saved] = await Promise.all([page.waitForNavigation(), page.click(`#${form} button[type="submit"]`)]);
    expect(saved?.status()).toBe(200);
    expect(await page.$(`#${form}-error`)).toBeNull();
    const draft = await expert.get<{ draft: { recommendations: { id: number; status: string; reason: string | null; text: { en: string } }[] } }>(`/api/missions/${kz}/report-draft`);
    const stored = draft.body.draft.recommendations.find((rec) => `rec-${rec.id}` === form);
    expect(stored).toMatchObject({ status: 'dropped', reason: 'Merged with the preservation recommendation', text: { en: 'Merged into the preservation recommendation. (typed before the refusal)' } });
  }, 60_000);

  it('keeps every field typed, not only the texts, when a recommendation was saved by someone else meanwhile', async () => {
    await page.goto(`${server.url}/missions/${kz}/report-workspace`);
    const form = await page.$eval('#recs-title ~ form.draft-item:not(.draft-item--out)', (element) => element.id);
    const id = Number(form.replace('rec-', ''));
    const priority = await page.$eval(`#${form}-priority`, (select) => [...(select as HTMLSelectElement).options].find((option) => !option.selected)?.value ?? '');
    await typeOver(`#${form}-en`, 'First manager wording.');
    await typeOver(`#${form}-ru`, 'Формулировка первого руководителя.'); // both languages: nothing left to translate
    await page.select(`#${form}-priority`, priority);

    const other = new Client(server.url);
    expect((await other.login('manager2@test')).status).toBe(201);
    const draft = await other.get<{ draft: { recommendations: { id: number; revision: number }[] } }>(`/api/missions/${kz}/report-draft`);
    const revision = draft.body.draft.recommendations.find((rec) => rec.id === id)?.revision as number;
    expect((await other.request('PUT', `/api/missions/${kz}/report-draft/recommendations/${id}`, { text: { en: 'Second manager wording.' }, baseRevision: revision })).status).toBe(200);

    const [conflict] = await Promise.all([page.waitForNavigation(), page.click(`#${form} button[type="submit"]`)]);
    expect(conflict?.status()).toBe(409);
    expect(await page.$eval(`#${form} .conflict`, (box) => box.textContent ?? '')).toContain('Second manager wording.');
    expect(await page.$eval(`#${form}-en`, (area) => (area as HTMLTextAreaElement).value)).toBe('First manager wording.');
    expect(await page.$eval(`#${form}-priority`, (select) => (select as HTMLSelectElement).value)).toBe(priority);
    await Promise.all([page.waitForNavigation(), page.click(`#${form} button[type="submit"]`)]);
    const after = await other.get<{ draft: { recommendations: { id: number; priority: string; text: { en: string } }[] } }>(`/api/missions/${kz}/report-draft`);
    expect(after.body.draft.recommendations.find((rec) => rec.id === id)).toMatchObject({ priority, text: { en: 'First manager wording.' } });
  }, 60_000);

  it('generates a Word file off the request and announces it without a reload', async () => {
    await page.select('#gen-format', 'docx');
    await page.select('#gen-language', 'bilingual');
    await Promise.all([page.waitForNavigation(), page.click('#generate-title + form button')]);
    await page.evaluate(() => { (window as unknown as { marker: string }).marker = 'same page'; });
    await page.waitForSelector('.job-status a.job-download', { timeout: 120_000 });
    expect(await page.evaluate(() => (window as unknown as { marker?: string }).marker)).toBe('same page');
    expect(await page.$eval('#gen-language', (select) => (select as HTMLSelectElement).value)).toBe('bilingual');
    const href = await page.$eval('.job-status a.job-download', (link) => link.getAttribute('href') ?? '');
    const file = await fetch(server.url + href, { headers: { cookie: await cookieHeader() } });
    expect(file.status).toBe(200);
    expect(Buffer.from(await file.arrayBuffer()).subarray(0, 2).toString('latin1')).toBe('PK');
  }, 180_000);

  it('refuses to finalise while the Russian summary needs an update, finalises after, and downloads both formats', async () => {
    await page.goto(`${server.url}/missions/${kz}/report-workspace`);
    await Promise.all([page.waitForNavigation(), page.click('#finalize-title ~ form button[type="submit"]')]);
    // The reason names the section and language, links to the field, and shows no internal path.
    const refusal = await page.$eval('#finalize-title ~ .notice', (box) => box.textContent ?? '');
    expect(refusal).toContain('Executive summary: the Russian text has not been brought up to date since the English one was edited');
    expect(refusal).not.toContain('texts.executive-summary.ru');
    await page.click('#finalize-title ~ .notice a[href="#text-executive-summary-ru"]');
    expect(await page.evaluate(() => document.activeElement?.id ?? location.hash)).toMatch(/text-executive-summary-ru/);

    await typeOver('#text-executive-summary-ru', 'У Казахстана есть правовая основа; практика отстаёт.');
    await Promise.all([page.waitForNavigation(), page.click('#text-executive-summary button[type="submit"]')]);
    expect(await page.$('#pending-title')).toBeNull();

    await Promise.all([page.waitForNavigation({ timeout: 240_000 }), page.click('#finalize-title ~ form button[type="submit"]')]);
    const links = await page.$$eval('#versions-title + ul a[download]', (anchors) => anchors.map((a) => a.getAttribute('href') ?? ''));
    expect(links).toHaveLength(4);
    const kinds = new Set<string>();
    for (const link of links) {
      const file = await fetch(server.url + link, { headers: { cookie: await cookieHeader() } });
      expect(file.status).toBe(200);
      const head = Buffer.from(await file.arrayBuffer()).subarray(0, 4).toString('latin1');
      kinds.add(head.startsWith('%PDF') ? 'pdf' : head.startsWith('PK') ? 'docx' : head);
    }
    expect([...kinds].sort()).toEqual(['docx', 'pdf']);
    expect(await page.$eval('h1 + p', (line) => line.textContent ?? '')).toContain('final');
  }, 300_000);
});
