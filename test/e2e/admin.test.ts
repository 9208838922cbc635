/**
 * Administration in real Chromium: every save is confirmed on the page; a password reset gives a
 * temporary password shown once, which the user must replace at their next sign-in (every page sends
 * them to the change form first), after which the new one works; users change their own password;
 * an account is disabled (it cannot sign in) and enabled again.
 */
import puppeteer, { type Browser, type Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, signInWithForm, startSeededServer, type Seeded } from './helpers.js';

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-default-apps', '--disable-extensions', '--mute-audio', '--lang=en-US'];
const OWN = 'lantern orchard velvet compass';

let seeded: Seeded;
let browser: Browser;
let admin: Page;

async function newPage(): Promise<Page> {
  const page = await (await browser.createBrowserContext()).newPage();
  await page.setViewport({ width: 1280, height: 800 });
  return page;
}

/** Signs in through the form; returns the status of the page it lands on. */
async function signIn(page: Page, email: string, password: string): Promise<number | undefined> {
  return signInWithForm(page, seeded.url, email, password);
}

const confirmation = (page: Page): Promise<string | null> => page.$eval('main', (main) => main.querySelector('[data-confirmation]')?.textContent ?? null);

beforeAll(async () => {
  seeded = await startSeededServer();
  browser = await puppeteer.launch({ args: CHROMIUM_ARGS });
  admin = await newPage();
  await signIn(admin, 'admin@ena.test', PASSWORD);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await seeded?.close();
});

describe('administration', () => {
  it('confirms a saved change', async () => {
    await admin.goto(`${seeded.url}/admin`);
    const id = seeded.users.viewer.id;
    await admin.click(`#u${id}-c-KG`);
    await Promise.all([admin.waitForNavigation(), admin.click(`#user-form-${id} button[type="submit"]`)]);
    expect(await confirmation(admin)).toBe('Changes to Vera Viewer saved.');
  });

  it('resets a password to a temporary one that must be replaced at the next sign-in', async () => {
    await admin.goto(`${seeded.url}/admin`);
    await Promise.all([admin.waitForNavigation(), admin.click(`[data-reset-password="${seeded.users.expert2.id}"]`)]);
    const temporary = await admin.$eval('[data-password]', (element) => element.textContent ?? '');
    expect(temporary.length).toBeGreaterThanOrEqual(12);
    // Shown once: the page after it no longer has it.
    await admin.goto(`${seeded.url}/admin`);
    expect(await admin.$('[data-password]')).toBeNull();

    const user = await newPage();
    expect(await signIn(user, 'expert2@ena.test', PASSWORD)).toBe(401);
    await signIn(user, 'expert2@ena.test', temporary);
    expect(new URL(user.url()).pathname).toBe('/account/password');
    expect(await user.$eval('main', (main) => main.textContent)).toContain('temporary: choose your own');
    await user.goto(`${seeded.url}/missions/${seeded.missions.kz.id}`);
    expect(new URL(user.url()).pathname).toBe('/account/password');

    await user.type('#pw-current', temporary);
    await user.type('#pw-new', OWN);
    await user.type('#pw-confirm', OWN);
    await Promise.all([user.waitForNavigation(), user.click('main button[type="submit"]')]);
    expect(await confirmation(user)).toMatch(/^Your password has been changed/);
    // Still signed in here, and free to go anywhere.
    await user.goto(`${seeded.url}/missions/${seeded.missions.kz.id}`);
    expect(new URL(user.url()).pathname).toBe(`/missions/${seeded.missions.kz.id}`);
    const again = await newPage();
    await signIn(again, 'expert2@ena.test', OWN);
    expect(new URL(again.url()).pathname).toBe('/');
  });

  it('lets users change their own password, refusing a wrong current one', async () => {
    const user = await newPage();
    await signIn(user, 'viewer@ena.test', PASSWORD);
    await user.click('a.who');
    await user.type('#pw-current', 'not my password at all');
    await user.type('#pw-new', OWN);
    await user.type('#pw-confirm', OWN);
    const [refused] = await Promise.all([user.waitForNavigation(), user.click('main button[type="submit"]')]);
    expect(refused?.status()).toBe(400);
    expect(await user.$eval('main', (main) => main.textContent)).toContain('The current password is not correct.');
  });

  it('disables and re-enables an account, with a confirmation each time', async () => {
    const id = seeded.users.outsider.id;
    await admin.goto(`${seeded.url}/admin`);
    await admin.click(`#u${id}-disabled`);
    await Promise.all([admin.waitForNavigation(), admin.click(`#user-form-${id} button[type="submit"]`)]);
    expect(await confirmation(admin)).toMatch(/^Oleg Outsider is disabled/);
    expect(await signIn(await newPage(), 'outsider@ena.test', PASSWORD)).toBe(401);

    await admin.click(`#u${id}-disabled`);
    await Promise.all([admin.waitForNavigation(), admin.click(`#user-form-${id} button[type="submit"]`)]);
    expect(await confirmation(admin)).toBe('Oleg Outsider is enabled again and can sign in.');
    expect(await signIn(await newPage(), 'outsider@ena.test', PASSWORD)).toBe(200);
  });
});
