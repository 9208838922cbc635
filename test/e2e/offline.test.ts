/**
 * A whole mission offline, in real Chromium: the expert stores the mission ("make this mission
 * available offline"), the network is cut (Chromium's offline mode plus a cut TCP relay, as in
 * browser.test.ts), and every stored page opens — dashboard, mission, each questionnaire (never opened
 * before), reviews, answer history — while a page that was not stored says so in ENA's words, in both
 * languages. Answers typed offline arrive after reconnection. The stored copies are gone once the
 * session ends elsewhere (expired or signed out) or the account is disabled.
 */
import puppeteer, { type Browser, type Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAnswers, saveAnswer } from '../../src/storage/answers.js';
import { SYSTEM } from '../../src/storage/audit.js';
import { updateUser } from '../../src/storage/users.js';
import { networkSwitch, signInWithForm, startSeededServer, type NetworkSwitch, type Seeded } from './helpers.js';
import { screenshotPath } from './screenshots.js';

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-default-apps', '--disable-extensions', '--mute-audio', '--lang=en-US'];
const CACHE = 'ena-pages-v1';

let seeded: Seeded;
let network: NetworkSwitch;
let site: string;
let browser: Browser;
let page: Page;

async function signIn(target: Page, email: string): Promise<void> {
  await signInWithForm(target, site, email);
}

async function setOffline(target: Page, offline: boolean): Promise<void> {
  if (offline) network.cut();
  await target.setOfflineMode(offline);
  if (!offline) network.restore();
}

async function storeMission(target: Page, missionId: number): Promise<string> {
  await target.goto(`${site}/missions/${missionId}`);
  await target.waitForSelector('[data-offline-store]:not([hidden])');
  await target.click('[data-offline-store]');
  await target.waitForFunction(() => /^Available offline: \d+ pages/.test(document.querySelector('[data-offline-state]')?.textContent ?? ''), { timeout: 60_000 });
  return target.$eval('[data-offline-state]', (element) => element.textContent ?? '');
}

/** Clicks a link and waits for the page it opens (offline: served by the service worker). */
async function follow(target: Page, selector: string): Promise<void> {
  await Promise.all([target.waitForNavigation(), target.click(selector)]);
}

const heading = (target: Page): Promise<string> => target.$eval('h1', (h) => h.textContent ?? '');
const cacheExists = (target: Page): Promise<boolean> => target.evaluate(async (name) => caches.has(name), CACHE);

beforeAll(async () => {
  seeded = await startSeededServer();
  network = await networkSwitch(seeded.url);
  site = network.url;
  // One answered question, so that its history page is part of the mission's stored pages.
  await saveAnswer(seeded.server.store.db, { id: seeded.users.expert2.id }, { assessmentId: seeded.assessment('kz', 'cooperation-demo'), questionId: 'treaty-party', value: 'yes', note: null, source: null, evidence: null, baseRevision: 0 });
  browser = await puppeteer.launch({ args: CHROMIUM_ARGS });
  page = await (await browser.createBrowserContext()).newPage();
  await page.setViewport({ width: 1280, height: 800 });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await network?.close();
  await seeded?.close();
});

describe('a mission made available offline', () => {
  it('stores every page of the mission and says what is stored and when', async () => {
    await signIn(page, 'expert@ena.test');
    const state = await storeMission(page, seeded.missions.kz.id);
    // Dashboard, mission, country review; per questionnaire fill-in and review; one answer's history.
    expect(state).toMatch(/^Available offline: 8 pages, stored /);
    const stored = await page.$$eval('[data-offline-list] a', (links) => links.map((link) => link.getAttribute('href')));
    expect(stored).toContain(`/assessments/${seeded.assessment('kz', 'preservation-demo')}`);
    expect(stored).toContain(`/assessments/${seeded.assessment('kz', 'cooperation-demo')}/questions/treaty-party/history`);
    await page.goto(`${site}/`);
    await page.waitForSelector(`[data-offline-badge="${seeded.missions.kz.id}"]:not([hidden])`);
    expect(await page.$eval(`[data-offline-badge="${seeded.missions.kz.id}"]`, (badge) => badge.textContent)).toMatch(/^Available offline \(stored /);
  });

  it('is navigable with the network cut, and a page not stored says so in EN and RU', async () => {
    await setOffline(page, true);
    await page.goto(`${site}/`);
    expect(await heading(page)).toBe('Dashboard');
    await page.waitForSelector('[data-offline-banner]:not([hidden])');
    expect(await page.$eval('[data-offline-banner]', (banner) => banner.textContent)).toMatch(/^Offline: you are reading the copy of this page kept in this browser \(stored /);
    await follow(page, `a[href="/missions/${seeded.missions.kz.id}"]`);
    expect(await heading(page)).toBe('Kazakhstan needs assessment 2025');
    for (const questionnaire of ['preservation-demo', 'cooperation-demo']) {
      const id = seeded.assessment('kz', questionnaire);
      await page.goto(`${site}/missions/${seeded.missions.kz.id}`);
      await follow(page, `a[href="/assessments/${id}"]`);
      expect(await page.$('#fill-form')).not.toBeNull();
      await page.waitForFunction(() => /^Offline|^All changes saved/.test(document.querySelector('[data-save-status]')?.textContent ?? ''));
      await page.goto(`${site}/assessments/${id}/review`);
      expect(await heading(page)).toMatch(/^Review: /);
    }
    await page.goto(`${site}/assessments/${seeded.assessment('kz', 'cooperation-demo')}/questions/treaty-party/history`);
    expect(await page.$eval('main', (main) => main.textContent)).toContain('Erik <b>Second</b>');
    await page.goto(`${site}/missions/${seeded.missions.kz.id}/review`);
    expect(await heading(page)).toBe('Country review: Kazakhstan');

    // Never stored: ENA's own offline page, not the browser's error.
    const missing = await page.goto(`${site}/missions/${seeded.missions.kzDemo.id}`);
    expect(missing?.status()).toBe(503);
    const text = await page.$eval('main', (main) => main.textContent ?? '');
    expect(text).toContain('This page is not stored for offline use');
    expect(text).toContain('Эта страница не сохранена для работы без сети');
    await page.waitForSelector('[data-offline-stored]:not([hidden])');
    expect(await page.$eval('[data-offline-stored]', (list) => list.textContent)).toContain('Kazakhstan needs assessment 2025');
    await page.screenshot({ path: await screenshotPath('offline-not-stored.png') });
  });

  it('keeps answers typed offline in a questionnaire never opened online and sends them on reconnection', async () => {
    const id = seeded.assessment('kz', 'preservation-demo');
    await page.goto(`${site}/assessments/${id}`);
    await page.click('label[for="q-preservation-power-v-2"]');
    await page.waitForFunction(() => /^Offline — unsent changes: 1\./.test(document.querySelector('[data-save-status]')?.textContent ?? ''));
    expect(await listAnswers(seeded.server.store.db, id)).toEqual([]);
    await setOffline(page, false);
    await page.waitForFunction(() => document.querySelector('[data-save-status]')?.textContent === 'All changes saved', { timeout: 30_000 });
    expect((await listAnswers(seeded.server.store.db, id)).map((a) => [a.questionId, a.value])).toEqual([['preservation-power', 2]]);
  });

  it('removes the stored copies when the session ends elsewhere', async () => {
    expect(await cacheExists(page)).toBe(true);
    // The session expires (or is signed out from another browser): its row is gone.
    await seeded.server.store.db.deleteFrom('sessions').where('user_id', '=', seeded.users.expert.id).execute();
    const response = await page.goto(`${site}/missions/${seeded.missions.kz.id}`);
    expect(response?.status()).toBe(401);
    expect(await cacheExists(page)).toBe(false);
    // Offline now, the mission is no longer there to read.
    await setOffline(page, true);
    await expect(page.goto(`${site}/missions/${seeded.missions.kz.id}`)).rejects.toThrow();
    await setOffline(page, false);
  });

  it('removes the stored copies when the account is disabled', async () => {
    await signIn(page, 'expert@ena.test');
    await storeMission(page, seeded.missions.kz.id);
    expect(await cacheExists(page)).toBe(true);
    await updateUser(seeded.server.store.db, SYSTEM, seeded.users.expert.id, { disabled: true });
    // The next call the page makes (here an API call, as autosave would) learns it.
    expect(await page.evaluate(async () => (await fetch('/api/me')).status)).toBe(401);
    expect(await cacheExists(page)).toBe(false);
    await updateUser(seeded.server.store.db, SYSTEM, seeded.users.expert.id, { disabled: false });
  });
});
