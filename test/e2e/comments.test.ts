/**
 * The review loop closed, in real Chromium: a manager's section comment reaches the expert on the
 * fill-in page where they work and is counted on their dashboard; the expert replies and marks it
 * resolved, and the manager sees both on the review page.
 */
import puppeteer, { type Browser, type Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInWithForm, startSeededServer, type Seeded } from './helpers.js';

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-default-apps', '--disable-extensions', '--mute-audio', '--lang=en-US'];
const COMMENT = 'Cite the <ratification> law in 1.1, please.';

let seeded: Seeded;
let browser: Browser;
let assessmentId: number;

async function signedInPage(email: string): Promise<Page> {
  const page = await (await browser.createBrowserContext()).newPage();
  await page.setViewport({ width: 1280, height: 800 });
  await signInWithForm(page, seeded.url, email);
  return page;
}

const openCount = (page: Page): Promise<string | null> => page.$eval('main', (main, id) => main.querySelector(`[data-open-comments="${id}"]`)?.textContent ?? null, assessmentId);

beforeAll(async () => {
  seeded = await startSeededServer();
  assessmentId = seeded.assessment('kz', 'cooperation-demo');
  browser = await puppeteer.launch({ args: CHROMIUM_ARGS });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await seeded?.close();
});

describe('review comments', () => {
  it('reach the expert on the fill-in page, who replies and resolves them', async () => {
    const manager = await signedInPage('manager@ena.test');
    await manager.goto(`${seeded.url}/assessments/${assessmentId}/review`);
    await manager.type('#comment-basis', COMMENT);
    await Promise.all([manager.waitForNavigation(), manager.click('#review-basis form[action$="/comments"] button[type="submit"]')]);

    const expert = await signedInPage('expert@ena.test');
    expect(await openCount(expert)).toBe('open comments: 1');
    await expert.click(`[data-open-comments="${assessmentId}"]`);
    await expert.waitForSelector('#sec-basis .section-comments');
    const thread = await expert.$eval('#sec-basis .comment-thread', (element) => element.textContent ?? '');
    expect(thread).toContain(COMMENT);
    expect(thread).toContain('Max Manager');
    expect(await expert.$eval('#sec-basis .section-comments summary', (element) => element.textContent)).toBe('Review comments — open: 1 of 1');

    const threadId = await expert.$eval('#sec-basis [data-thread]', (element) => (element as HTMLElement).dataset.thread);
    await expert.type(`#reply-${threadId}`, 'Added: Law No. 12 of 2022.');
    await Promise.all([expert.waitForNavigation(), expert.click(`button[form="thread-${threadId}-reply"]`)]);
    expect(await expert.$eval(`#thread-${threadId}`, (element) => element.textContent)).toContain('Added: Law No. 12 of 2022.');
    // Answers typed on the page are untouched by the reply: the fill-in form still saves.
    await expert.waitForFunction(() => document.querySelector('[data-save-status]')?.textContent === 'All changes saved');

    await Promise.all([expert.waitForNavigation(), expert.click(`[data-resolve="${threadId}"]`)]);
    expect(await expert.$eval(`#thread-${threadId}`, (element) => element.textContent)).toContain('resolved by Elena Expert');
    expect(await expert.$eval('#sec-basis .section-comments summary', (element) => element.textContent)).toBe('Review comments — open: 0 of 1');
    await expert.goto(`${seeded.url}/`);
    expect(await openCount(expert)).toBeNull();

    await manager.goto(`${seeded.url}/assessments/${assessmentId}/review`);
    const review = await manager.$eval('#review-basis', (element) => element.textContent ?? '');
    expect(review).toContain('Added: Law No. 12 of 2022.');
    expect(review).toContain('resolved by Elena Expert');
  });
});
