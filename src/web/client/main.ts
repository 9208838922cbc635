/**
 * The browser bundle's entry (built by esbuild into src/web/public/build/main.js, loaded as a module
 * from every page). Pages work without it; it enhances what it finds.
 */
import { enhanceFillForm } from './fillPage.js';
import { PAGE_CACHE, STATIC_FILES } from './offlineCache.js';
import { watchReportJob } from './reportJob.js';
import { enhanceOfflinePanel, listStoredMissions, showOfflineMarks } from './offlineMission.js';
import { renewTokensBeforeSubmit } from './sessionRenewal.js';
import { guardSignOut } from './signOut.js';

const fillForm = document.querySelector<HTMLFormElement>('#fill-form');
if (fillForm) enhanceFillForm(fillForm);
guardSignOut(document);
const reportJob = document.querySelector<HTMLElement>('[data-job-status-url]');
if (reportJob) watchReportJob(reportJob);
if (document.body.hasAttribute('data-signed-in')) renewTokensBeforeSubmit(document);
const offlinePanel = document.querySelector<HTMLElement>('[data-offline-mission]');
if (offlinePanel) enhanceOfflinePanel(offlinePanel);
const storedList = document.querySelector<HTMLElement>('[data-offline-stored]');
if (storedList) void listStoredMissions(storedList);
void showOfflineMarks(document).catch(() => undefined);

// Offline use (see sw.ts), on every signed-in page. Only where the browser allows service workers
// (HTTPS or localhost); without one, unsent answers are still kept and sent on the next visit.
const signedIn = document.body.hasAttribute('data-signed-in');
if ('serviceWorker' in navigator && 'caches' in window && signedIn) {
  void navigator.serviceWorker.register('/sw.js', { scope: '/' }).then(async () => {
    // The first visit happened before the worker existed: keep this fill-in page's copy now.
    if (!navigator.serviceWorker.controller && navigator.onLine && document.body.classList.contains('page-fill')) {
      const cache = await caches.open(PAGE_CACHE);
      await cache.addAll([window.location.pathname, ...STATIC_FILES]);
    }
  }).catch(() => undefined);
}
if ('caches' in window && document.body.classList.contains('page-login')) {
  // Signed out: no copy of any page stays behind.
  void caches.delete(PAGE_CACHE);
}
