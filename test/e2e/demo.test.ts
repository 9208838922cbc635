/**
 * The real questionnaires and the demo data through the pages: every link a demo user is shown leads
 * to a page that renders (no broken or forbidden link, no server error), and in Chromium the pages
 * run under the strict Content-Security-Policy without a single console error, in both languages.
 * Screenshots of the demo are written as screenshots.ts says.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/env.js';
import type { DemoAccount } from '../../src/demo/loadDemo.js';
import { startServer, type RunningServer } from '../../src/web/server.js';
import { PageClient, signInWithForm } from './helpers.js';
import { screenshotPath } from './screenshots.js';

const ROOT = join(import.meta.dirname, '..', '..');
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-default-apps', '--disable-extensions', '--mute-audio', '--lang=en-US'];

let server: RunningServer;
let dir: string;
let accounts: Map<string, DemoAccount>;
let browser: Browser;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ena-demo-pages-'));
  server = await startServer(loadConfig({ PORT: '0', ENA_DB: join(dir, 'demo.sqlite'), ENA_QUESTIONNAIRES: join(ROOT, 'questionnaires'), ENA_LOG_LEVEL: 'silent' }), { demo: true });
  accounts = new Map(server.demoAccounts.map((account) => [account.role, account]));
  browser = await puppeteer.launch({ args: CHROMIUM_ARGS });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function account(role: string): DemoAccount {
  const found = accounts.get(role);
  if (!found) throw new Error(`no demo ${role}`);
  return found;
}

/** Follows every same-site link of every page reachable from the dashboard (GET only, no sign-out). */
async function crawl(client: PageClient, limit = 400): Promise<Map<string, number>> {
  const seen = new Map<string, number>();
  const queue = ['/'];
  while (queue.length > 0 && seen.size < limit) {
    const path = queue.shift() as string;
    if (seen.has(path)) continue;
    const page = await client.get(path);
    seen.set(path, page.status);
    for (const match of page.html.matchAll(/href="(\/[^"#]*)/g)) {
      const link = (match[1] ?? '').replaceAll('&amp;', '&');
      // Report routes belong to the report module; static files and the language link are no pages.
      if (/^\/(static|api|language|logout)|\/report\b/.test(link) || seen.has(link)) continue;
      queue.push(link);
    }
  }
  return seen;
}

describe('demo data in the pages', () => {
  it('shows every role only links that open, and renders every page of the real questionnaires', async () => {
    for (const role of ['admin', 'manager', 'expert', 'viewer']) {
      const client = new PageClient(server.url);
      await client.signIn(account(role).email, account(role).password);
      const visited = await crawl(client);
      const failed = [...visited].filter(([, status]) => status !== 200);
      expect({ role, failed }).toEqual({ role, failed: [] });
      expect(visited.size, role).toBeGreaterThan(role === 'viewer' ? 5 : 20);
    }
  });

  it('runs under the strict CSP without console errors, in English and in Russian', async () => {
    const context = await browser.createBrowserContext();
    const page = await context.newPage();
    await page.setViewport({ width: 1280, height: 800 });
    const problems: string[] = [];
    page.on('console', (message) => { if (message.type() === 'error') problems.push(message.text()); });
    page.on('pageerror', (error) => problems.push(String(error)));
    const expert = account('expert');
    await signInWithForm(page, server.url, expert.email, expert.password);
    expect(await page.$eval('.demo-marking', (element) => element.textContent)).toBe('Demo data — not an assessment');

    const fillLink = await page.$eval('a[href^="/assessments/"]', (a) => a.getAttribute('href'));
    const reviewLink = `${fillLink}/review`;
    for (const language of ['ru', 'en'] as const) {
      await Promise.all([page.waitForNavigation(), page.click(`button[name="language"][value="${language}"]`)]);
      await page.goto(`${server.url}${fillLink}`);
      await page.waitForFunction(() => document.querySelector('[data-save-status]')?.getAttribute('data-state') === 'saved');
      if (language === 'ru') {
        expect(await page.$eval('.demo-marking', (element) => element.textContent)).toBe('Демонстрационные данные — не результат оценки');
        await page.screenshot({ path: await screenshotPath('demo-fill-in-ru.png') });
      }
      await page.goto(`${server.url}${reviewLink}`);
      expect(await page.$$eval('.radar__svg', (svgs) => svgs.length)).toBe(1);
      if (language === 'en') {
        await page.screenshot({ path: await screenshotPath('demo-review.png') });
      }
    }
    expect(problems).toEqual([]);
    await context.close();
  });

  it('labels every control and fits a tablet screen without sideways scrolling', async () => {
    const context = await browser.createBrowserContext();
    const page = await context.newPage();
    const admin = account('admin');
    await signInWithForm(page, server.url, admin.email, admin.password);
    const missionLink = await page.$eval('a[href^="/missions/"]', (a) => a.getAttribute('href'));
    const fillLink = await page.$eval('a[href^="/assessments/"]', (a) => a.getAttribute('href'));
    const paths = ['/', missionLink, `${missionLink}/review`, fillLink, `${fillLink}/review`, '/admin', '/admin/targets'];
    for (const width of [1280, 768]) {
      await page.setViewport({ width, height: 1024 });
      for (const path of paths) {
        await page.goto(`${server.url}${path}`);
        const unlabelled = await page.$$eval('input:not([type="hidden"]), select, textarea, button', (controls) => controls
          .filter((control) => {
            const labelled = (control as HTMLInputElement).labels?.length || control.getAttribute('aria-label') || control.getAttribute('aria-labelledby');
            return !labelled && !(control.tagName === 'BUTTON' && control.textContent?.trim());
          })
          .map((control) => control.outerHTML.slice(0, 120)));
        expect({ path, unlabelled }).toEqual({ path, unlabelled: [] });
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect({ path, width, overflow }).toEqual({ path, width, overflow: 0 });
      }
    }
    await context.close();
  });
});
