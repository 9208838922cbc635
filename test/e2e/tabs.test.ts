/**
 * Signing in again in another tab, in real Chromium: the open fill-in tab keeps saving under the new
 * session (no "session ended", no 403), never invents a conflict with the expert's own earlier saves
 * (sign-out wipes the browser's record of revisions), also after a reload; and a plain form in the old
 * tab is sent under the new session instead of ending on "Access denied".
 */
import puppeteer, { type Browser, type BrowserContext, type Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAnswers } from '../../src/storage/answers.js';
import { signInWithForm, startSeededServer, type Seeded } from './helpers.js';

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-default-apps', '--disable-extensions', '--mute-audio', '--lang=en-US'];

let seeded: Seeded;
let browser: Browser;
let context: BrowserContext;
let first: Page;
let assessmentId: number;

async function signIn(target: Page, email: string): Promise<void> {
  await signInWithForm(target, seeded.url, email);
}

async function waitForStatus(target: Page, text: string): Promise<void> {
  await target.waitForFunction((wanted: string) => document.querySelector('[data-save-status]')?.textContent === wanted, { timeout: 15_000 }, text);
}

/** A second tab of the same browser signs out and in again: a new session, a new CSRF token. */
async function signInAgainElsewhere(): Promise<void> {
  const second = await context.newPage();
  await second.goto(`${seeded.url}/`);
  await Promise.all([second.waitForNavigation(), second.click('[data-sign-out]')]);
  await signIn(second, 'expert@ena.test');
  await second.close();
}

const stored = async (questionId: string) => (await listAnswers(seeded.server.store.db, assessmentId)).find((answer) => answer.questionId === questionId);

beforeAll(async () => {
  seeded = await startSeededServer();
  assessmentId = seeded.assessment('kz', 'cooperation-demo');
  browser = await puppeteer.launch({ args: CHROMIUM_ARGS });
  context = await browser.createBrowserContext();
  first = await context.newPage();
  await first.setViewport({ width: 1280, height: 800 });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await seeded?.close();
});

describe('signing in again in another tab', () => {
  it('keeps the open fill-in tab saving, with no 403 and no invented conflict', async () => {
    await signIn(first, 'expert@ena.test');
    await first.goto(`${seeded.url}/assessments/${assessmentId}`);
    await waitForStatus(first, 'All changes saved');
    await first.click('label[for="q-treaty-party-v-yes"]');
    await waitForStatus(first, 'All changes saved');
    expect((await stored('treaty-party'))?.revision).toBe(1);

    await signInAgainElsewhere();
    await first.bringToFront();
    await first.click('label[for="q-treaty-party-v-no"]');
    await waitForStatus(first, 'All changes saved');
    expect(await first.$('#conflict-dialog[open]')).toBeNull();
    expect(await stored('treaty-party')).toMatchObject({ value: 'no', revision: 2 });

    // After a reload, too: the base revision comes from the page, not from a wiped record.
    await signInAgainElsewhere();
    await first.reload();
    await waitForStatus(first, 'All changes saved');
    await first.click('label[for="q-treaty-party-v-partial"]');
    await waitForStatus(first, 'All changes saved');
    expect(await first.$('#conflict-dialog[open]')).toBeNull();
    expect((await stored('treaty-party'))?.revision).toBe(3);
  });

  it('sends a plain form from the old tab under the new session', async () => {
    await first.goto(`${seeded.url}/missions/${seeded.missions.kz.id}`);
    await signInAgainElsewhere();
    const [response] = await Promise.all([first.waitForNavigation(), first.click('button[name="language"][value="ru"]')]);
    expect(response?.status()).toBe(200);
    expect(await first.$eval('html', (html) => html.lang)).toBe('ru');
    expect(await first.$eval('main', (main) => main.textContent)).not.toContain('Доступ запрещён');
    await Promise.all([first.waitForNavigation(), first.click('button[name="language"][value="en"]')]);
    expect(await first.$eval('html', (html) => html.lang)).toBe('en');
  });
});
