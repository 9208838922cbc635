/** POST /api/session (sign in), DELETE /api/session (sign out), GET /api/me. */
import { Router } from 'express';
import { z } from 'zod';
import { clearSessionCookie, requireUser, setSessionCookie, signIn, signOut, userOf } from '../auth/session.js';
import type { ApiContext } from './context.js';
import { parseInput } from './validate.js';

const credentials = z.object({
  email: z.string().trim().min(1, 'is required').max(320),
  password: z.string().min(1, 'is required').max(1024),
});

export function sessionRouter(context: ApiContext): Router {
  const router = Router();
  const { db } = context.store;
  router.post('/session', context.signInLimit, async (req, res) => {
    const { email, password } = parseInput(credentials, req.body);
    const signedIn = await signIn(db, email, password, context.config.sessionPolicy);
    setSessionCookie(res, context.config, signedIn.token, signedIn.expiresAt);
    res.status(201).json({ user: signedIn.user, csrfToken: signedIn.csrfToken, expiresAt: signedIn.expiresAt });
  });
  router.delete('/session', requireUser, async (req, res) => {
    await signOut(db, req);
    clearSessionCookie(res, context.config);
    res.status(204).end();
  });
  router.get('/me', requireUser, (req, res) => {
    res.json({ user: userOf(req), csrfToken: req.csrfToken });
  });
  return router;
}
