/**
 * Strings the browser bundle shows (save status, conflict dialog), in the page's language. Counts and
 * names are filled in by the bundle: placeholders like {{n}} pass through i18next unchanged.
 */
import type { Translate } from './translate.js';
import type { FillStrings } from '../client/fillPage.js';
import type { OfflineStrings } from '../client/offlineMission.js';

const keep = { n: '{{n}}', conflicts: '{{conflicts}}', rejected: '{{rejected}}', revision: '{{revision}}', message: '{{message}}', time: '{{time}}' };

const built = new WeakMap<Translate, FillStrings>();

export function clientStrings(t: Translate): FillStrings {
  const known = built.get(t);
  if (known) return known;
  const s = (key: string): string => t(`web:autosave.${key}`, keep);
  const strings: FillStrings = {
    saved: s('saved'),
    saving: s('saving'),
    offline: s('offline'),
    signedOut: s('signedOut'),
    attention: s('attention'),
    savedRevision: s('savedRevision'),
    unsent: s('unsent'),
    rejected: s('rejected'),
    waitingForAnswer: s('waitingForAnswer'),
    notANumber: s('notANumber'),
    notADate: s('notADate'),
    value: s('value'),
    note: s('note'),
    source: s('source'),
    evidence: s('evidence'),
    theirsMeta: s('theirsMeta'),
    theirsBy: t('web:autosave.theirsBy', { ...keep, name: '{{name}}', role: '{{role}}' }),
    differs: s('differs'),
    none: s('none'),
  };
  built.set(t, strings);
  return strings;
}

const OFFLINE_KEYS = ['unsupported', 'store', 'update', 'notStored', 'storing', 'stored', 'failed', 'signedOut', 'banner', 'bannerTime', 'badge'] as const;
const offlineBuilt = new WeakMap<Translate, OfflineStrings>();

/** Strings of "make this mission available offline", the offline banner and the dashboard badge. */
export function offlineStrings(t: Translate): OfflineStrings {
  const known = offlineBuilt.get(t);
  if (known) return known;
  const strings = Object.fromEntries(OFFLINE_KEYS.map((key) => [key, t(`web:offline.${key}`, { ...keep, done: '{{done}}', total: '{{total}}' })])) as unknown as OfflineStrings;
  offlineBuilt.set(t, strings);
  return strings;
}
