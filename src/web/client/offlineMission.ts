/**
 * "Make this mission available offline": stores every page an expert needs for one mission in the
 * service worker's cache (sw.ts serves them when the network fails), records what was stored and when
 * in a manifest kept in the same cache (so it goes with it), and shows it: on the mission page, as a
 * badge on the dashboard, as a banner on a stored page read offline, and as a list on the offline page.
 */
import { MANIFEST_PATH, OFFLINE_PAGE, PAGE_CACHE, STATIC_FILES, type OfflineManifest, type StoredMission } from './offlineCache.js';

export interface OfflineStrings {
  unsupported: string;
  store: string;
  update: string;
  notStored: string;
  storing: string;
  stored: string;
  failed: string;
  signedOut: string;
  banner: string;
  bannerTime: string;
  badge: string;
}

const format = (template: string, values: Record<string, string | number>): string =>
  template.replace(/\{\{(\w+)\}\}/g, (_, key: string) => String(values[key] ?? ''));

const offlineSupported = (): boolean => 'serviceWorker' in navigator && 'caches' in window;

/** Pages are fetched a few at a time: fast on a good link, gentle on the server and on a poor one. */
const PARALLEL = 3;

export async function readManifest(): Promise<OfflineManifest> {
  if (!offlineSupported() || !(await caches.has(PAGE_CACHE))) return { missions: {} };
  const response = await caches.match(MANIFEST_PATH, { cacheName: PAGE_CACHE });
  try {
    const parsed = (await response?.json()) as Partial<OfflineManifest> | undefined;
    return { missions: parsed?.missions ?? {} };
  } catch {
    return { missions: {} };
  }
}

async function writeManifest(cache: Cache, manifest: OfflineManifest): Promise<void> {
  await cache.put(MANIFEST_PATH, new Response(JSON.stringify(manifest), { headers: { 'content-type': 'application/json' } }));
}

const titleOf = (html: string): string => {
  const raw = /<title>([^<]*)<\/title>/.exec(html)?.[1] ?? '';
  return new DOMParser().parseFromString(raw, 'text/html').documentElement.textContent?.trim() ?? '';
};

export class SignedOutError extends Error {}

/** Stores the mission's pages; reports progress; returns what the manifest now says about it. */
export async function storeMission(missionId: number, progress: (done: number, total: number) => void): Promise<StoredMission> {
  await navigator.serviceWorker.register('/sw.js', { scope: '/' });
  await navigator.serviceWorker.ready;
  const listing = await fetch(`/api/missions/${missionId}/offline-pages`, { credentials: 'same-origin', headers: { accept: 'application/json' } });
  if (listing.status === 401) throw new SignedOutError();
  if (!listing.ok) throw new Error(`HTTP ${listing.status}`);
  const { title, pages } = (await listing.json()) as { title: string; pages: string[] };
  const cache = await caches.open(PAGE_CACHE);
  await cache.addAll([...STATIC_FILES, OFFLINE_PAGE]);
  const stored: { path: string; title: string }[] = [];
  const failed: string[] = [];
  let done = 0;
  progress(done, pages.length);
  const queue = [...pages];
  async function worker(): Promise<void> {
    for (let path = queue.shift(); path !== undefined; path = queue.shift()) {
      try {
        const response = await fetch(path, { credentials: 'same-origin', headers: { accept: 'text/html' } });
        if (response.status === 401) throw new SignedOutError();
        if (!response.ok || response.redirected) throw new Error(`HTTP ${response.status}`);
        const html = await response.text();
        await cache.put(path, new Response(html, { status: response.status, statusText: response.statusText, headers: response.headers }));
        stored.push({ path, title: titleOf(html) });
      } catch (error) {
        if (error instanceof SignedOutError) throw error;
        failed.push(path);
      }
      done += 1;
      progress(done, pages.length);
    }
  }
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  const order = new Map(pages.map((path, index) => [path, index]));
  stored.sort((a, b) => (order.get(a.path) ?? 0) - (order.get(b.path) ?? 0));
  const manifest = await readManifest();
  const mission: StoredMission = { missionId, title, storedAt: new Date().toISOString(), pages: stored, failed };
  manifest.missions[String(missionId)] = mission;
  await writeManifest(cache, manifest);
  return mission;
}

/** When a page was stored, if it was (the newest copy across missions: shared pages are refreshed by each). */
export function storedAtOf(manifest: OfflineManifest, path: string): string | undefined {
  let newest: string | undefined;
  for (const mission of Object.values(manifest.missions)) {
    if (mission.pages.some((page) => page.path === path) && (!newest || mission.storedAt > newest)) newest = mission.storedAt;
  }
  return newest;
}

const timeText = (iso: string): string => new Date(iso).toLocaleString(document.documentElement.lang, { dateStyle: 'medium', timeStyle: 'short' });

/** The panel on the mission page. */
export function enhanceOfflinePanel(panel: HTMLElement): void {
  const strings = JSON.parse(panel.dataset.strings ?? '{}') as OfflineStrings;
  const missionId = Number(panel.dataset.offlineMission);
  const state = panel.querySelector<HTMLElement>('[data-offline-state]');
  const button = panel.querySelector<HTMLButtonElement>('[data-offline-store]');
  const list = panel.querySelector<HTMLElement>('[data-offline-list]');
  if (!state || !button || !list) return;
  if (!offlineSupported()) {
    state.textContent = strings.unsupported;
    return;
  }
  const show = (mission: StoredMission | undefined): void => {
    button.hidden = false;
    button.disabled = false;
    button.textContent = mission ? strings.update : strings.store;
    state.textContent = mission
      ? [format(strings.stored, { n: mission.pages.length, time: timeText(mission.storedAt) }), mission.failed.length > 0 ? format(strings.failed, { n: mission.failed.length }) : ''].filter(Boolean).join(' ')
      : strings.notStored;
    const items = list.querySelector('ul');
    items?.replaceChildren(...(mission?.pages ?? []).map((page) => {
      const item = document.createElement('li');
      const link = document.createElement('a');
      link.href = page.path;
      link.textContent = page.title || page.path;
      item.append(link);
      return item;
    }));
    list.hidden = !mission;
  };
  void readManifest().then((manifest) => show(manifest.missions[String(missionId)]));
  button.addEventListener('click', () => {
    button.disabled = true;
    storeMission(missionId, (done, total) => {
      state.textContent = format(strings.storing, { done, total });
    }).then(show, (error: unknown) => {
      button.disabled = false;
      state.textContent = error instanceof SignedOutError ? strings.signedOut : format(strings.failed, { n: '—' });
    });
  });
}

/** Badges on the dashboard's mission cards, the banner on a page read offline. */
export async function showOfflineMarks(root: Document): Promise<void> {
  if (!offlineSupported()) return;
  const manifest = await readManifest();
  for (const badge of root.querySelectorAll<HTMLElement>('[data-offline-badge]')) {
    const mission = manifest.missions[badge.dataset.offlineBadge ?? ''];
    if (!mission) continue;
    badge.textContent = format(badge.dataset.text ?? '', { time: timeText(mission.storedAt) });
    badge.hidden = false;
  }
  const banner = root.querySelector<HTMLElement>('[data-offline-banner]');
  if (!banner) return;
  const update = (): void => {
    const storedAt = storedAtOf(manifest, window.location.pathname);
    banner.textContent = format(banner.dataset.text ?? '', { time: storedAt ? format(banner.dataset.timeText ?? '', { time: timeText(storedAt) }) : '' });
    banner.hidden = navigator.onLine;
  };
  update();
  window.addEventListener('online', update);
  window.addEventListener('offline', update);
}

/** The offline page lists what is stored, so the expert can go on from there. */
export async function listStoredMissions(list: HTMLElement): Promise<void> {
  const manifest = await readManifest();
  const missions = Object.values(manifest.missions);
  if (missions.length === 0) return;
  list.replaceChildren(...missions.map((mission) => {
    const item = document.createElement('li');
    const link = document.createElement('a');
    link.href = `/missions/${mission.missionId}`;
    link.textContent = mission.title;
    item.append(link, ` — ${timeText(mission.storedAt)}`);
    return item;
  }));
  list.hidden = false;
  list.parentElement?.querySelector<HTMLElement>('[data-offline-nothing]')?.setAttribute('hidden', '');
}
