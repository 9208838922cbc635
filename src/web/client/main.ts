/**
 * The browser bundle's entry (built by esbuild into src/web/public/build/main.js, loaded as a module
 * from every page). Pages work without it; it enhances what it finds.
 */
import { enhanceFillForm } from './fillPage.js';
import { PAGE_CACHE, STATIC_FILES } from './offlineCache.js';
import { watchReportJob } from './reportJob.js';
import { guardSignOut } from './signOut.js';

const fillForm = document.querySelector<HTMLFormElement>('#fill-form');
if (fillForm) enhanceFillForm(fillForm);
guardSignOut(document);
const reportJob = document.querySelector<HTMLElement>('[data-job-status-url]');
if (reportJob) watchReportJob(reportJob);

// Offline reload of fill-in pages (see sw.ts). Only where the browser allows service workers
// (HTTPS or localhost); without one, unsent answers are still kept and sent on the next visit.
if ('serviceWorker' in navigator && 'caches' in window && document.body.classList.contains('page-fill')) {
  void navigator.serviceWorker.register('/sw.js', { scope: '/' }).then(async () => {
    // The first visit happened before the worker existed: keep this page's copy now.
    if (!navigator.serviceWorker.controller && navigator.onLine) {
      const cache = await caches.open(PAGE_CACHE);
      await cache.addAll([window.location.pathname, ...STATIC_FILES]);
    }
  }).catch(() => undefined);
}
if ('caches' in window && document.body.classList.contains('page-login')) {
  // Signed out: no copy of any page stays behind.
  void caches.delete(PAGE_CACHE);
}
