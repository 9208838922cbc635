/** The one cache the service worker keeps (see sw.ts), named here so that sign-out can delete it. */
export const PAGE_CACHE = 'ena-pages-v1';

/** What a fill-in page needs besides itself, kept beside each copy of it. */
export const STATIC_FILES = ['/static/ena.css', '/static/build/main.js'];

export type OfflineKind = 'page' | 'static';

/** Which requests have an offline copy, under which key (fill-in pages without their query). */
export function offlineKey(url: URL, mode: RequestMode, origin: string): { key: string; kind: OfflineKind } | undefined {
  if (url.origin !== origin) return undefined;
  if (mode === 'navigate' && /^\/assessments\/\d+$/.test(url.pathname)) return { key: `${url.origin}${url.pathname}`, kind: 'page' };
  if (STATIC_FILES.includes(url.pathname)) return { key: `${url.origin}${url.pathname}`, kind: 'static' };
  return undefined;
}
