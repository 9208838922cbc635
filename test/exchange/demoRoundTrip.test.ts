/**
 * The real questionnaires and the illustrative demo missions: every mission survives export → import on
 * a fresh database answer for answer and revision for revision, and its spreadsheet rows are identical
 * on both sides.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDemoData } from '../../src/demo/loadDemo.js';
import { exportMissionBundle, importMissionBundle } from '../../src/exchange/bundle/bundles.js';
import { decodeBundle } from '../../src/exchange/bundle/format.js';
import { buildExport } from '../../src/exchange/exportData.js';
import { loadQuestionnaires } from '../../src/questionnaire/load.js';
import { SYSTEM } from '../../src/storage/audit.js';
import { recordSnapshots } from '../../src/storage/questionnaireVersions.js';
import { engineStore, missionRows } from './helpers.js';
import { ENGINES } from '../support/engines.js';

const ROOT = join(import.meta.dirname, '..', '..');

describe.each(ENGINES)('demo round trip on %s', (engine) => {
  describe('demo missions with the real questionnaires', () => {
    it('round-trip through bundles onto a fresh database without a difference', async () => {
      const questionnaires = await loadQuestionnaires([join(ROOT, 'questionnaires')]);
      expect(questionnaires.issues).toEqual([]);
      const source = await engineStore(engine);
      const target = await engineStore(engine);
      try {
        await recordSnapshots(source.db, questionnaires.questionnaires);
        await recordSnapshots(target.db, questionnaires.questionnaires);
        const loaded = await loadDemoData(source.db, questionnaires, { dir: join(ROOT, 'data', 'demo'), file: source.location });
        expect(loaded.missions).toBeGreaterThan(0);
        const missions = await source.db.selectFrom('missions').select(['id', 'country_code']).orderBy('id').execute();
        // One mission on the core indicators (the demo missions are all full): its scope must survive too.
        const coreMission = missions[0];
        if (!coreMission) throw new Error('no demo mission');
        await source.db.updateTable('missions').set({ scope: 'core' }).where('id', '=', coreMission.id).execute();
        const mapping = new Map<number, number>();
        for (const mission of missions) {
          const { file } = await exportMissionBundle(source.db, mission.id);
          const result = await importMissionBundle(target.db, SYSTEM, file, { questionnaires: questionnaires.questionnaires });
          expect(result.warnings).toEqual([]);
          expect(result.summary.answersAdded).toBe(decodeBundle(file).body.assessments.reduce((n, a) => n + a.answers.length, 0));
          const before = await missionRows(source, mission.id);
          expect(before.answers.length).toBeGreaterThan(10);
          expect(await missionRows(target, result.missionId)).toEqual(before);
          mapping.set(mission.id, result.missionId);
        }

        // The spreadsheet model of every country reads the same on both databases (ids aside).
        for (const code of new Set(missions.map((m) => m.country_code))) {
          const strip = (model: Awaited<ReturnType<typeof buildExport>>) => model.missions.map((m) => ({
            ...m, id: 0, uid: null, assessments: m.assessments.map((a) => ({ ...a, rows: a.rows.map((r) => ({ ...r, missionId: 0, question: undefined })) })),
          }));
          const a = await buildExport(source.db, questionnaires, { kind: 'country', code });
          const b = await buildExport(target.db, questionnaires, { kind: 'country', code });
          expect(strip(b)).toEqual(strip(a));
          if (code === coreMission.country_code) {
            const core = b.missions.find((m) => m.id === mapping.get(coreMission.id));
            expect(core?.scope).toBe('core');
            expect(core?.assessments.flatMap((a) => a.rows).some((r) => r.missionScope === 'core' && r.status === 'hidden')).toBe(true);
          }
        }
        expect(mapping.size).toBe(missions.length);
      } finally {
        await source.close();
        await target.close();
      }
    });
  });
});
