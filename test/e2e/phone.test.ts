/**
 * Bugs seen on real screens, in Chromium: at phone width (360 px) no page scrolls sideways, in English
 * and Russian; the targets page shows Russian option labels whole; the Russian fill-in form shows and
 * takes dates as DD.MM.YYYY (a native date field shows the browser's mm/dd/yyyy whatever the page's
 * language).
 */
import puppeteer, { type Browser, type Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAnswers } from '../../src/storage/answers.js';
import { signInWithForm, startSeededServer, type Seeded } from './helpers.js';

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-default-apps', '--disable-extensions', '--mute-audio', '--lang=en-US'];

let seeded: Seeded;
let browser: Browser;

async function signedInPage(email: string, width: number): Promise<Page> {
  const page = await (await browser.createBrowserContext()).newPage();
  await page.setViewport({ width, height: 740 });
  await signInWithForm(page, seeded.url, email);
  return page;
}

async function switchLanguage(page: Page, language: 'en' | 'ru'): Promise<void> {
  await Promise.all([page.waitForNavigation(), page.click(`button[name="language"][value="${language}"]`)]);
}

/** Elements that stick out to the right of the viewport (for a readable failure). */
const overflow = (page: Page): Promise<string[]> => page.evaluate(() => {
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= width) return [];
  const outside = [...document.querySelectorAll<HTMLElement>('body *')]
    .filter((element) => element.getBoundingClientRect().right > width + 1 && !element.closest('.table-scroll'))
    .slice(0, 8)
    .map((element) => `${element.tagName.toLowerCase()}.${element.className} ${Math.round(element.getBoundingClientRect().right)}px`);
  // Something inside a .table-scroll that escapes its clipping (an absolutely positioned label) widens the page too.
  return outside.length > 0 ? outside : [`the page is ${document.documentElement.scrollWidth}px wide, from inside a .table-scroll`];
});

beforeAll(async () => {
  seeded = await startSeededServer();
  browser = await puppeteer.launch({ args: CHROMIUM_ARGS });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await seeded?.close();
});

describe('on real screens', () => {
  it('never scrolls sideways at 360 px, in English and Russian', async () => {
    const admin = await signedInPage('admin@ena.test', 360);
    const id = seeded.assessment('kz', 'cooperation-demo');
    const paths = ['/', `/missions/${seeded.missions.kz.id}`, `/missions/${seeded.missions.kz.id}/review`, `/assessments/${id}`, `/assessments/${id}/review`, '/admin', '/admin/targets', '/account/password', '/reports', `/missions/${seeded.missions.kz.id}/report-workspace`];
    for (const language of ['en', 'ru'] as const) {
      await admin.goto(`${seeded.url}/`);
      await switchLanguage(admin, language);
      for (const path of paths) {
        await admin.goto(`${seeded.url}${path}`);
        expect(await overflow(admin), `${language} ${path}`).toEqual([]);
      }
    }
    await switchLanguage(admin, 'en');
  });

  it('shows Russian target labels whole', async () => {
    const manager = await signedInPage('manager@ena.test', 1280);
    await switchLanguage(manager, 'ru');
    await manager.goto(`${seeded.url}/admin/targets`);
    const clipped = await manager.$$eval('td.target-cell select', (selects) => selects.filter((select) => select.scrollWidth > select.clientWidth + 1 || select.getBoundingClientRect().width < 120).length);
    expect(clipped).toBe(0);
    const widest = await manager.$$eval('td.target-cell select', (selects) => Math.max(...selects.map((select) => select.getBoundingClientRect().width)));
    expect(widest).toBeGreaterThan(150);
  });

  it('shows and takes dates as DD.MM.YYYY in the Russian form', async () => {
    const expert = await signedInPage('expert@ena.test', 1280);
    await switchLanguage(expert, 'ru');
    const id = seeded.assessment('kz', 'cooperation-demo');
    await expert.goto(`${seeded.url}/assessments/${id}`);
    await expert.click('label[for="q-treaty-party-v-yes"]');
    await expert.waitForSelector('#q-accession-date-date', { visible: true });
    expect(await expert.$eval('#q-accession-date-date', (input) => (input as HTMLInputElement).placeholder)).toBe('ДД.ММ.ГГГГ');
    await expert.type('#q-accession-date-date', '05.01.2023');
    await expert.keyboard.press('Tab');
    await expert.waitForFunction(() => document.querySelector('[data-save-status]')?.textContent === 'Все изменения сохранены', { timeout: 15_000 });
    expect((await listAnswers(seeded.server.store.db, id)).find((answer) => answer.questionId === 'accession-date')?.value).toBe('2023-01-05');
    await expert.reload();
    expect(await expert.$eval('#q-accession-date-date', (input) => (input as HTMLInputElement).value)).toBe('05.01.2023');
    await switchLanguage(expert, 'en');
  });
});
