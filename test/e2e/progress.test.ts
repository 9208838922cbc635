/**
 * One definition of progress, in real Chromium: the dashboard, the mission page and the fill-in page
 * show the same count (explained on hover) before and after answering; "next unanswered question"
 * walks the expert through what is left; a questionnaire is marked complete only once its required
 * questions hold an answer, and the dashboard says so.
 */
import puppeteer, { type Browser, type Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInWithForm, startSeededServer, type Seeded } from './helpers.js';

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-default-apps', '--disable-extensions', '--mute-audio', '--lang=en-US'];

let seeded: Seeded;
let browser: Browser;
let page: Page;
let assessmentId: number;

/** "3 of 9 filled in" on the dashboard's row of the questionnaire, as [filled, total]. */
async function dashboardCount(): Promise<[number, number]> {
  await page.goto(`${seeded.url}/`);
  const text = await page.$eval(`#mission-${seeded.missions.kz.id}`, (heading) => {
    const row = [...(heading.closest('article')?.querySelectorAll('tbody tr') ?? [])].find((tr) => tr.querySelector('th')?.textContent?.startsWith('International cooperation'));
    return row?.querySelector('td')?.textContent ?? '';
  });
  const match = /(\d+) of (\d+) filled in/.exec(text);
  if (!match) throw new Error(`no count in "${text}"`);
  return [Number(match[1]), Number(match[2])];
}

async function fillCount(): Promise<[number, number]> {
  const text = await page.$eval('[data-progress-total]', (element) => element.textContent ?? '');
  const match = /(\d+) \/ (\d+)/.exec(text);
  if (!match) throw new Error(`no count in "${text}"`);
  return [Number(match[1]), Number(match[2])];
}

async function openFill(): Promise<void> {
  await page.goto(`${seeded.url}/assessments/${assessmentId}`);
  await page.waitForFunction(() => document.querySelector('[data-save-status]')?.textContent === 'All changes saved');
}

beforeAll(async () => {
  seeded = await startSeededServer();
  assessmentId = seeded.assessment('kz', 'cooperation-demo');
  browser = await puppeteer.launch({ args: CHROMIUM_ARGS });
  page = await (await browser.createBrowserContext()).newPage();
  await page.setViewport({ width: 1280, height: 800 });
  await signInWithForm(page, seeded.url, 'expert@ena.test');
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await seeded?.close();
});

describe('progress', () => {
  it('is the same count on the dashboard and the fill-in page, explained on hover', async () => {
    const before = await dashboardCount();
    expect(before[0]).toBe(0);
    expect(await page.$eval('td[title]', (cell) => cell.getAttribute('title'))).toMatch(/^Questions shown that hold an answer/);
    await openFill();
    expect(await fillCount()).toEqual(before);
    expect(await page.$eval('.section-nav__total', (element) => element.getAttribute('title'))).toMatch(/^Questions shown that hold an answer/);

    // "Yes" shows the conditional date question: one more answered and one more shown, on both pages.
    await page.click('label[for="q-treaty-party-v-yes"]');
    await page.click('label[for="q-channel-v-direct"]');
    await page.waitForFunction(() => document.querySelector('[data-save-status]')?.textContent === 'All changes saved');
    const after = await fillCount();
    expect(after[0]).toBe(2);
    expect(after[1]).toBe(before[1] + 1);
    expect(await dashboardCount()).toEqual(after);
  });

  it('takes the expert to the next unanswered question', async () => {
    await openFill();
    const visited: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      await page.click('[data-next-unanswered]');
      visited.push(await page.evaluate(() => (document.activeElement as HTMLElement | null)?.closest<HTMLElement>('[data-question]')?.dataset.question ?? ''));
    }
    // The first unanswered question shown (the date revealed by "yes"), then the ones after it, in order.
    expect(visited[0]).toBe('accession-date');
    expect(new Set(visited).size).toBe(3);
    expect(visited).not.toContain('treaty-party');
    expect(visited).not.toContain('channel');
  });

  it('marks the questionnaire complete only when the required questions are answered', async () => {
    // The same questionnaire in the other mission: its required question has no answer yet.
    const demo = seeded.assessment('kzDemo', 'cooperation-demo');
    await page.goto(`${seeded.url}/assessments/${demo}`);
    expect(await page.$eval('[data-missing-required]', (element) => element.textContent)).toContain('Is the country a party to the Convention?');
    const [refused] = await Promise.all([page.waitForNavigation(), page.click('[data-mark-complete]')]);
    expect(refused?.status()).toBe(409);
    expect(await page.$('[data-completed]')).toBeNull();

    await openFill();
    expect(await page.$('[data-missing-required]')).toBeNull();
    await Promise.all([page.waitForNavigation(), page.click('[data-mark-complete]')]);
    expect(await page.$eval('#completion', (element) => element.textContent)).toContain('The questionnaire is marked complete.');
    expect(await page.$eval('[data-completed]', (element) => element.textContent)).toMatch(/^Marked complete on .* by Elena Expert\.$/);
    await page.goto(`${seeded.url}/`);
    expect(await page.$eval(`#mission-${seeded.missions.kz.id}`, (heading) => heading.closest('article')?.querySelector('.badge--complete')?.textContent)).toBe('complete');
  });
});
