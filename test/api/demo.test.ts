/** Demo data: loads on an empty database with one account per role, reloads cleanly, never touches real data. */
import { execFile } from 'node:child_process';
import { cp, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadDemoData } from '../../src/demo/loadDemo.js';
import { loadQuestionnaires } from '../../src/questionnaire/load.js';
import { Problem } from '../../src/shared/problem.js';
import { SYSTEM, verifyAuditChain } from '../../src/storage/audit.js';
import { createCountry } from '../../src/storage/countries.js';
import { createMission } from '../../src/storage/missions.js';
import { Client, FIXTURES, seedUser, startTestServer, withStore } from './helpers.js';
import { databaseEnv, ENGINES, testLocation } from '../support/engines.js';

const DEMO = join(import.meta.dirname, '..', 'fixtures', 'demo');
const ENA = join(import.meta.dirname, '..', '..', 'bin', 'ena.js');
const questionnaires = await loadQuestionnaires([FIXTURES]);

describe.each(ENGINES)('demo data on %s', (engine) => {
  describe('demo data', () => {
    it('loads on first start of an empty database, with one account per role printed once', async () => {
      const dbFile = await testLocation(engine, 'ena-demo-');
      const first = await startTestServer({ engine, dbFile, demo: true, demoDir: DEMO });
      try {
        expect(first.demoAccounts.map((a) => [a.role, a.countries])).toEqual([['admin', []], ['manager', []], ['expert', ['KG', 'KZ']], ['viewer', []]]);
        const viewerless = first.demoAccounts.find((a) => a.role === 'expert');
        const expert = new Client(first.url);
        expect((await expert.login(viewerless?.email ?? '', viewerless?.password)).status).toBe(201);
        const missions = await expert.get<{ missions: { countryCode: string; isDemo: boolean; title: string }[] }>('/api/missions');
        expect(missions.body.missions.map((m) => [m.countryCode, m.isDemo])).toEqual([['KG', true], ['KZ', true]]);
        const kzAssessment = (await expert.get<{ assessments: { id: number; countryCode: string; isDemo: boolean }[] }>('/api/assessments?country=KZ')).body.assessments[0];
        expect(kzAssessment?.isDemo).toBe(true);
        const view = await expert.get<{ answers: { questionId: string; note: string | null; evidence: string | null }[]; score: { score: number } }>(`/api/assessments/${kzAssessment?.id}`);
        expect(view.body.answers.find((a) => a.questionId === 'preservation-power')).toMatchObject({ note: 'Order used routinely.', evidence: 'documented' });
        const kg = await expert.get<{ score: { score: number } }>('/api/countries/KG/score');
        const kz = await expert.get<{ score: { score: number } }>('/api/countries/KZ/score');
        expect(kz.body.score.score).toBeGreaterThan(kg.body.score.score);
      } finally {
        await first.close();
      }
      // A second start finds data and creates nothing.
      const second = await startTestServer({ engine, dbFile, demo: true, demoDir: DEMO });
      expect(second.demoAccounts).toEqual([]);
      expect(await second.store.db.selectFrom('missions').select('id').execute()).toHaveLength(2);
      await second.close();
    });

    it('reloads into a demo-only database by replacing the demo missions', async () => {
      await withStore(await testLocation(engine, 'ena-demo-'), async (store) => {
        expect(await loadDemoData(store.db, questionnaires, { dir: DEMO, file: 'test.sqlite' })).toEqual({ countries: ['KG', 'KZ'], missions: 2, answers: 4 });
        await loadDemoData(store.db, questionnaires, { dir: DEMO, file: 'test.sqlite' });
        expect(await store.db.selectFrom('missions').select(['country_code', 'is_demo']).orderBy('country_code').execute()).toEqual([{ country_code: 'KG', is_demo: 1 }, { country_code: 'KZ', is_demo: 1 }]);
        expect(await store.db.selectFrom('answers').select('question_id').execute()).toHaveLength(4);
        expect((await verifyAuditChain(store.db)).ok).toBe(true);
      });
    });

    it.each([
      ['a real mission', async (db: Parameters<typeof loadDemoData>[0]) => {
        await createCountry(db, SYSTEM, { code: 'TJ', name: { en: 'Tajikistan', ru: 'Таджикистан' } });
        await createMission(db, SYSTEM, { countryCode: 'TJ', title: 'Real', startsOn: '2025-01-01', endsOn: '2025-01-02' });
      }],
      ['a real user', async (db: Parameters<typeof loadDemoData>[0]) => { await seedUser(db, 'real@example.org', 'admin'); }],
    ])('refuses a database holding %s and changes nothing', async (_name, prepare) => {
      await withStore(await testLocation(engine, 'ena-demo-'), async (store) => {
        await prepare(store.db);
        const before = await store.db.selectFrom('audit_log').selectAll().execute();
        const error = await loadDemoData(store.db, questionnaires, { dir: DEMO, file: 'real.sqlite' }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(Problem);
        expect((error as Problem).message).toMatch(/real\.sqlite holds real data.*ENA_DB/);
        expect(await store.db.selectFrom('audit_log').selectAll().execute()).toEqual(before);
        expect(await store.db.selectFrom('missions').select('id').where('is_demo', '=', 1).execute()).toEqual([]);
      });
    });

    it('names the file, line and field of a bad demo answer', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'ena-demo-bad-'));
      await cp(DEMO, dir, { recursive: true });
      await writeFile(join(dir, 'KG.yaml'), (await import('node:fs')).readFileSync(join(DEMO, 'KG.yaml'), 'utf8').replace('value: 1,', 'value: 9,'));
      await withStore(await testLocation(engine, 'ena-demo-'), async (store) => {
        const error = await loadDemoData(store.db, questionnaires, { dir, file: 'x' }).catch((e: unknown) => e);
        expect((error as Problem).message).toMatch(/KG\.yaml:\d+:\d+ {2}answers\.preservation-demo\.preservation-power\.value: must be a level from 0 to 4/);
        expect(await store.db.selectFrom('missions').select('id').execute()).toEqual([]);
      });
    });

    it('`ena demo` loads into ENA_DB and prints the demo accounts of an empty database', async () => {
      const dbFile = await testLocation(engine, 'ena-demo-cli-');
      const { stdout } = await promisify(execFile)('node', [ENA, 'demo', '--dir', DEMO], { env: { ...process.env, ...databaseEnv(dbFile), ENA_QUESTIONNAIRES: FIXTURES } });
      expect(stdout).toMatch(/Loaded demo data into .*: 2 mission\(s\) \(KG, KZ\), 4 answers/);
      expect(stdout).toMatch(/admin +admin@demo\.ena\.example +\S{10,}/);
    });
  });
});
