/**
 * GET /offline: what the service worker shows, without a network, for a page that is not stored. It is
 * stored with the mission's pages, so it must work for anyone and carry nothing personal: no user, no
 * CSRF token, and its text in both languages (the reader's language offline is not known in advance).
 */
import { Router } from 'express';
import type { PagesContext } from '../context.js';
import { frameFor, sendPage } from '../frame.js';
import { translate } from '../translate.js';

export function offlinePages(context: PagesContext): Router {
  const router = Router();
  router.get('/offline', (req, res) => {
    const frame = { ...frameFor(req, { title: '', pageId: 'offline' }), user: null, csrfToken: null };
    const own = frame.lang;
    const texts = [own, own === 'en' ? 'ru' : 'en'].map((lang) => {
      const t = translate(lang as 'en' | 'ru');
      return { lang, heading: t('web:offline.pageHeading'), text: t('web:offline.pageText'), toDashboard: t('web:errors.toDashboard') };
    });
    frame.title = `${translate('en')('web:offline.pageTitle')} / ${translate('ru')('web:offline.pageTitle')}`;
    sendPage(res, context.renderer, 'offline', frame, { texts });
  });
  return router;
}
