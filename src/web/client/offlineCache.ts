/** The one cache the service worker keeps (see sw.ts), named here so that sign-out can delete it. */
export const PAGE_CACHE = 'ena-pages-v1';

/** Which requests have an offline copy, under which key (fill-in pages without their query). */
export function offlineKey(url: URL, mode: RequestMode, origin: string): string | undefined {
  if (url.origin !== origin) return undefined;
  if (mode === 'navigate' && /^\/assessments\/\d+$/.test(url.pathname)) return `${url.origin}${url.pathname}`;
  if (url.pathname.startsWith('/static/')) return `${url.origin}${url.pathname}`;
  return undefined;
}
