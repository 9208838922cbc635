/** The dashboard: the countries and missions the user may see, with progress, scores and last edits. */
import { Router } from 'express';
import { listAssessments } from '../../../storage/assessments.js';
import { listCountries } from '../../../storage/countries.js';
import { listMissions } from '../../../storage/missions.js';
import { can, visibleCountries } from '../../auth/permissions.js';
import { requireUser, userOf } from '../../auth/session.js';
import type { PagesContext } from '../context.js';
import { summariseMission, type MissionSummary } from '../data/summaries.js';
import { frameFor, sendPage } from '../frame.js';
import { MISSION_STATUSES } from '../../../storage/schema.js';

export function dashboardPages(context: PagesContext): Router {
  const router = Router();
  const { db } = context.store;

  router.get('/', requireUser, async (req, res) => {
    const user = userOf(req);
    const visible = visibleCountries(user);
    const frame = frameFor(req, { title: '', pageId: 'dashboard' });
    const countries = await listCountries(db, visible);
    const missions = await listMissions(db, visible);
    const assessments = await listAssessments(db, visible);
    const summaries: MissionSummary[] = [];
    for (const mission of missions) {
      summaries.push(await summariseMission(db, context.questionnaires, mission, assessments.filter((a) => a.missionId === mission.id), frame.lang));
    }
    const view = countries.map((country) => ({
      code: country.code,
      name: country.name[frame.lang],
      missions: summaries.filter((s) => s.mission.countryCode === country.code).map((s) => ({ ...s, canAnswer: can(user, 'answer.write', s.mission.countryCode) })),
    }));
    frame.title = frame.t('web:dashboard.title');
    frame.demo = missions.some((m) => m.isDemo);
    sendPage(res, context.renderer, 'dashboard', frame, {
      countries: view,
      canCreateMission: can(user, 'mission.create'),
      newMission: { countries: countries.map((c) => ({ code: c.code, name: c.name[frame.lang] })), statuses: MISSION_STATUSES },
    });
  });

  return router;
}
