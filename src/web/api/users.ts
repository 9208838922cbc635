/** User accounts: administrators only. */
import { Router } from 'express';
import { z } from 'zod';
import { hashNewPassword } from '../../accounts/passwords.js';
import { userFields } from '../../accounts/userFields.js';
import { createUser, getUser, listUsers, updateUser } from '../../storage/users.js';
import { requirePermission, userOf } from '../auth/session.js';
import type { ApiContext } from './context.js';
import { idParam, parseInput } from './validate.js';

const newUser = z.strictObject({ ...userFields, language: userFields.language.optional(), countries: userFields.countries.optional() });
const userChanges = z.strictObject({ ...userFields, disabled: z.boolean() }).omit({ email: true }).partial();

export function usersRouter(context: ApiContext): Router {
  const router = Router();
  const { db } = context.store;
  router.use('/users', requirePermission('user.manage'));

  router.get('/users', async (_req, res) => {
    res.json({ users: await listUsers(db) });
  });

  router.post('/users', async (req, res) => {
    const input = parseInput(newUser, req.body);
    const user = await createUser(db, userOf(req), { ...input, passwordHash: await hashNewPassword(input.password, [input.email, input.name]) });
    res.status(201).json({ user });
  });

  router.get('/users/:id', async (req, res) => {
    res.json({ user: await getUser(db, idParam(req.params.id as string, 'User')) });
  });

  const userInputsOf = async (id: number): Promise<string[]> => {
    const user = await getUser(db, id);
    return [user.email, user.name];
  };

  router.patch('/users/:id', async (req, res) => {
    const id = idParam(req.params.id as string, 'User');
    const { password: newPassword, ...changes } = parseInput(userChanges, req.body);
    const passwordHash = newPassword === undefined ? undefined : await hashNewPassword(newPassword, await userInputsOf(id));
    res.json({ user: await updateUser(db, userOf(req), id, { ...changes, passwordHash }) });
  });

  return router;
}
