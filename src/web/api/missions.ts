/** Missions: list and read within the countries a user may see; create and update for managers. */
import { Router } from 'express';
import { z } from 'zod';
import { Problem } from '../../shared/problem.js';
import { answeredQuestionIds } from '../../storage/answers.js';
import { createAssessment, listAssessments } from '../../storage/assessments.js';
import { findQuestionnaire } from '../../assessment/assessmentView.js';
import { createMission, getMission, listMissions, updateMission } from '../../storage/missions.js';
import { MISSION_STATUSES } from '../../storage/schema.js';
import { SCOPES } from '../../questionnaire/vocabulary.js';
import { inTransaction } from '../../storage/transaction.js';
import { visibleCountries } from '../auth/permissions.js';
import { authorize, requirePermission, requireUser, userOf } from '../auth/session.js';
import { offlinePagesOf } from '../pages/offlinePages.js';
import type { ApiContext } from './context.js';
import { countryCode, idParam, parseInput } from './validate.js';
import { missionFields as sharedMissionFields } from '../../shared/fields.js';

const missionFields = {
  ...sharedMissionFields,
  team: sharedMissionFields.team.optional(),
  institutionsMet: sharedMissionFields.institutionsMet.optional(),
  status: z.enum(MISSION_STATUSES, { error: `must be one of ${MISSION_STATUSES.join(', ')}` }).optional(),
  /** `core`: the visit-sized set of indicators; `full` (default): every question. */
  scope: z.enum(SCOPES, { error: `must be one of ${SCOPES.join(', ')}: core shows only the core indicators, full shows every question` }).optional(),
};
const newMission = z.strictObject({
  countryCode,
  ...missionFields,
  /** Questionnaires to start assessments for; all installed ones when absent. */
  questionnaires: z.array(z.string()).optional(),
});
const missionChanges = z.strictObject(missionFields).partial();

export function missionsRouter(context: ApiContext): Router {
  const router = Router();
  const { db } = context.store;

  router.get('/missions', requireUser, async (req, res) => {
    const country = typeof req.query.country === 'string' ? req.query.country : undefined;
    res.json({ missions: await listMissions(db, visibleCountries(userOf(req)), country) });
  });

  router.post('/missions', requirePermission('mission.create'), async (req, res) => {
    const user = userOf(req);
    const input = parseInput(newMission, req.body);
    authorize(user, 'mission.create', input.countryCode);
    const questionnaires = (input.questionnaires ?? context.questionnaires.questionnaires.map((q) => q.id)).map((id) => {
      const questionnaire = findQuestionnaire(context.questionnaires, id);
      if (!questionnaire) throw Problem.validation(`Unknown questionnaire "${id}".`, [{ path: 'questionnaires', message: `"${id}" is not installed: use ${context.questionnaires.questionnaires.map((q) => q.id).join(', ')}` }]);
      return questionnaire;
    });
    const result = await inTransaction(db, async (trx) => {
      const mission = await createMission(trx, user, input);
      const assessments = [];
      for (const q of questionnaires) assessments.push(await createAssessment(trx, user, { missionId: mission.id, questionnaireId: q.id, questionnaireVersion: q.version }));
      return { mission, assessments };
    });
    res.status(201).json(result);
  });

  router.get('/missions/:id', requireUser, async (req, res) => {
    const mission = await getMission(db, idParam(req.params.id as string, 'Mission'));
    authorize(userOf(req), 'country.read', mission.countryCode);
    res.json({ mission, assessments: await listAssessments(db, 'all', { missionId: mission.id }) });
  });

  /** The pages to store for working on this mission offline (see pages/offlinePages.ts). */
  router.get('/missions/:id/offline-pages', requireUser, async (req, res) => {
    const mission = await getMission(db, idParam(req.params.id as string, 'Mission'));
    authorize(userOf(req), 'country.read', mission.countryCode);
    const assessments = await listAssessments(db, 'all', { missionId: mission.id });
    const answered = await answeredQuestionIds(db, assessments.map((a) => a.id));
    const pages = offlinePagesOf(mission.id, assessments.map((a) => ({ id: a.id, installed: findQuestionnaire(context.questionnaires, a.questionnaireId) !== undefined, answeredQuestionIds: answered.get(a.id) ?? [] })));
    res.json({ missionId: mission.id, title: mission.title, pages });
  });

  router.patch('/missions/:id', requireUser, async (req, res) => {
    const id = idParam(req.params.id as string, 'Mission');
    const before = await getMission(db, id);
    authorize(userOf(req), 'mission.update', before.countryCode);
    const changes = parseInput(missionChanges, req.body);
    res.json({ mission: await updateMission(db, userOf(req), id, changes) });
  });

  return router;
}
