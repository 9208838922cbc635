import { mkdtemp, cp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/env.js';
import { startServer } from '../../src/web/server.js';
import { Problem } from '../../src/shared/problem.js';
import { FIXTURES } from '../questionnaire/helpers.js';

describe('server start', () => {
  it('serves health and answers unknown routes with the JSON error shape', async () => {
    const dbFile = join(await mkdtemp(join(tmpdir(), 'ena-server-')), 'ena.sqlite');
    const running = await startServer(loadConfig({ PORT: '0', ENA_QUESTIONNAIRES: FIXTURES, ENA_LOG_LEVEL: 'silent', ENA_DB: dbFile }));
    try {
      const health = await fetch(`${running.url}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok', database: 'ok', questionnaires: [{ id: 'preservation-demo', version: 1 }] });
      const missing = await fetch(`${running.url}/api/nothing-here`);
      expect(missing.status).toBe(404);
      expect(await missing.json()).toEqual({ error: { code: 'not_found', message: 'No route for GET /api/nothing-here.', details: [] } });
      expect(health.headers.get('content-security-policy')).toContain("script-src 'self'");
    } finally {
      await running.close();
    }
  });

  it('refuses to start with an invalid questionnaire and names the problem', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ena-bad-'));
    await cp(FIXTURES, dir, { recursive: true });
    await writeFile(join(dir, 'broken.yaml'), 'id: broken\nversion: 0\n');
    const error = await startServer(loadConfig({ PORT: '0', ENA_QUESTIONNAIRES: dir, ENA_LOG_LEVEL: 'silent' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Problem);
    expect((error as Problem).message).toMatch(/broken\.yaml:2:\d+ {2}version: must be 1 or more/);
  });

  it('rejects a bad environment variable with a clear message', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT="eighty" must be a port number/);
  });

  it('takes a PostgreSQL URL from ENA_DATABASE_URL and refuses anything else there', () => {
    expect(loadConfig({ ENA_DATABASE_URL: 'postgres://ena:secret@db.example.org:5432/ena' }).databaseUrl).toBe('postgres://ena:secret@db.example.org:5432/ena');
    expect(loadConfig({}).databaseUrl).toBeUndefined();
    expect(() => loadConfig({ ENA_DATABASE_URL: 'mysql://db/ena' })).toThrow(/ENA_DATABASE_URL="mysql:\/\/db\/ena" must be a PostgreSQL URL with a database name: postgres:\/\/user:password@host:5432\/ena/);
    expect(() => loadConfig({ ENA_DATABASE_URL: 'postgres://db.example.org' })).toThrow(/must be a PostgreSQL URL with a database name/);
  });

  it('takes the report job lease from ENA_JOB_LEASE_SECONDS (default two minutes) and names a bad one', () => {
    expect(loadConfig({}).jobLeaseMs).toBe(120_000);
    expect(loadConfig({ ENA_JOB_LEASE_SECONDS: '5' }).jobLeaseMs).toBe(5_000);
    expect(() => loadConfig({ ENA_JOB_LEASE_SECONDS: '1' })).toThrow(/ENA_JOB_LEASE_SECONDS="1" must be a whole number from 3 to 3600/);
    expect(() => loadConfig({ ENA_JOB_LEASE_SECONDS: 'soon' })).toThrow(/ENA_JOB_LEASE_SECONDS="soon" must be a whole number from 3 to 3600/);
  });
});

describe('security headers', () => {
  it('sends HSTS and upgrade-insecure-requests only behind TLS', async () => {
    for (const secure of ['false', 'true'] as const) {
      const dir = await mkdtemp(join(tmpdir(), 'ena-tls-'));
      const running = await startServer(loadConfig({ PORT: '0', ENA_QUESTIONNAIRES: FIXTURES, ENA_LOG_LEVEL: 'silent', ENA_DB: join(dir, 'ena.sqlite'), ENA_SECURE_COOKIES: secure }));
      try {
        const response = await fetch(`${running.url}/healthz`);
        expect(response.headers.has('strict-transport-security')).toBe(secure === 'true');
        expect(response.headers.get('content-security-policy')?.includes('upgrade-insecure-requests')).toBe(secure === 'true');
      } finally {
        await running.close();
      }
    }
  });
});
