/**
 * The bundle pages in real Chromium with JavaScript switched off, driven by keyboard as a manager would:
 * from the reports page to the import form, a real file chosen and submitted, the summary with the
 * conflict count, and the conflict resolved on its page. Two real servers on real SQLite files.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/storage/audit.js';
import { createAssessment } from '../../src/storage/assessments.js';
import { createCountry } from '../../src/storage/countries.js';
import { createMission } from '../../src/storage/missions.js';
import type { RunningServer } from '../../src/web/server.js';
import { Client, PASSWORD, seedUser, startTestServer } from '../api/helpers.js';
import { answer } from '../exchange/helpers.js';
import { signInWithForm } from './helpers.js';

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--lang=en-US'];

let home: RunningServer;
let away: RunningServer;
let browser: Browser;
let page: Page;
let dir: string;
let homeMission = 0;
let homeAssessment = 0;

async function exportBundle(name: string): Promise<string> {
  const manager = new Client(home.url);
  expect((await manager.login('manager@test', PASSWORD)).status).toBe(201);
  const response = await fetch(`${home.url}/api/missions/${homeMission}/bundle`, { headers: { cookie: manager.cookie ?? '' } });
  expect(response.status).toBe(200);
  const file = join(dir, name);
  await writeFile(file, Buffer.from(await response.arrayBuffer()));
  return file;
}

/** Chooses the file and submits the form from the keyboard: Tab from the file field to the button, Enter. */
async function importFile(file: string): Promise<void> {
  const input = await page.$('input#bundle-file');
  await input?.uploadFile(file);
  await page.focus('#bundle-file');
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Import bundle');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
}

const expertOf = async (server: RunningServer) => server.store.db.selectFrom('users').select('id').where('email', '=', 'expert@test').executeTakeFirstOrThrow();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ena-bundle-e2e-'));
  [home, away] = [await startTestServer(), await startTestServer()];
  for (const server of [home, away]) {
    await createCountry(server.store.db, SYSTEM, { code: 'KZ', name: { en: 'Kazakhstan', ru: 'Казахстан' } });
    await seedUser(server.store, 'manager@test', 'manager');
    await seedUser(server.store, 'expert@test', 'expert', ['KZ']);
  }
  homeMission = (await createMission(home.store.db, SYSTEM, { countryCode: 'KZ', title: 'Mission KZ', startsOn: '2025-06-11', endsOn: '2025-06-13' })).id;
  homeAssessment = (await createAssessment(home.store.db, SYSTEM, { missionId: homeMission, questionnaireId: 'preservation-demo', questionnaireVersion: 1 })).id;
  await answer(home.store, await expertOf(home), homeAssessment, 'preservation-power', 2);
  browser = await puppeteer.launch({ args: CHROMIUM_ARGS });
  page = await browser.newPage();
  await page.setJavaScriptEnabled(false);
  await signInWithForm(page, away.url, 'manager@test');
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await home?.close();
  await away?.close();
});

describe('bundle pages in the browser without JavaScript', () => {
  it('imports a bundle, then a conflicting one, and resolves the conflict by keyboard', async () => {
    await page.goto(`${away.url}/reports`);
    await Promise.all([page.waitForNavigation(), page.click('a[href="/bundles/import"]')]);
    expect(await page.$eval('h1', (h1) => h1.textContent)).toBe('Import a mission bundle');
    await importFile(await exportBundle('first.ena-bundle'));
    expect(await page.$eval('#import-result', (el) => el.textContent)).toContain('The mission was created from the bundle.');
    const awayMission = Number(await page.$eval('#import-result a[href$="/conflicts"]', (a) => /\/missions\/(\d+)\//.exec(a.getAttribute('href') ?? '')?.[1]));

    const awayAssessment = (await away.store.db.selectFrom('assessments').select('id').where('mission_id', '=', awayMission).executeTakeFirstOrThrow()).id;
    await answer(away.store, await expertOf(away), awayAssessment, 'preservation-power', 3, { note: 'edited here' });
    await answer(home.store, await expertOf(home), homeAssessment, 'preservation-power', 1, { note: 'edited at home' });
    await importFile(await exportBundle('second.ena-bundle'));
    expect(await page.$eval('#import-result', (el) => el.textContent)).toContain('1 answer was changed on both sides');

    await Promise.all([page.waitForNavigation(), page.click('#import-result a[href$="/conflicts"]')]);
    const section = await page.$eval('[data-conflict-id]', (el) => el.textContent ?? '');
    expect(section).toContain('edited here');
    expect(section).toContain('edited at home');
    // From "Keep the answer here", Tab reaches "Use the incoming answer"; Enter submits it.
    await page.focus('[data-conflict-id] form button');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Use the incoming answer');
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    expect(await page.$eval('main', (main) => main.textContent)).toContain('The conflict was resolved.');
    expect(await page.$('#no-open-conflicts')).not.toBeNull();
    const row = await away.store.db.selectFrom('answers').select(['value', 'note']).where('assessment_id', '=', awayAssessment).where('question_id', '=', 'preservation-power').executeTakeFirstOrThrow();
    expect(row).toEqual({ value: '1', note: 'edited at home' });
  }, 120_000);
});
