/**
 * What the service worker (sw.ts) keeps for offline use, shared with the pages that fill and empty its
 * cache (offlineMission.ts, signOut.ts, main.ts). One cache holds every stored copy, so deleting it
 * (sign-out, a session that ended, a disabled account) leaves nothing behind.
 */
export const PAGE_CACHE = 'ena-pages-v1';

/** What every stored page needs besides itself. */
export const STATIC_FILES = ['/static/ena.css', '/static/build/main.js', '/static/favicon.svg'];

/** The page shown offline for an address that is not stored (bilingual, no user data). */
export const OFFLINE_PAGE = '/offline';

/** A record inside the cache of what was stored for which mission, and when (see offlineMission.ts). */
export const MANIFEST_PATH = '/offline-manifest.json';

export type OfflineKind = 'page' | 'static' | 'api';

/** Fill-in pages keep their own copy whenever they are opened (the expert's work must reload offline). */
export const isFillPage = (pathname: string): boolean => /^\/assessments\/\d+$/.test(pathname);

/**
 * Which requests the worker looks at, under which cache key (pages without their query string):
 * navigations to ENA's pages, the static files, and API calls (whose 401 says the session ended).
 */
export function offlineKey(url: URL, mode: RequestMode, origin: string): { key: string; kind: OfflineKind } | undefined {
  if (url.origin !== origin) return undefined;
  if (url.pathname.startsWith('/api/')) return { key: `${url.origin}${url.pathname}`, kind: 'api' };
  // A hashed address (/static/v/<hash>/ena.css) is kept under the plain one, so a stored page finds its files offline.
  if (url.pathname.startsWith('/static/')) return { key: `${url.origin}${url.pathname.replace(/^\/static\/v\/[0-9a-f]{12}\//, '/static/')}`, kind: 'static' };
  if (mode === 'navigate' && url.pathname !== '/sw.js' && url.pathname !== MANIFEST_PATH) return { key: `${url.origin}${url.pathname}`, kind: 'page' };
  return undefined;
}

export interface StoredMission {
  missionId: number;
  title: string;
  storedAt: string;
  /** Paths stored, with the page's title. */
  pages: { path: string; title: string }[];
  /** Paths that could not be stored (e.g. the server refused one). */
  failed: string[];
}

export interface OfflineManifest {
  missions: Record<string, StoredMission>;
}
