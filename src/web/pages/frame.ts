/**
 * Per-request page context: the language (the user's saved choice, else the ena_lang cookie of a
 * signed-out visitor, else the browser's Accept-Language), the translator and the layout frame.
 */
import { performance } from 'node:perf_hooks';
import type { Request, Response } from 'express';
import { isLanguage, type Language } from '../../i18n/i18n.js';
import { can } from '../auth/permissions.js';
import { readCookie } from '../auth/session.js';
import { translate } from './translate.js';
import type { PageFrame, PageRenderer } from './view.js';

export const LANGUAGE_COOKIE = 'ena_lang';

export function languageOf(req: Request): Language {
  if (req.user) return req.user.language;
  const cookie = readCookie(req, LANGUAGE_COOKIE);
  if (isLanguage(cookie)) return cookie;
  const preferred = req.acceptsLanguages('en', 'ru');
  return preferred === 'ru' ? 'ru' : 'en';
}

/** A local path to come back to: never another origin (no open redirect). */
export function safeReturnPath(value: unknown, fallback = '/'): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return fallback;
  return value.length > 2000 ? fallback : value;
}

export interface PageOptions {
  title: string;
  pageId: string;
  demo?: boolean;
  status?: number;
}

export function frameFor(req: Request, options: PageOptions): PageFrame {
  const lang = languageOf(req);
  const user = req.user;
  return {
    lang,
    t: translate(lang),
    title: options.title,
    csrfToken: req.csrfToken ?? null,
    user: user
      ? { id: user.id, name: user.name, email: user.email, role: user.role, isAdmin: can(user, 'user.manage'), canManage: can(user, 'target.write') }
      : null,
    returnTo: safeReturnPath(req.originalUrl),
    pageId: options.pageId,
    demo: options.demo ?? false,
  };
}

/** Marks when the page router took the request, for the Server-Timing header of sendPage. */
export function startPageTimer(_req: Request, res: Response, next: () => void): void {
  res.locals.pageStartedAt = performance.now();
  next();
}

/**
 * Renders a page; pages carry answers of real states, so no cache keeps them. Server-Timing reports
 * the time from the page router to the rendered HTML (data, permissions, model, template).
 */
export function sendPage(res: Response, renderer: PageRenderer, page: string, frame: PageFrame, data: object, status = 200): void {
  const html = renderer.render(page, frame, data);
  const started = res.locals.pageStartedAt as number | undefined;
  if (started !== undefined) res.set('Server-Timing', `page;dur=${(performance.now() - started).toFixed(2)}`);
  res.status(status).set('Cache-Control', 'no-store').type('html').send(html);
}
