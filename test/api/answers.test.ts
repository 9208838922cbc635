/** Autosave over HTTP: revisions, 409 on a stale write, idempotent retries, validation naming the field. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAssessment } from '../../src/storage/assessments.js';
import { SYSTEM } from '../../src/storage/audit.js';
import { createCountry } from '../../src/storage/countries.js';
import { createMission } from '../../src/storage/missions.js';
import type { RunningServer } from '../../src/web/server.js';
import { Client, isErrorShape, seedUser, startTestServer } from './helpers.js';
import { ENGINES } from '../support/engines.js';

describe.each(ENGINES)('answers on %s', (engine) => {
  let running: RunningServer;
  let expert: Client;
  let colleague: Client;
  let assessmentId: number;
  const url = (questionId: string) => `/api/assessments/${assessmentId}/answers/${questionId}`;

  beforeAll(async () => {
    running = await startTestServer({ engine });
    const { db } = running.store;
    await createCountry(db, SYSTEM, { code: 'KZ', name: { en: 'Kazakhstan', ru: 'Казахстан' } });
    const mission = await createMission(db, SYSTEM, { countryCode: 'KZ', title: 'Mission', startsOn: '2025-06-11', endsOn: '2025-06-13' });
    assessmentId = (await createAssessment(db, SYSTEM, { missionId: mission.id, questionnaireId: 'preservation-demo', questionnaireVersion: 1 })).id;
    await seedUser(db, 'expert@example.org', 'expert', ['KZ']);
    await seedUser(db, 'colleague@example.org', 'expert', ['KZ']);
    expert = new Client(running.url);
    colleague = new Client(running.url);
    await expert.login('expert@example.org');
    await colleague.login('colleague@example.org');
  });
  afterAll(async () => running?.close());

  describe('PUT /api/assessments/:id/answers/:questionId', () => {
    it('saves a new answer at revision 1 and the next one at revision 2', async () => {
      expect(await expert.request('PUT', url('preservation-power'), { value: 2, evidence: 'testimonial', note: 'Art. 16 used by analogy', baseRevision: 0, opId: 'op-1' }))
        .toMatchObject({ status: 200, body: { revision: 1, replayed: false } });
      expect(await expert.request('PUT', url('preservation-power'), { value: 3, evidence: 'documented', source: 'Order 12/2024', baseRevision: 1, opId: 'op-2' }))
        .toMatchObject({ status: 200, body: { revision: 2 } });
      const view = await expert.get<{ answers: { questionId: string; value: unknown; revision: number; evidence: string; source: string; status: string }[] }>(`/api/assessments/${assessmentId}`);
      expect(view.body.answers).toEqual([expect.objectContaining({ questionId: 'preservation-power', value: 3, revision: 2, evidence: 'documented', source: 'Order 12/2024', status: 'current' })]);
    });

    it('rejects a stale base revision with 409 and the current answer, and overwrites nothing', async () => {
      const stale = await colleague.request<{ error: { code: string; details: { path: string }[] }; current: { value: unknown; revision: number } }>('PUT', url('preservation-power'), { value: 0, baseRevision: 1, opId: 'op-stale' });
      expect(stale.status).toBe(409);
      expect(isErrorShape(stale.body)).toBe(true);
      expect(stale.body.error.code).toBe('conflict');
      expect(stale.body.error.details[0]?.path).toBe('baseRevision');
      expect(stale.body.current).toMatchObject({ value: 3, revision: 2, source: 'Order 12/2024' });
      const view = await expert.get<{ answers: { value: unknown; revision: number }[] }>(`/api/assessments/${assessmentId}`);
      expect(view.body.answers[0]).toMatchObject({ value: 3, revision: 2 });
    });

    it('lets exactly one of two simultaneous edits of the same revision win', async () => {
      const [a, b] = await Promise.all([
        expert.request('PUT', url('preservation-power'), { value: 4, baseRevision: 2, opId: 'race-a' }),
        colleague.request('PUT', url('preservation-power'), { value: 1, baseRevision: 2, opId: 'race-b' }),
      ]);
      expect([a.status, b.status].sort()).toEqual([200, 409]);
    });

    it('answers a retry with the same opId with the first result, not a conflict', async () => {
      const body = { value: 'not_applicable', baseRevision: 0, opId: 'retry-1' };
      const first = await expert.request('PUT', url('documents-received').replace('documents-received', 'preservation-days'), { ...body, value: 5 });
      expect(first).toMatchObject({ status: 200, body: { revision: 1, replayed: false } });
      const again = await expert.request('PUT', url('preservation-days'), { ...body, value: 5 });
      expect(again).toMatchObject({ status: 200, body: { revision: 1, replayed: true } });
      const history = await expert.get<{ history: unknown[] }>(`${url('preservation-days')}/history`);
      expect(history.body.history).toHaveLength(1);
    });

    it('refuses an opId reused for another question', async () => {
      const reply = await expert.request<{ error: { details: { path: string }[] } }>('PUT', url('documents-received'), { value: 'Law 123', baseRevision: 0, opId: 'retry-1' });
      expect(reply.status).toBe(409);
      expect(reply.body.error.details[0]?.path).toBe('opId');
    });

    it.each([
      ['a maturity level out of range', 'preservation-power', { value: 7 }, 'value', /level from 0 to 4/],
      ['text for a number question', 'preservation-days', { value: 'about a week' }, 'value', /must be a number/],
      ['a negative number below the minimum', 'preservation-days', { value: -1 }, 'value', /unknown|not_applicable|at least 0/],
      ['a missing value', 'preservation-power', {}, 'value', /missing/],
      ['an unknown evidence level', 'preservation-power', { value: 2, evidence: 'rumour' }, 'evidence', /documented/],
      ['a missing base revision', 'preservation-power', { value: 2, baseRevision: undefined }, 'baseRevision', /revision/],
      ['a missing opId', 'preservation-power', { value: 2, opId: undefined }, 'opId', /unique id/],
      ['an unknown field', 'preservation-power', { value: 2, colour: 'red' }, 'colour', /unknown field/],
    ])('rejects %s with 400 naming the field', async (_name, questionId, patch, field, message) => {
      const reply = await expert.request<{ error: { code: string; message: string; details: { path: string; message: string }[] } }>('PUT', url(questionId), { baseRevision: 0, opId: `bad-${field}-${Math.random()}`, ...patch });
      expect(reply.status).toBe(400);
      expect(isErrorShape(reply.body)).toBe(true);
      expect(reply.body.error.code).toBe('validation_failed');
      expect(reply.body.error.details.map((d) => d.path)).toContain(field);
      expect(reply.body.error.details.find((d) => d.path === field)?.message).toMatch(message);
    });

    it('answers 404 for a question the questionnaire does not have, and for an unknown assessment', async () => {
      const question = await expert.request<{ error: { code: string; message: string } }>('PUT', url('no-such-question'), { value: 1, baseRevision: 0, opId: 'x-404' });
      expect(question.status).toBe(404);
      expect(question.body.error.message).toMatch(/no-such-question/);
      expect((await expert.request('PUT', '/api/assessments/999/answers/preservation-power', { value: 1, baseRevision: 0, opId: 'x-404b' })).status).toBe(404);
    });

    it('returns the questionnaire, answers with revisions and scores in one read', async () => {
      const view = await expert.get<{ questionnaire: { id: string; sections: unknown[] }; score: { score: number | null; sections: unknown[] }; assessment: { questionnaireVersion: number; currentVersion: number } }>(`/api/assessments/${assessmentId}`);
      expect(view.body.questionnaire.id).toBe('preservation-demo');
      expect(view.body.questionnaire.sections).toHaveLength(1);
      expect(view.body.assessment).toMatchObject({ questionnaireVersion: 1, currentVersion: 1 });
      expect(view.body.score.score).toBeGreaterThan(0);
      const score = await expert.get<{ score: { questionnaireId: string } }>(`/api/assessments/${assessmentId}/score`);
      expect(score.body.score.questionnaireId).toBe('preservation-demo');
    });

    it('keeps every revision with its author, and keeps answer text out of the audit log', async () => {
      const history = await expert.get<{ history: { revision: number; author: { email: string } }[] }>(`${url('preservation-power')}/history`);
      expect(history.body.history.map((h) => h.revision)).toEqual([3, 2, 1]);
      expect(history.body.history[2]?.author.email).toBe('expert@example.org');
      const audit = await running.store.db.selectFrom('audit_log').selectAll().where('action', '=', 'answer.save').execute();
      expect(audit.length).toBeGreaterThanOrEqual(4);
      expect(JSON.stringify(audit)).not.toContain('Art. 16 used by analogy');
    });
  });
});
