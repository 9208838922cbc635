/** Sign-in and sign-out forms, and the EN/RU switch (saved on the user, or in a cookie before sign-in). */
import { Router, type NextFunction, type Request, type Response } from 'express';
import { isLanguage } from '../../../i18n/i18n.js';
import { Problem } from '../../../shared/problem.js';
import { updateUser } from '../../../storage/users.js';
import { clearSessionCookie, setSessionCookie, signIn, signOut } from '../../auth/session.js';
import type { PagesContext } from '../context.js';
import { frameFor, LANGUAGE_COOKIE, safeReturnPath, sendPage } from '../frame.js';

const YEAR = 365 * 24 * 3_600_000;

export function sessionPages(context: PagesContext): Router {
  const router = Router();
  const { db } = context.store;

  const showLogin = (req: Request, res: Response, status: number, error: string | null, email = ''): void => {
    const frame = frameFor(req, { title: frameFor(req, { title: '', pageId: 'login' }).t('web:login.title'), pageId: 'login' });
    sendPage(res, context.renderer, 'login', frame, { next: safeReturnPath(req.query.next ?? (req.body as { next?: unknown } | undefined)?.next), error, email }, status);
  };

  router.get('/login', (req, res) => {
    if (req.user) return res.redirect(303, safeReturnPath(req.query.next));
    showLogin(req, res, 200, null);
  });

  const loginFailed = (error: unknown, req: Request, res: Response, next: NextFunction): void => {
    if (!(error instanceof Problem)) return next(error);
    const t = frameFor(req, { title: '', pageId: 'login' }).t;
    const email = typeof (req.body as { email?: unknown })?.email === 'string' ? (req.body as { email: string }).email : '';
    if (error.code === 'rate_limited') return showLogin(req, res, 429, t('web:login.rateLimited', { count: context.config.signInLimit.windowMinutes }), email);
    if (error.code === 'unauthenticated') return showLogin(req, res, 401, t('web:login.failed'), email);
    next(error);
  };

  router.post('/login', context.signInLimit, async (req: Request, res: Response) => {
    const body = (req.body ?? {}) as { email?: unknown; password?: unknown; next?: unknown };
    const email = typeof body.email === 'string' ? body.email.trim() : '';
    const password = typeof body.password === 'string' ? body.password : '';
    if (!email || !password) {
      const t = frameFor(req, { title: '', pageId: 'login' }).t;
      return showLogin(req, res, 400, t('web:login.missing'), email);
    }
    const signedIn = await signIn(db, email, password, context.config.sessionPolicy);
    setSessionCookie(res, context.config, signedIn.token, signedIn.expiresAt);
    res.redirect(303, safeReturnPath(body.next));
  }, loginFailed);

  router.post('/logout', async (req, res) => {
    await signOut(db, req);
    clearSessionCookie(res, context.config);
    // A language chosen while signed in stays for the sign-in page.
    if (req.user) res.cookie(LANGUAGE_COOKIE, req.user.language, { httpOnly: true, sameSite: 'lax', secure: context.config.secureCookies, maxAge: YEAR, path: '/' });
    res.redirect(303, '/login');
  });

  /** Signed in: a POST form (CSRF-checked) that saves the choice on the user. */
  router.post('/language', async (req, res) => {
    const body = (req.body ?? {}) as { language?: unknown; returnTo?: unknown };
    if (!isLanguage(body.language)) throw Problem.validation('Choose en or ru.', [{ path: 'language', message: 'must be en or ru' }]);
    if (req.user && req.user.language !== body.language) await updateUser(db, req.user, req.user.id, { language: body.language });
    res.cookie(LANGUAGE_COOKIE, body.language, { httpOnly: true, sameSite: 'lax', secure: context.config.secureCookies, maxAge: YEAR, path: '/' });
    res.redirect(303, safeReturnPath(body.returnTo));
  });

  /** Signed out: a plain link; it only sets a cookie, so it needs no CSRF token. */
  router.get('/language', (req, res) => {
    const language = req.query.language;
    if (!req.user && isLanguage(language)) {
      res.cookie(LANGUAGE_COOKIE, language, { httpOnly: true, sameSite: 'lax', secure: context.config.secureCookies, maxAge: YEAR, path: '/' });
    }
    res.redirect(303, safeReturnPath(req.query.returnTo));
  });

  return router;
}
