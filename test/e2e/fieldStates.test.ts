/**
 * Honest states on the fill-in page, in real Chromium: a viewer's form reads and looks read-only (no
 * editable field, no "saved" status, no "Fill in" offer on the dashboard), and "Unknown" on a multiple
 * choice clears the ticked options on screen while the question says "not saved yet" until the
 * server has the change.
 */
import puppeteer, { type Browser, type Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAnswers } from '../../src/storage/answers.js';
import { networkSwitch, signInWithForm, startSeededServer, type NetworkSwitch, type Seeded } from './helpers.js';

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-default-apps', '--disable-extensions', '--mute-audio', '--lang=en-US'];

let seeded: Seeded;
let network: NetworkSwitch;
let browser: Browser;
let assessmentId: number;

async function signedInPage(email: string): Promise<Page> {
  const page = await (await browser.createBrowserContext()).newPage();
  await page.setViewport({ width: 1280, height: 800 });
  await signInWithForm(page, network.url, email);
  return page;
}

const statusOf = (page: Page): Promise<string> => page.$eval('[data-save-status]', (element) => element.textContent ?? '');
const stateOf = (page: Page, questionId: string): Promise<string> => page.$eval(`#q-${questionId} [data-question-state]`, (element) => element.textContent ?? '');

beforeAll(async () => {
  seeded = await startSeededServer();
  network = await networkSwitch(seeded.url);
  assessmentId = seeded.assessment('kz', 'cooperation-demo');
  browser = await puppeteer.launch({ args: CHROMIUM_ARGS });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await network?.close();
  await seeded?.close();
});

describe('honest states', () => {
  it('shows a viewer a form that reads and looks read-only', async () => {
    const page = await signedInPage('viewer@ena.test');
    const dashboard = await page.$eval('main', (main) => main.textContent ?? '');
    expect(dashboard).not.toContain('Fill in');
    expect(dashboard).toContain('View answers');
    await page.goto(`${network.url}/assessments/${assessmentId}`);
    // Long enough for the script to have run and for a save status to have appeared, if any would.
    await page.waitForFunction(() => document.querySelector('[data-nojs]') === null || (document.querySelector('[data-nojs]') as HTMLElement).hidden);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const status = await statusOf(page);
    expect(status).toMatch(/^Read only/);
    expect(status).not.toMatch(/saved/i);
    const editable = await page.$$eval('#fill-form input:not([type="hidden"]), #fill-form textarea, #fill-form select', (fields) => fields.filter((field) => !(field as HTMLInputElement).matches(':disabled')).map((field) => field.id));
    expect(editable).toEqual([]);
    const look = await page.$eval('#q-remarks-text', (field) => ({ background: getComputedStyle(field).backgroundColor, border: getComputedStyle(field).borderTopColor }));
    expect(look.background).not.toBe('rgb(255, 255, 255)');
    expect(look.border).toBe('rgba(0, 0, 0, 0)');
    expect(await page.$('[data-nojs] button[type="submit"]')).toBeNull();
  });

  it('clears the other options when "Unknown" is ticked, and says "saved" only once the server has it', async () => {
    const page = await signedInPage('expert@ena.test');
    expect(await page.$eval('main', (main) => main.textContent ?? '')).toContain('Fill in');
    await page.goto(`${network.url}/assessments/${assessmentId}`);
    await page.click('label[for="q-data-types-v-traffic"]');
    await page.click('label[for="q-data-types-v-content"]');
    await page.waitForFunction(() => document.querySelector('[data-save-status]')?.textContent === 'All changes saved');
    expect(await stateOf(page, 'data-types')).toMatch(/^Saved, revision \d/);

    network.cut();
    await page.setOfflineMode(true);
    await page.click('label[for="q-data-types-s-unknown"]');
    const ticked = await page.$$eval('[name="q.data-types.value"]', (inputs) => inputs.filter((input) => (input as HTMLInputElement).checked).map((input) => (input as HTMLInputElement).value));
    expect(ticked).toEqual([]);
    expect(await stateOf(page, 'data-types')).toBe('Changed — not saved yet');
    expect(await statusOf(page)).toMatch(/^Offline — unsent changes: 1\./);

    await page.setOfflineMode(false);
    network.restore();
    await page.waitForFunction(() => document.querySelector('[data-save-status]')?.textContent === 'All changes saved', { timeout: 30_000 });
    expect(await stateOf(page, 'data-types')).toMatch(/^Saved, revision \d/);
    const stored = (await listAnswers(seeded.server.store.db, assessmentId)).find((answer) => answer.questionId === 'data-types');
    expect(stored?.value).toBe('unknown');
  });

  it('says at the field when a number or a date cannot be read, and clears it once corrected', async () => {
    const page = await signedInPage('expert2@ena.test');
    await page.goto(`${network.url}/assessments/${assessmentId}`);
    const error = (questionId: string) => page.$eval(`#q-${questionId} [data-question-error]`, (element) => ((element as HTMLElement).hidden ? null : element.textContent));
    const invalid = (selector: string) => page.$eval(selector, (input) => input.getAttribute('aria-invalid'));

    await page.type('#q-requests-per-year-number', 'about 40');
    expect(await error('requests-per-year')).toMatch(/^This is not a number: enter digits only/);
    expect(await invalid('#q-requests-per-year-number')).toBe('true');
    // Nothing typed is lost: after a reload the text is back, still said to be wrong, and nothing was sent.
    await page.reload();
    expect(await page.$eval('#q-requests-per-year-number', (input) => (input as HTMLInputElement).value)).toBe('about 40');
    expect(await error('requests-per-year')).toMatch(/^This is not a number: enter digits only/);
    expect(await invalid('#q-requests-per-year-number')).toBe('true');
    expect((await listAnswers(seeded.server.store.db, assessmentId)).find((answer) => answer.questionId === 'requests-per-year')).toBeUndefined();
    await page.click('#q-requests-per-year-number', { count: 3 });
    await page.type('#q-requests-per-year-number', '40');
    expect(await error('requests-per-year')).toBeNull();
    expect(await invalid('#q-requests-per-year-number')).toBeNull();
    await page.waitForFunction(() => document.querySelector('[data-save-status]')?.textContent === 'All changes saved');
    const stored = (await listAnswers(seeded.server.store.db, assessmentId)).find((answer) => answer.questionId === 'requests-per-year');
    expect(stored?.value).toBe(40);

    // Russian forms take dates as text (DD.MM.YYYY): 31 February is said to be wrong, in Russian.
    await Promise.all([page.waitForNavigation(), page.click('button[name="language"][value="ru"]')]);
    await page.click('label[for="q-treaty-party-v-yes"]'); // the date is asked only of a Party
    await page.waitForSelector('#q-accession-date-date', { visible: true });
    await page.type('#q-accession-date-date', '31.02.2024');
    expect(await error('accession-date')).toMatch(/^Дата указана неверно/);
    await page.click('#q-accession-date-date', { count: 3 });
    await page.type('#q-accession-date-date', '29.02.2024');
    expect(await error('accession-date')).toBeNull();
    await Promise.all([page.waitForNavigation(), page.click('button[name="language"][value="en"]')]);
  });
});
