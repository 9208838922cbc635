/**
 * The service worker (built to /sw.js): lets an expert reload a fill-in page while the network is
 * down. Fill-in pages and the static files are fetched from the network first; each successful copy
 * is kept in Cache Storage and served only when the network fails. Nothing else is cached. Unsent
 * answers live in localStorage (pendingQueue.ts), not here; signing out deletes this cache.
 */
import { offlineKey, PAGE_CACHE } from './offlineCache.js';

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
  const key = offlineKey(new URL(request.url), request.mode, scope.location.origin);
  if (!key) return;
  event.respondWith((async () => {
    try {
      const response = await fetch(request);
      if (response.ok && response.type === 'basic') {
        const cache = await caches.open(PAGE_CACHE);
        await cache.put(key, response.clone());
      }
      return response;
    } catch (error) {
      const cached = await caches.match(key, { cacheName: PAGE_CACHE });
      if (cached) return cached;
      throw error;
    }
  })());
});
