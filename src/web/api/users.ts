/** User accounts: administrators only. */
import { Router } from 'express';
import { z } from 'zod';
import { ROLES } from '../../storage/schema.js';
import { createUser, getUser, listUsers, updateUser } from '../../storage/users.js';
import { hashPassword, passwordProblem } from '../auth/passwords.js';
import { requirePermission, userOf } from '../auth/session.js';
import type { ApiContext } from './context.js';
import { countryCode, idParam, parseInput, shortText } from './validate.js';

const password = z.string().superRefine((value, ctx) => {
  const problem = passwordProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});
const role = z.enum(ROLES, { error: `must be one of ${ROLES.join(', ')}` });
const language = z.enum(['en', 'ru'], { error: 'must be en or ru' });
const newUser = z.strictObject({
  email: z.email('must be an e-mail address').max(320),
  name: shortText,
  password,
  role,
  language: language.optional(),
  countries: z.array(countryCode).max(250).optional(),
});
const userChanges = z.strictObject({
  name: shortText.optional(),
  role: role.optional(),
  language: language.optional(),
  countries: z.array(countryCode).max(250).optional(),
  disabled: z.boolean().optional(),
  password: password.optional(),
});

export function usersRouter(context: ApiContext): Router {
  const router = Router();
  const { db } = context.store;
  router.use('/users', requirePermission('user.manage'));

  router.get('/users', async (_req, res) => {
    res.json({ users: await listUsers(db) });
  });

  router.post('/users', async (req, res) => {
    const input = parseInput(newUser, req.body);
    const user = await createUser(db, userOf(req), { ...input, passwordHash: await hashPassword(input.password) });
    res.status(201).json({ user });
  });

  router.get('/users/:id', async (req, res) => {
    res.json({ user: await getUser(db, idParam(req.params.id as string, 'User')) });
  });

  router.patch('/users/:id', async (req, res) => {
    const id = idParam(req.params.id as string, 'User');
    const { password: newPassword, ...changes } = parseInput(userChanges, req.body);
    const passwordHash = newPassword === undefined ? undefined : await hashPassword(newPassword);
    res.json({ user: await updateUser(db, userOf(req), id, { ...changes, passwordHash }) });
  });

  return router;
}
