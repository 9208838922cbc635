/**
 * A real ENA server on a free port with a real database — an SQLite file or a database on the test
 * PostgreSQL cluster (`engine`) — and a small cookie-keeping HTTP client.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/env.js';
import { openStore, type Store } from '../../src/storage/db.js';
import type { Engine } from '../../src/storage/dialect.js';
import { SYSTEM } from '../../src/storage/audit.js';
import type { Role } from '../../src/storage/schema.js';
import { createUser } from '../../src/storage/users.js';
import { hashPassword, type ScryptParams } from '../../src/accounts/passwords.js';
import { startServer, type RunningServer, type StartOptions } from '../../src/web/server.js';
import { FIXTURES } from '../questionnaire/helpers.js';
import { databaseEnv, testLocation } from '../support/engines.js';

/** Cheap hashes for seeded test users; the production parameters are proven in test/api/session.test.ts. */
export const TEST_SCRYPT: ScryptParams = { N: 2 ** 12, r: 8, p: 1 };
export const PASSWORD = 'correct horse battery staple';

export async function tempDbFile(prefix = 'ena-api-'): Promise<string> {
  return join(await mkdtemp(join(tmpdir(), prefix)), 'ena.sqlite');
}

/** `dbFile`: where the data lives (an SQLite path or a PostgreSQL URL); default a new one on `engine` (SQLite). */
export async function startTestServer(options: StartOptions & { dbFile?: string; engine?: Engine; env?: Record<string, string> } = {}): Promise<RunningServer & { dbFile: string }> {
  const dbFile = options.dbFile ?? (await testLocation(options.engine ?? 'sqlite', 'ena-api-'));
  const config = loadConfig({ PORT: '0', ENA_QUESTIONNAIRES: FIXTURES, ENA_LOG_LEVEL: 'silent', ...databaseEnv(dbFile), ...options.env });
  return { ...(await startServer(config, options)), dbFile };
}

export async function seedUser(store: Store | Store['db'], email: string, role: Role, countries: string[] = []): Promise<number> {
  const db = 'db' in store ? store.db : store;
  const user = await createUser(db, SYSTEM, { email, name: email.split('@')[0] ?? email, passwordHash: await hashPassword(PASSWORD, TEST_SCRYPT), role, countries });
  return user.id;
}

/** Opens `dbFile` (an SQLite path or a PostgreSQL URL) for the time of `work`. */
export async function withStore<T>(dbFile: string, work: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(dbFile);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

export interface Reply<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

export class Client {
  cookie: string | undefined;
  csrfToken: string | undefined;

  constructor(readonly baseUrl: string) {}

  async login(email: string, password = PASSWORD): Promise<Reply> {
    const reply = await this.request('POST', '/api/session', { email, password });
    if (reply.status === 201) this.csrfToken = (reply.body as { csrfToken: string }).csrfToken;
    return reply;
  }

  async request<T = unknown>(method: string, path: string, body?: unknown, options: { csrf?: boolean; headers?: Record<string, string>; raw?: string } = {}): Promise<Reply<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (this.cookie) headers.cookie = this.cookie;
    if (body !== undefined || options.raw !== undefined) headers['content-type'] ??= 'application/json';
    if (options.csrf !== false && this.csrfToken && method !== 'GET') headers['x-csrf-token'] ??= this.csrfToken;
    const response = await fetch(this.baseUrl + path, { method, headers, body: options.raw ?? (body === undefined ? undefined : JSON.stringify(body)) });
    const setCookie = response.headers.get('set-cookie');
    if (setCookie) {
      const pair = setCookie.split(';')[0] ?? '';
      this.cookie = pair.endsWith('=') ? undefined : pair;
    }
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T, headers: response.headers };
  }

  get<T = unknown>(path: string): Promise<Reply<T>> {
    return this.request<T>('GET', path);
  }
}

/** The one error shape: { error: { code, message, details: [{ path, message }] } }. */
export function isErrorShape(body: unknown): boolean {
  if (!body || typeof body !== 'object' || !('error' in body)) return false;
  const error = (body as { error: Record<string, unknown> }).error;
  return typeof error.code === 'string' && typeof error.message === 'string' && error.message.length > 0 && Array.isArray(error.details)
    && (error.details as unknown[]).every((d) => typeof d === 'object' && d !== null && typeof (d as { path?: unknown }).path === 'string' && typeof (d as { message?: unknown }).message === 'string');
}

export { FIXTURES };
