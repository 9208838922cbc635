/**
 * Weight on the wire: the fill-in page of the largest real questionnaire, answered by the demo data, in both
 * languages, as a browser asks for it (`Accept-Encoding: gzip, br`), measured in compressed bytes
 * over real HTTP against the real app.
 */
import { request } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/env.js';
import { loadQuestionnaires } from '../../src/questionnaire/load.js';
import { startServer, type RunningServer } from '../../src/web/server.js';
import { PageClient } from '../e2e/helpers.js';

const ROOT = join(import.meta.dirname, '..', '..');
const LIMIT = 40 * 1024;

let server: RunningServer;
let dir: string;
let assessmentId: number;

/** GET with the given Accept-Encoding; the raw bytes as they crossed the wire (no decoding). */
function rawGet(url: string, headers: Record<string, string>): Promise<{ status: number; encoding: string | undefined; bytes: number; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => { bytes += chunk.length; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, encoding: res.headers['content-encoding'], bytes, headers: res.headers }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

let expert: { email: string; password: string };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ena-weight-'));
  // The demo data: real questionnaires with answers, notes and sources, as a mission leaves them.
  server = await startServer(loadConfig({ PORT: '0', ENA_DB: join(dir, 'ena.sqlite'), ENA_QUESTIONNAIRES: join(ROOT, 'questionnaires'), ENA_LOG_LEVEL: 'silent' }), { demo: true });
  const account = server.demoAccounts.find((candidate) => candidate.role === 'expert');
  if (!account) throw new Error('no demo expert');
  expert = account;
  const { questionnaires } = await loadQuestionnaires([join(ROOT, 'questionnaires')]);
  const largest = [...questionnaires].sort((a, b) => b.questionsById.size - a.questionsById.size)[0];
  if (!largest) throw new Error('no questionnaire installed');
  // Of that questionnaire's assessments in the expert's countries, the one with the most answers.
  const row = await server.store.db.selectFrom('assessments')
    .innerJoin('missions', 'missions.id', 'assessments.mission_id')
    .leftJoin('answers', 'answers.assessment_id', 'assessments.id')
    .select(['assessments.id as id', (eb) => eb.fn.count<number>('answers.question_id').as('answered')])
    .where('assessments.questionnaire_id', '=', largest.id).where('missions.country_code', 'in', account.countries)
    .groupBy('assessments.id').orderBy('answered', 'desc').executeTakeFirstOrThrow();
  assessmentId = row.id;
});

afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('weight on the wire', () => {
  for (const language of ['en', 'ru']) {
    it(`answers the largest questionnaire's fill-in page compressed and at most 40 KB (${language})`, async () => {
      const client = new PageClient(server.url);
      await client.signIn(expert.email, expert.password);
      await client.post('/language', { language, returnTo: '/' });
      const plain = await client.request(`/assessments/${assessmentId}`, { headers: { 'accept-encoding': 'identity' } });
      const html = await plain.text();
      expect(plain.status).toBe(200);
      expect(html).toContain(`<html lang="${language}"`);
      const sent = await rawGet(`${server.url}/assessments/${assessmentId}`, { accept: 'text/html', 'accept-encoding': 'gzip, br', cookie: client.cookieHeader() });
      expect(sent.status).toBe(200);
      expect(['br', 'gzip']).toContain(sent.encoding);
      expect(sent.bytes).toBeLessThanOrEqual(LIMIT);
      console.log(`fill page ${language}: ${html.length} characters, ${sent.bytes} bytes as ${sent.encoding}`);
    });
  }
});
