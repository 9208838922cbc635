/**
 * The service worker (built to /sw.js): lets an expert work through a mission without a network.
 *
 * - Pages are fetched from the network first; the stored copy is served only when the network fails.
 *   A fill-in page stores its own copy whenever it is opened; other pages are stored on purpose
 *   ("make this mission available offline", offlineMission.ts) and then kept current on every visit.
 *   Offline, a page that is not stored gets ENA's offline page (bilingual) instead of the browser's error.
 * - The stored copies go when the session does: a 401 from any page or API call (the session expired,
 *   was signed out in another tab, or the account was disabled) or landing on the sign-in page deletes
 *   the whole cache. Unsent answers live in localStorage (pendingQueue.ts), not here.
 */
import { isFillPage, MANIFEST_PATH, OFFLINE_PAGE, offlineKey, PAGE_CACHE, STATIC_FILES } from './offlineCache.js';

interface ExtendableEventLike extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
interface FetchEventLike extends ExtendableEventLike {
  request: Request;
  respondWith(response: Promise<Response>): void;
}
// The DOM and WebWorker libraries cannot both be in one tsconfig: describe the little used here.
interface WorkerScope {
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEventLike) => void): void;
  addEventListener(type: 'fetch', listener: (event: FetchEventLike) => void): void;
  skipWaiting(): Promise<void>;
  clients: { claim(): Promise<void> };
  location: Location;
}

const scope = self as unknown as WorkerScope;

scope.addEventListener('install', (event) => {
  event.waitUntil(scope.skipWaiting());
});

scope.addEventListener('activate', (event) => {
  event.waitUntil(scope.clients.claim());
});

/** The session is gone: no stored copy of any page may outlive it. */
const forget = (): Promise<boolean> => caches.delete(PAGE_CACHE);

/** The cache, only if it exists: opening it would re-create a cache that sign-out just deleted. */
async function existingCache(): Promise<Cache | undefined> {
  return (await caches.has(PAGE_CACHE)) ? caches.open(PAGE_CACHE) : undefined;
}

async function page(event: FetchEventLike, key: string, url: URL): Promise<Response> {
  try {
    const response = await fetch(event.request);
    const landed = new URL(response.url || url.href);
    if (response.status === 401 || landed.pathname === '/login') {
      await forget();
      return response;
    }
    if (response.ok && !response.redirected && response.type === 'basic') {
      const fill = isFillPage(url.pathname);
      const cache = fill ? await caches.open(PAGE_CACHE) : await existingCache();
      if (cache && (fill || (await cache.match(key)))) {
        await cache.put(key, response.clone());
        if (fill) event.waitUntil(cache.addAll([...STATIC_FILES, OFFLINE_PAGE]).catch(() => undefined));
      }
    }
    return response;
  } catch (error) {
    const cached = await caches.match(key, { cacheName: PAGE_CACHE });
    if (cached) return cached;
    const fallback = await caches.match(`${url.origin}${OFFLINE_PAGE}`, { cacheName: PAGE_CACHE });
    if (fallback) return new Response(fallback.body, { status: 503, statusText: 'Offline', headers: fallback.headers });
    throw error;
  }
}

async function staticFile(request: Request, key: string): Promise<Response> {
  try {
    return await fetch(request);
  } catch (error) {
    const cached = await caches.match(key, { cacheName: PAGE_CACHE });
    if (cached) return cached;
    throw error;
  }
}

async function api(request: Request): Promise<Response> {
  const response = await fetch(request);
  if (response.status === 401) await forget();
  return response;
}

scope.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  const target = offlineKey(url, request.mode, scope.location.origin);
  if (!target || url.pathname === MANIFEST_PATH) return;
  if (target.kind === 'api') {
    event.respondWith(api(request));
    return;
  }
  if (request.method !== 'GET') return;
  event.respondWith(target.kind === 'page' ? page(event, target.key, url) : staticFile(request, target.key));
});
