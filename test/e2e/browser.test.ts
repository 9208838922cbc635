/**
 * The web interface in real Chromium, driven as an expert would: sign in, switch to Russian and back,
 * answer every question type (one of them with the keyboard only), watch a conditional question
 * appear, lose the network, keep typing, reload, get the network back, and find every answer stored
 * through the API; then a second expert edits the same answers and the conflicts are resolved in the
 * UI; and an expert is refused a country not assigned to them. The offline and conflict screenshots of
 * the README come from this run (see screenshots.ts).
 */
import puppeteer, { type Browser, type BrowserContext, type Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshotPath } from './screenshots.js';
import { networkSwitch, PASSWORD, signInWithForm, startSeededServer, type NetworkSwitch, type Seeded } from './helpers.js';

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-default-apps', '--disable-extensions', '--mute-audio', '--lang=en-US'];

let seeded: Seeded;
/** The browser reaches ENA through this relay (base URL `site`); the tests check the API directly. */
let network: NetworkSwitch;
let site: string;
let browser: Browser;
let expertContext: BrowserContext;
let page: Page;
let fillUrl: string;
let assessmentId: number;

interface ApiAnswer {
  questionId: string;
  value: unknown;
  note: string | null;
  source: string | null;
  evidence: string | null;
  revision: number;
}

/** Reads the stored answers through the JSON API, signed in as the given user. */
async function answersViaApi(email: string): Promise<Map<string, ApiAnswer>> {
  const login = await fetch(`${seeded.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: PASSWORD }) });
  expect(login.status).toBe(201);
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const response = await fetch(`${seeded.url}/api/assessments/${assessmentId}`, { headers: { cookie } });
  expect(response.status).toBe(200);
  const body = (await response.json()) as { answers: ApiAnswer[] };
  return new Map(body.answers.map((answer) => [answer.questionId, answer]));
}

async function signIn(target: Page, email: string): Promise<void> {
  await signInWithForm(target, site, email);
}

const statusText = (target: Page): Promise<string> => target.$eval('[data-save-status]', (element) => element.textContent ?? '');

async function waitForStatus(target: Page, pattern: RegExp, timeout = 15_000): Promise<string> {
  await target.waitForFunction((source: string) => new RegExp(source).test(document.querySelector('[data-save-status]')?.textContent ?? ''), { timeout }, pattern.source);
  return statusText(target);
}

/**
 * Offline as an expert experiences it: page.setOfflineMode(true) makes the page see the network gone
 * (navigator.onLine, the offline and online events, failing requests), and the relay between browser
 * and server is cut, because Chromium's emulation does not hold for every request that passes through
 * the service worker. Nothing reaches the server until both are back.
 */
async function setOffline(target: Page, offline: boolean): Promise<void> {
  if (offline) network.cut();
  await target.setOfflineMode(offline);
  if (!offline) network.restore();
}

/** Presses Tab until `id` has the focus: proves it is reachable by keyboard, in document order. */
async function tabTo(target: Page, id: string, limit = 30): Promise<number> {
  for (let presses = 1; presses <= limit; presses += 1) {
    await target.keyboard.press('Tab');
    if ((await target.evaluate(() => document.activeElement?.id)) === id) return presses;
  }
  throw new Error(`${id} was not reached with ${limit} presses of Tab`);
}

beforeAll(async () => {
  seeded = await startSeededServer();
  network = await networkSwitch(seeded.url);
  site = network.url;
  assessmentId = seeded.assessment('kz', 'cooperation-demo');
  fillUrl = `${site}/assessments/${assessmentId}`;
  browser = await puppeteer.launch({ args: CHROMIUM_ARGS });
  expertContext = await browser.createBrowserContext();
  page = await expertContext.newPage();
  await page.setViewport({ width: 1280, height: 800 });
});

afterAll(async () => {
  await browser?.close();
  await network?.close();
  await seeded?.close();
});

describe('an expert in Chromium', () => {
  it('signs in, switches to Russian and back, and sees only assigned countries', async () => {
    await signIn(page, 'expert@ena.test');
    expect(await page.$eval('h1', (h) => h.textContent)).toBe('Dashboard');
    await Promise.all([page.waitForNavigation(), page.click('button[name="language"][value="ru"]')]);
    expect(await page.$eval('html', (html) => html.lang)).toBe('ru');
    expect(await page.$eval('h1', (h) => h.textContent)).toBe('Обзор');
    expect(await page.$eval('main', (m) => m.textContent)).toContain('Казахстан');
    await Promise.all([page.waitForNavigation(), page.click('button[name="language"][value="en"]')]);
    expect(await page.$eval('html', (html) => html.lang)).toBe('en');
    const main = await page.$eval('main', (m) => m.textContent ?? '');
    expect(main).toContain('Kazakhstan needs assessment 2025');
    expect(main).not.toContain('Kyrgyzstan');
  });

  it('answers every question type, one with the keyboard only, and a conditional question appears', async () => {
    await page.goto(fillUrl);
    expect(await waitForStatus(page, /^All changes saved$/)).toBe('All changes saved');
    expect(await page.$eval('#q-accession-date', (element) => (element as HTMLElement).hidden)).toBe(true);

    await page.click('label[for="q-treaty-party-v-yes"]');
    // The date question depends on "yes": it appears without a reload.
    await page.waitForSelector('#q-accession-date', { visible: true });
    await page.type('#q-accession-date-date', '05012023');
    await page.type('#q-treaty-party-note', 'Ratified by Law No. 12 <2022>');
    await page.click('label[for="q-treaty-party-e-documented"]');
    await page.click('label[for="q-channel-v-central-authority"]');
    await page.click('label[for="q-data-types-v-traffic"]');
    await page.click('label[for="q-data-types-v-content"]');
    await page.type('#q-requests-per-year-number', '42');
    await page.select('#q-alignment-r-art-16-status', 'partial');
    await page.type('#q-alignment-r-art-16-provision', 'Art. 161 CPC');
    await page.type('#q-remarks-text', 'Replies within 30 days');

    // The maturity question with the keyboard alone: Tab into the group, Space to choose, arrows to move.
    await page.focus('#q-alignment-r-art-29-note');
    // Past the table's unknown / not applicable, note, source, evidence, history link and help summary.
    expect(await tabTo(page, 'q-practice-maturity-v-0')).toBeLessThan(12);
    await page.keyboard.press('Space');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    expect(await page.$eval('#q-practice-maturity-v-2', (input) => (input as HTMLInputElement).checked)).toBe(true);

    await page.click('label[for="q-judicial-authorisation-v-partial"]');
    await waitForStatus(page, /^All changes saved$/);
    expect(await page.$eval('[data-progress-total]', (e) => e.textContent)).toBe('9 / 9');

    const stored = await answersViaApi('expert@ena.test');
    expect(stored.get('treaty-party')).toMatchObject({ value: 'yes', note: 'Ratified by Law No. 12 <2022>', evidence: 'documented' });
    expect(stored.get('accession-date')?.value).toBe('2023-05-01');
    expect(stored.get('channel')?.value).toBe('central-authority');
    expect(stored.get('data-types')?.value).toEqual(['traffic', 'content']);
    expect(stored.get('requests-per-year')?.value).toBe(42);
    expect(stored.get('alignment')?.value).toEqual({ rows: { 'art-16': { status: 'partial', provision: 'Art. 161 CPC' } } });
    expect(stored.get('practice-maturity')?.value).toBe(2);
    expect(stored.get('remarks')?.value).toBe('Replies within 30 days');
    expect(stored.get('judicial-authorisation')?.value).toBe('partial');

    // Answering "no" hides the date question again; its stored answer is kept, not shown.
    await page.click('label[for="q-treaty-party-v-no"]');
    await page.waitForSelector('#q-accession-date', { hidden: true });
    await page.click('label[for="q-treaty-party-v-yes"]');
    await page.waitForSelector('#q-accession-date', { visible: true });
    await waitForStatus(page, /^All changes saved$/);
  });

  it('keeps typing offline, survives a reload without network, and sends everything when the network returns', async () => {
    await setOffline(page, true);
    await page.click('#q-requests-per-year-number', { count: 3 });
    await page.type('#q-requests-per-year-number', '43');
    await page.type('#q-remarks-text', ' (confirmed)');
    await page.type('#q-channel-note', 'Decree of 2023');
    await page.click('label[for="q-data-types-v-subscriber"]');
    expect(await waitForStatus(page, /^Offline — unsent changes: 4\./)).toContain('kept in this browser');
    await page.screenshot({ path: await screenshotPath('fill-in-offline.png') });

    // Reload with the network still down: the page comes from the browser's copy, the changes from the queue.
    await page.reload();
    expect(await waitForStatus(page, /^Offline — unsent changes: 4\./)).toBeTruthy();
    expect(await page.$eval('#q-requests-per-year-number', (input) => (input as HTMLInputElement).value)).toBe('43');
    expect(await page.$eval('#q-remarks-text', (input) => (input as HTMLInputElement).value)).toBe('Replies within 30 days (confirmed)');
    expect(await page.$eval('#q-channel-note', (input) => (input as HTMLTextAreaElement).value)).toBe('Decree of 2023');
    expect(await page.$eval('#q-data-types-v-subscriber', (input) => (input as HTMLInputElement).checked)).toBe(true);
    // Answers saved before the network went down are shown too, though the offline copy predates them.
    expect(await page.$eval('#q-treaty-party-v-yes', (input) => (input as HTMLInputElement).checked)).toBe(true);
    expect(await page.$eval('#q-accession-date', (element) => (element as HTMLElement).hidden)).toBe(false);
    let stored = await answersViaApi('expert@ena.test');
    expect(stored.get('requests-per-year')?.value).toBe(42);

    await setOffline(page, false);
    await waitForStatus(page, /^All changes saved$/, 30_000);
    stored = await answersViaApi('expert@ena.test');
    expect(stored.get('requests-per-year')?.value).toBe(43);
    expect(stored.get('remarks')?.value).toBe('Replies within 30 days (confirmed)');
    expect(stored.get('channel')).toMatchObject({ value: 'central-authority', note: 'Decree of 2023' });
    expect(stored.get('data-types')?.value).toEqual(['subscriber', 'traffic', 'content']);
    expect(await page.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith('ena.pending.') && JSON.parse(localStorage.getItem(key) ?? '{}').ops?.length > 0))).toEqual([]);
  });

  it('shows both versions when a second expert changed the same answer, and the expert chooses', async () => {
    const second = await browser.createBrowserContext();
    const other = await second.newPage();
    await other.setViewport({ width: 1280, height: 800 });
    await signIn(other, 'expert2@ena.test');
    await other.goto(fillUrl);
    await waitForStatus(other, /^All changes saved$/);
    await other.click('label[for="q-channel-v-direct"]');
    await other.click('#q-remarks-text', { count: 3 });
    await other.type('#q-remarks-text', 'Second expert wording');
    await other.keyboard.press('Tab');
    await waitForStatus(other, /^All changes saved$/);

    // The first expert's page still shows the old revision; their next edits are stale.
    await page.click('label[for="q-channel-v-diplomatic"]');
    await page.waitForSelector('#conflict-dialog[open]');
    expect(await page.$eval('[data-conflict-mine]', (e) => e.textContent)).toContain('Diplomatic channel');
    expect(await page.$eval('[data-conflict-theirs]', (e) => e.textContent)).toContain('Direct between authorities');
    // Who made the other change, and which rows differ (the value; the note is the same on both sides).
    expect(await page.$eval('[data-conflict-theirs-meta]', (e) => e.textContent)).toMatch(/^Saved by Erik <b>Second<\/b> \(expert\), revision \d+, /);
    expect(await page.$$eval('[data-conflict-mine] dt.conflict-diff', (terms) => terms.map((term) => term.firstChild?.textContent))).toEqual(['Answer']);
    expect(await statusText(page)).toMatch(/^Needs your decision — conflicts: 1/);
    await page.screenshot({ path: await screenshotPath('conflict.png') });
    // Focus is on "Keep my version": the keyboard alone decides.
    expect(await page.evaluate(() => document.activeElement?.hasAttribute('data-conflict-keep-mine'))).toBe(true);
    await page.keyboard.press('Enter');
    await page.waitForSelector('#conflict-dialog:not([open])');
    await waitForStatus(page, /^All changes saved$/);

    await page.type('#q-remarks-text', ' — first expert');
    await page.waitForSelector('#conflict-dialog[open]');
    expect(await page.$eval('[data-conflict-theirs]', (e) => e.textContent)).toContain('Second expert wording');
    await page.click('[data-conflict-take-theirs]');
    await page.waitForSelector('#conflict-dialog:not([open])');
    await waitForStatus(page, /^All changes saved$/);
    expect(await page.$eval('#q-remarks-text', (input) => (input as HTMLInputElement).value)).toBe('Second expert wording');

    const stored = await answersViaApi('expert2@ena.test');
    expect(stored.get('channel')).toMatchObject({ value: 'diplomatic', note: 'Decree of 2023' });
    expect(stored.get('remarks')?.value).toBe('Second expert wording');

    // Both change the same note: the dialog offers the two texts merged, the expert keeps the merge.
    await other.goto(fillUrl);
    await waitForStatus(other, /^All changes saved$/);
    await other.click('#q-channel-note', { count: 3 });
    await other.type('#q-channel-note', 'Order of the Prosecutor General');
    await other.keyboard.press('Tab');
    await waitForStatus(other, /^All changes saved$/);
    await page.type('#q-channel-note', ';amended2024');
    await page.waitForSelector('#conflict-dialog[open]');
    expect(await page.$eval('[data-merge-row="note"]', (row) => (row as HTMLElement).hidden)).toBe(false);
    expect(await page.$eval('[data-merge-row="source"]', (row) => (row as HTMLElement).hidden)).toBe(true);
    const proposal = 'Decree of 2023;amended2024\n\nOrder of the Prosecutor General';
    expect(await page.$eval('#conflict-merge-note', (input) => (input as HTMLTextAreaElement).value)).toBe(proposal);
    await page.click('[data-conflict-keep-merged]');
    await page.waitForSelector('#conflict-dialog:not([open])');
    await waitForStatus(page, /^All changes saved$/);
    expect(await page.$eval('#q-channel-note', (input) => (input as HTMLTextAreaElement).value)).toBe(proposal);
    expect((await answersViaApi('expert2@ena.test')).get('channel')).toMatchObject({ value: 'diplomatic', note: proposal });
    await second.close();
  });

  it('is refused a country not assigned to them', async () => {
    const response = await page.goto(`${site}/missions/${seeded.missions.kg.id}`);
    expect(response?.status()).toBe(403);
    expect(await page.$eval('h1', (h) => h.textContent)).toBe('Access denied');
    const fill = await page.goto(`${site}/assessments/${seeded.assessment('kg', 'cooperation-demo')}`);
    expect(fill?.status()).toBe(403);
    expect(await page.content()).not.toContain('Kyrgyzstan needs assessment');
  });

  it('signs out and leaves no copy of the answers in the browser', async () => {
    await page.goto(fillUrl);
    await waitForStatus(page, /^All changes saved$/);
    expect(await page.evaluate(async () => caches.has('ena-pages-v1'))).toBe(true);
    await Promise.all([page.waitForNavigation(), page.click('[data-sign-out]')]);
    expect(page.url()).toBe(`${site}/login`);
    await page.waitForFunction(async () => !(await caches.has('ena-pages-v1')));
    expect(await page.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith('ena.pending.')))).toEqual([]);
    // Signed out, the pages are closed.
    const response = await page.goto(fillUrl);
    expect(response?.status()).toBe(401);
    await signIn(page, 'expert@ena.test');
  });

  it('shows the review with the radar chart', async () => {
    await page.goto(`${site}/assessments/${assessmentId}/review`);
    expect(await page.$$eval('.radar__svg polygon', (polygons) => polygons.length)).toBeGreaterThan(4);
  });
});
