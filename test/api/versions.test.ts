/**
 * A questionnaire whose version changed after answers exist loses no answer: answers to removed
 * questions stay visible as retired, answers that no longer fit are listed, and a change report says
 * what changed since the pinned version.
 */
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildQuestionnaire } from '../../src/questionnaire/model.js';
import type { QuestionnaireDoc } from '../../src/questionnaire/schema.js';
import { SYSTEM } from '../../src/storage/audit.js';
import { createCountry } from '../../src/storage/countries.js';
import { compareVersions } from '../../src/storage/questionnaireVersions.js';
import type { AnswerDto } from '../../src/storage/answers.js';
import { Client, FIXTURES, seedUser, startTestServer } from './helpers.js';
import { ENGINES, testLocation } from '../support/engines.js';

interface View {
  assessment: { questionnaireVersion: number; currentVersion: number };
  answers: { questionId: string; value: unknown; status: string; revision: number }[];
  changes: { pinnedVersion: number; currentVersion: number; snapshotAvailable: boolean; added: string[]; removed: string[]; changed: string[]; retiredAnswers: string[]; invalidAnswers: { questionId: string; message: string }[] } | null;
  score: { questions: { questionId: string; status: string }[] };
}

describe.each(ENGINES)('versions on %s', (engine) => {
  describe('questionnaire versions', () => {
    it('keeps answers across a new version and reports what changed', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'ena-versions-'));
      await cp(FIXTURES, dir, { recursive: true });
      const dbFile = await testLocation(engine, 'ena-versions-');
      const v1 = await startTestServer({ engine, dbFile, env: { ENA_QUESTIONNAIRES: dir } });
      await createCountry(v1.store.db, SYSTEM, { code: 'KZ', name: { en: 'Kazakhstan', ru: 'Казахстан' } });
      await seedUser(v1.store.db, 'manager@example.org', 'manager');
      let client = new Client(v1.url);
      await client.login('manager@example.org');
      const created = await client.request<{ assessments: { id: number }[] }>('POST', '/api/missions', { countryCode: 'KZ', title: 'Mission', startsOn: '2025-06-11', endsOn: '2025-06-13' });
      expect(created.status).toBe(201);
      const id = created.body.assessments[0]?.id;
      for (const [questionId, value] of [['preservation-power', 3], ['preservation-days', 5], ['documents-received', 'Order 12/2024']] as const) {
        expect((await client.request('PUT', `/api/assessments/${id}/answers/${questionId}`, { value, baseRevision: 0, opId: questionId })).status).toBe(200);
      }
      expect((await client.get<View>(`/api/assessments/${id}`)).body.changes).toBeNull();
      await v1.close();

      // Version 2: documents-received removed, preservation-days now needs at least 10, a new question.
      const file = join(dir, 'preservation-demo.yaml');
      const yaml = (await readFile(file, 'utf8'))
        .replace('version: 1 ', 'version: 2 ')
        .replace('min: 0', 'min: 10')
        .replace(/ {6}- id: documents-received[\s\S]*$/, '      - id: institutions-met\n        type: text\n        text: { en: Institutions met, ru: Посещённые учреждения }\n        help: { en: List them., ru: Перечислите их. }\n');
      await writeFile(file, yaml);
      const v2 = await startTestServer({ engine, dbFile, env: { ENA_QUESTIONNAIRES: dir } });
      try {
        client = new Client(v2.url);
        await client.login('manager@example.org');
        const view = (await client.get<View>(`/api/assessments/${id}`)).body;
        expect(view.assessment).toMatchObject({ questionnaireVersion: 1, currentVersion: 2 });
        expect(Object.fromEntries(view.answers.map((a) => [a.questionId, [a.status, a.value]]))).toEqual({
          'preservation-power': ['current', 3],
          'preservation-days': ['invalid', 5],
          'documents-received': ['retired', 'Order 12/2024'],
        });
        expect(view.changes).toEqual({
          pinnedVersion: 1, currentVersion: 2, snapshotAvailable: true,
          added: ['institutions-met'], removed: ['documents-received'], changed: [],
          retiredAnswers: ['documents-received'],
          invalidAnswers: [{ questionId: 'preservation-days', message: 'must be at least 10' }],
        });
        // The invalid answer is not scored; the expert is asked to answer again.
        expect(view.score.questions.find((q) => q.questionId === 'preservation-days')?.status).toBe('unanswered');
        // History of the retired answer is still readable.
        expect((await client.get<{ history: unknown[] }>(`/api/assessments/${id}/answers/documents-received/history`)).body.history).toHaveLength(1);

        // Moving the assessment onto version 2 keeps the retired answer, still visible.
        expect((await client.request('POST', `/api/assessments/${id}/upgrade`)).body).toMatchObject({ assessment: { questionnaireVersion: 2 } });
        const after = (await client.get<View>(`/api/assessments/${id}`)).body;
        expect(after.answers.find((a) => a.questionId === 'documents-received')?.status).toBe('retired');
        expect(after.changes).toMatchObject({ pinnedVersion: 2, currentVersion: 2, added: [], removed: [], retiredAnswers: ['documents-received'] });
        // The retired question cannot be answered any more.
        expect((await client.request('PUT', `/api/assessments/${id}/answers/documents-received`, { value: 'x', baseRevision: 1, opId: 'late' })).status).toBe(404);
      } finally {
        await v2.close();
      }
    });

    it('reports a question whose type or options changed', () => {
      const doc = (type: 'maturity' | 'text'): QuestionnaireDoc => ({
        id: 'q', version: type === 'maturity' ? 1 : 2, title: { en: 'Q', ru: 'В' }, description: { en: 'Q', ru: 'В' },
        sections: [{ id: 's', title: { en: 'S', ru: 'Р' }, questions: [type === 'text'
          ? { id: 'a', type: 'text', text: { en: 'A', ru: 'А' }, help: { en: 'A', ru: 'А' }, multiline: true }
          : { id: 'a', type: 'maturity', scale: 'maturity', text: { en: 'A', ru: 'А' }, help: { en: 'A', ru: 'А' }, weight: 1, critical: false, target: 3, references: ['r'], recommendations: [] }] as never }],
      } as QuestionnaireDoc);
      const answer: AnswerDto = { questionId: 'a', value: 2, note: null, source: null, evidence: null, revision: 1, authorId: null, updatedAt: '' };
      const changes = compareVersions(1, doc('maturity'), buildQuestionnaire(doc('text'), 'q.yaml'), [answer]);
      expect(changes).toMatchObject({ changed: ['a'], retiredAnswers: [], invalidAnswers: [{ questionId: 'a', message: expect.stringMatching(/must be text/) }] });
    });
  });
});
