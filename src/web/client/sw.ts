/**
 * The service worker (built to /sw.js): lets an expert reload a fill-in page while the network is
 * down. Fill-in pages and the static files are fetched from the network first and served from the
 * cache only when the network fails. Only a fill-in page writes to the cache (its copy, and fresh copies
 * of the static files beside it): other pages never do, so the sign-in page can delete the cache and it
 * stays deleted. Unsent answers live in localStorage (pendingQueue.ts), not here.
 */
import { offlineKey, PAGE_CACHE, STATIC_FILES } from './offlineCache.js';

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

scope.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const target = offlineKey(new URL(request.url), request.mode, scope.location.origin);
  if (!target) return;
  event.respondWith((async () => {
    try {
      const response = await fetch(request);
      if (target.kind === 'page' && response.ok && response.type === 'basic') {
        const cache = await caches.open(PAGE_CACHE);
        await cache.put(target.key, response.clone());
        event.waitUntil(cache.addAll(STATIC_FILES).catch(() => undefined));
      }
      return response;
    } catch (error) {
      const cached = await caches.match(target.key, { cacheName: PAGE_CACHE });
      if (cached) return cached;
      throw error;
    }
  })());
});
