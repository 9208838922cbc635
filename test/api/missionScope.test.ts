/**
 * A mission's scope over real HTTP (issue 10): `core` or `full`, set when the mission is created and
 * changed later, validated, audited, kept by migration 0210 as `full` for missions that existed before,
 * and applied: the fill page of a core mission hides the questions outside the core set and its score
 * does not count them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/storage/audit.js';
import { createCountry } from '../../src/storage/countries.js';
import { createMission } from '../../src/storage/missions.js';
import type { RunningServer } from '../../src/web/server.js';
import { Client, seedUser, startTestServer } from './helpers.js';
import { ENGINES } from '../support/engines.js';

interface MissionReply { mission: { id: number; scope: string }; assessments: { id: number; questionnaireId: string }[] }
interface ScoreReply { score: { coverage: { answered: number; applicable: number }; questions: { questionId: string; status: string }[] } }

describe.each(ENGINES)('mission scope on %s', (engine) => {
  let running: RunningServer;
  let manager: Client;

  beforeAll(async () => {
    running = await startTestServer({ engine });
    await createCountry(running.store.db, SYSTEM, { code: 'KZ', name: { en: 'Kazakhstan', ru: 'Казахстан' } });
    await seedUser(running.store.db, 'manager@example.org', 'manager');
    manager = new Client(running.url);
    await manager.login('manager@example.org');
  });
  afterAll(async () => running?.close());

  it('defaults to full, as migration 0210 gives missions that existed before', async () => {
    const existing = await createMission(running.store.db, SYSTEM, { countryCode: 'KZ', title: 'Earlier mission', startsOn: '2026-03-01', endsOn: '2026-03-03' });
    expect(existing.scope).toBe('full');
    const reply = await manager.get<{ mission: { scope: string } }>(`/api/missions/${existing.id}`);
    expect(reply.body.mission.scope).toBe('full');
  });

  it('creates a core mission, hides the questions outside the core set and leaves them out of the score', async () => {
    const created = await manager.request<MissionReply>('POST', '/api/missions', { countryCode: 'KZ', title: 'Core visit', startsOn: '2026-03-10', endsOn: '2026-03-12', scope: 'core' });
    expect(created.status).toBe(201);
    expect(created.body.mission.scope).toBe('core');
    const assessmentId = created.body.assessments[0]?.id;
    // The fixture's core set is the critical preservation-power; preservation-days and the text field are outside it.
    const page = await fetch(`${running.url}/assessments/${assessmentId}`, { headers: { cookie: manager.cookie ?? '' } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('data-question="preservation-power"');
    expect(html).not.toContain('data-question="preservation-days"');
    expect(html).not.toContain('data-question="documents-received"');

    const saved = await manager.request('PUT', `/api/assessments/${assessmentId}/answers/preservation-power`, { value: 3, evidence: 'documented', baseRevision: 0, opId: crypto.randomUUID() });
    expect(saved.status, JSON.stringify(saved.body)).toBeLessThan(300);
    const score = await manager.get<ScoreReply>(`/api/assessments/${assessmentId}/score`);
    expect(score.body.score.coverage).toEqual({ answered: 1, applicable: 1 });
    expect(score.body.score.questions.find((q) => q.questionId === 'preservation-days')?.status).toBe('hidden');

    const widened = await manager.request<{ mission: { scope: string } }>('PATCH', `/api/missions/${created.body.mission.id}`, { scope: 'full' });
    expect(widened.body.mission.scope).toBe('full');
    const full = await manager.get<ScoreReply>(`/api/assessments/${assessmentId}/score`);
    expect(full.body.score.coverage).toEqual({ answered: 1, applicable: 2 });
  });

  it('refuses a scope other than core or full, naming the field', async () => {
    const reply = await manager.request<{ error: { details: { path: string; message: string }[] } }>('POST', '/api/missions', { countryCode: 'KZ', title: 'Bad', startsOn: '2026-03-10', endsOn: '2026-03-12', scope: 'everything' });
    expect(reply.status).toBe(400);
    expect(reply.body.error.details[0]?.path).toBe('scope');
    expect(reply.body.error.details[0]?.message).toMatch(/core, full/);
  });
});
