/**
 * A real ENA server for page and browser tests: a fresh SQLite file, the fixture questionnaires
 * (every question type), two countries, three missions and users of every role, made through the same
 * repositories the application uses.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/env.js';
import { loadQuestionnaires } from '../../src/questionnaire/load.js';
import { SYSTEM } from '../../src/storage/audit.js';
import { createAssessment } from '../../src/storage/assessments.js';
import { createCountry } from '../../src/storage/countries.js';
import { createMission, type MissionDto } from '../../src/storage/missions.js';
import type { Role } from '../../src/storage/schema.js';
import { createUser } from '../../src/storage/users.js';
import { hashPassword } from '../../src/accounts/passwords.js';
import type { Page } from 'puppeteer';
import { PASSWORD } from '../api/helpers.js';
import { startServer, type RunningServer } from '../../src/web/server.js';

export const E2E_QUESTIONNAIRES = join(import.meta.dirname, 'fixtures', 'questionnaires');
/** The same password as the API tests' users: the e2e suites seed through both helpers. */
export { PASSWORD };
// Tests hash with lighter scrypt parameters; the stored hash names them, so sign-in verifies them as usual.
const TEST_SCRYPT = { N: 2 ** 12, r: 8, p: 1 };

export interface Seeded {
  server: RunningServer;
  url: string;
  dir: string;
  users: Record<'admin' | 'manager' | 'expert' | 'expert2' | 'viewer' | 'outsider', { email: string; id: number }>;
  missions: { kz: MissionDto; kzDemo: MissionDto; kg: MissionDto };
  /** The assessment id of a questionnaire in one of the seeded missions. */
  assessment(mission: 'kz' | 'kzDemo' | 'kg', questionnaireId: string): number;
  close(): Promise<void>;
}

export async function startSeededServer(): Promise<Seeded> {
  const dir = await mkdtemp(join(tmpdir(), 'ena-web-'));
  const server = await startServer(loadConfig({ PORT: '0', ENA_DB: join(dir, 'ena.sqlite'), ENA_QUESTIONNAIRES: E2E_QUESTIONNAIRES, ENA_LOG_LEVEL: 'silent' }));
  const { db } = server.store;
  await createCountry(db, SYSTEM, { code: 'KZ', name: { en: 'Kazakhstan', ru: 'Казахстан' } });
  await createCountry(db, SYSTEM, { code: 'KG', name: { en: 'Kyrgyzstan', ru: 'Кыргызстан' } });
  const passwordHash = await hashPassword(PASSWORD, TEST_SCRYPT);
  const user = async (email: string, name: string, role: Role, countries: string[], language: 'en' | 'ru' = 'en') =>
    ({ email, id: (await createUser(db, SYSTEM, { email, name, role, countries, language, passwordHash })).id });
  const users = {
    admin: await user('admin@ena.test', 'Ada Admin', 'admin', []),
    manager: await user('manager@ena.test', 'Max Manager', 'manager', []),
    expert: await user('expert@ena.test', 'Elena Expert', 'expert', ['KZ']),
    expert2: await user('expert2@ena.test', 'Erik <b>Second</b>', 'expert', ['KZ']),
    viewer: await user('viewer@ena.test', 'Vera Viewer', 'viewer', ['KZ']),
    outsider: await user('outsider@ena.test', 'Oleg Outsider', 'expert', ['KG']),
  };
  const loaded = await loadQuestionnaires([E2E_QUESTIONNAIRES]);
  const mission = async (countryCode: string, title: string, isDemo = false) => {
    const created = await createMission(db, SYSTEM, { countryCode, title, startsOn: '2025-03-10', endsOn: '2025-03-14', team: ['Anna Lead', 'Boris Legal'], institutionsMet: ['prosecutors-office', 'Ministry of Digital Development'], status: 'in_progress', isDemo });
    const ids: Record<string, number> = {};
    for (const q of loaded.questionnaires) ids[q.id] = (await createAssessment(db, SYSTEM, { missionId: created.id, questionnaireId: q.id, questionnaireVersion: q.version })).id;
    return { mission: created, ids };
  };
  const kz = await mission('KZ', 'Kazakhstan needs assessment 2025');
  const kzDemo = await mission('KZ', 'Demo mission <i>Almaty</i>', true);
  const kg = await mission('KG', 'Kyrgyzstan needs assessment 2025');
  return {
    server,
    url: server.url,
    dir,
    users,
    missions: { kz: kz.mission, kzDemo: kzDemo.mission, kg: kg.mission },
    assessment(key, questionnaireId) {
      const id = { kz: kz.ids, kzDemo: kzDemo.ids, kg: kg.ids }[key][questionnaireId];
      if (id === undefined) throw new Error(`no assessment of ${questionnaireId} in ${key}`);
      return id;
    },
    async close() {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A cookie-keeping HTTP client that signs in through the page form, as a browser would. */
export class PageClient {
  private cookies = new Map<string, string>();
  csrfToken = '';

  constructor(readonly base: string) {}

  private store(response: Response): void {
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(';');
      const eq = pair?.indexOf('=') ?? -1;
      if (!pair || eq < 0) continue;
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(header)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  /** The Cookie header this client sends (for requests made without it, e.g. to count raw bytes). */
  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    // As a browser does for every navigation and form post.
    if (!headers.has('accept')) headers.set('accept', 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8');
    if (this.cookies.size > 0) headers.set('cookie', this.cookieHeader());
    const response = await fetch(`${this.base}${path}`, { ...init, headers, redirect: 'manual' });
    this.store(response);
    return response;
  }

  async get(path: string): Promise<{ status: number; html: string; location: string | null }> {
    const response = await this.request(path);
    const html = await response.text();
    const token = /<meta name="csrf-token" content="([^"]+)">/.exec(html)?.[1];
    if (token) this.csrfToken = token;
    return { status: response.status, html, location: response.headers.get('location') };
  }

  async post(path: string, fields: Record<string, string | string[]>): Promise<{ status: number; html: string; location: string | null }> {
    const body = new URLSearchParams();
    if (this.csrfToken) body.append('_csrf', this.csrfToken);
    for (const [key, value] of Object.entries(fields)) for (const v of Array.isArray(value) ? value : [value]) body.append(key, v);
    const response = await this.request(path, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    return { status: response.status, html: await response.text(), location: response.headers.get('location') };
  }

  async signIn(email: string, password = PASSWORD): Promise<void> {
    const result = await this.post('/login', { email, password, next: '/' });
    if (result.status !== 303) throw new Error(`sign-in of ${email} failed with ${result.status}`);
    await this.get('/');
  }
}

export interface NetworkSwitch {
  url: string;
  /** The network goes down: open connections are dropped, new ones refused (for the page, its service worker, everything). */
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

/**
 * A TCP relay between the browser and ENA that can be cut, as a hotel's Wi-Fi is. Chromium's offline
 * emulation (page.setOfflineMode) sets navigator.onLine and the online/offline events, but requests that
 * pass through a service worker can slip past it; with the relay cut, nothing reaches the server.
 */
export async function networkSwitch(target: string): Promise<NetworkSwitch> {
  const { hostname, port } = new URL(target);
  const sockets = new Set<Socket>();
  let down = false;
  const relay = createServer((client) => {
    if (down) return client.destroy();
    const upstream = connect(Number(port), hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => socket.destroy());
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  const address = relay.address();
  return {
    url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
    cut() {
      down = true;
      for (const socket of sockets) socket.destroy();
    },
    restore() {
      down = false;
    },
    close: () => new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      relay.close(() => resolve());
    }),
  };
}

/**
 * Signs in through the login form as a person does (typing, then Enter) and waits for the page it lands
 * on; resolves with that page's HTTP status.
 */
export async function signInWithForm(page: Page, site: string, email: string, password = PASSWORD): Promise<number | undefined> {
  await page.goto(`${site}/login`);
  await page.type('#login-email', email);
  await page.type('#login-password', password);
  const [response] = await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  return response?.status();
}
