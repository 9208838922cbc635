/** Countries, their scores and their per-country target levels. */
import { Router } from 'express';
import { z } from 'zod';
import { Problem } from '../../shared/problem.js';
import { countryScore, findQuestionnaire } from '../../assessment/assessmentView.js';
import { createCountry, getCountry, listCountries, updateCountry } from '../../storage/countries.js';
import { deleteTargetOverride, listTargetOverrides, setTargetOverride } from '../../storage/targets.js';
import { isScored } from '../../questionnaire/schema.js';
import { visibleCountries } from '../auth/permissions.js';
import { authorize, requirePermission, requireUser, userOf } from '../auth/session.js';
import type { ApiContext } from './context.js';
import { bilingualName, countryCode, idParam, parseInput } from './validate.js';

const newCountry = z.strictObject({ code: countryCode, name: bilingualName });
const countryChanges = z.strictObject({ name: bilingualName.partial() });
const targetBody = z.strictObject({ target: z.number().int('must be a whole level').min(0, 'must be 0–4').max(4, 'must be 0–4') });

export function countriesRouter(context: ApiContext): Router {
  const router = Router();
  const { db } = context.store;

  router.get('/countries', requireUser, async (req, res) => {
    res.json({ countries: await listCountries(db, visibleCountries(userOf(req))) });
  });

  router.post('/countries', requirePermission('country.create'), async (req, res) => {
    const input = parseInput(newCountry, req.body);
    res.status(201).json({ country: await createCountry(db, userOf(req), input) });
  });

  router.get('/countries/:code', requireUser, async (req, res) => {
    const code = req.params.code as string;
    authorize(userOf(req), 'country.read', code);
    res.json({ country: await getCountry(db, code) });
  });

  router.patch('/countries/:code', requirePermission('country.update'), async (req, res) => {
    const input = parseInput(countryChanges, req.body);
    res.json({ country: await updateCountry(db, userOf(req), req.params.code as string, input.name) });
  });

  router.get('/countries/:code/score', requireUser, async (req, res) => {
    const code = req.params.code as string;
    authorize(userOf(req), 'country.read', code);
    await getCountry(db, code);
    const mission = typeof req.query.mission === 'string' ? idParam(req.query.mission, 'Mission') : undefined;
    res.json(await countryScore(db, context.questionnaires, code, mission));
  });

  router.get('/countries/:code/targets', requireUser, async (req, res) => {
    const code = req.params.code as string;
    authorize(userOf(req), 'country.read', code);
    await getCountry(db, code);
    res.json({ targets: await listTargetOverrides(db, code) });
  });

  function scoredQuestion(questionnaireId: string, questionId: string): void {
    const questionnaire = findQuestionnaire(context.questionnaires, questionnaireId);
    if (!questionnaire) throw Problem.notFound(`Questionnaire ${questionnaireId}`);
    const placed = questionnaire.questionsById.get(questionId);
    if (!placed) throw Problem.notFound(`Question ${questionId} in ${questionnaireId}`);
    if (!isScored(placed.question)) throw Problem.validation(`Question ${questionId} is not scored, so it has no target level.`, [{ path: 'questionId', message: 'is a free-text or date question' }]);
  }

  router.put('/countries/:code/targets/:questionnaireId/:questionId', requireUser, async (req, res) => {
    const code = req.params.code as string;
    authorize(userOf(req), 'target.write', code);
    await getCountry(db, code);
    const { questionnaireId, questionId } = req.params as { questionnaireId: string; questionId: string };
    scoredQuestion(questionnaireId, questionId);
    const { target } = parseInput(targetBody, req.body);
    res.json({ target: await setTargetOverride(db, userOf(req), { countryCode: code, questionnaireId, questionId, target }) });
  });

  router.delete('/countries/:code/targets/:questionnaireId/:questionId', requireUser, async (req, res) => {
    const code = req.params.code as string;
    authorize(userOf(req), 'target.write', code);
    const { questionnaireId, questionId } = req.params as { questionnaireId: string; questionId: string };
    if (!(await deleteTargetOverride(db, userOf(req), { countryCode: code, questionnaireId, questionId }))) {
      throw Problem.notFound(`Target override for ${questionnaireId}/${questionId} in ${code}`);
    }
    res.status(204).end();
  });

  return router;
}
