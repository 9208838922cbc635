/**
 * /account/password: a signed-in user changes their own password (current one first). A user whose
 * password is a temporary one set by an administrator is sent here by every page until they have
 * chosen their own. The new password goes through the one account path (hashNewPassword: the policy)
 * and the one repository function (updateUser: it ends every session of the user); this browser then
 * gets a fresh session, so the user stays signed in here and nowhere else.
 */
import { Router, type NextFunction, type Request, type Response } from 'express';
import { hashNewPassword, verifyPassword } from '../../../accounts/passwords.js';
import { MIN_PASSWORD_LENGTH } from '../../../accounts/passwordPolicy.js';
import { signIn } from '../../../accounts/signIn.js';
import { Problem } from '../../../shared/problem.js';
import { updateUser } from '../../../storage/users.js';
import { requireUser, setSessionCookie, userOf } from '../../auth/session.js';
import type { PagesContext } from '../context.js';
import type { FormError } from '../forms.js';
import { frameFor, sendPage } from '../frame.js';

const ALLOWED_WHILE_TEMPORARY = new Set(['/account/password', '/logout', '/language', '/offline', '/login']);

/** Pages wait until a temporary password has been replaced (the API is unaffected). */
export function requireOwnPassword(req: Request, res: Response, next: NextFunction): void {
  if (!req.user || !req.mustChangePassword || ALLOWED_WHILE_TEMPORARY.has(req.path)) return next();
  res.redirect(303, '/account/password');
}

export function accountPages(context: PagesContext): Router {
  const router = Router();
  const { db } = context.store;

  function show(req: Request, res: Response, errors: FormError[] = [], status = 200): void {
    const frame = frameFor(req, { title: '', pageId: 'account' });
    frame.title = frame.t('web:account.title');
    sendPage(res, context.renderer, 'account', frame, {
      errors,
      temporary: req.mustChangePassword === true,
      changed: req.query.changed === '1',
      minPassword: MIN_PASSWORD_LENGTH,
    }, status);
  }

  router.get('/account/password', requireUser, (req, res) => show(req, res));

  router.post('/account/password', requireUser, async (req, res) => {
    const user = userOf(req);
    const t = frameFor(req, { title: '', pageId: 'account' }).t;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const current = typeof body.current === 'string' ? body.current : '';
    const next = typeof body.password === 'string' ? body.password : '';
    const stored = await db.selectFrom('users').select('password_hash').where('id', '=', user.id).executeTakeFirstOrThrow();
    if (!(await verifyPassword(current, stored.password_hash))) return show(req, res, [{ field: 'current', message: t('web:account.wrongCurrent') }], 400);
    if (next !== body.confirm) return show(req, res, [{ field: 'confirm', message: t('web:account.mismatch') }], 400);
    if (next === current) return show(req, res, [{ field: 'password', message: t('web:account.same') }], 400);
    let passwordHash: string;
    try {
      passwordHash = await hashNewPassword(next, [user.email, user.name]);
    } catch (error) {
      if (error instanceof Problem && error.code === 'validation_failed') return show(req, res, [{ field: 'password', message: t('web:form.errors.password') }], 400);
      throw error;
    }
    await updateUser(db, user, user.id, { passwordHash, mustChangePassword: false });
    // Every session ended with the change; this browser signs in again with the new password.
    const signedIn = await signIn(db, user.email, next, context.config.sessionPolicy);
    setSessionCookie(res, context.config, signedIn.token, signedIn.expiresAt);
    res.redirect(303, '/account/password?changed=1');
  });

  return router;
}
