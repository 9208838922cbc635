/**
 * The pages' view of the one i18n lookup (src/i18n/i18n.ts): the same translations, memoised. A page
 * asks for the same labels hundreds of times (every question has its note, source and evidence
 * labels), and the strings cannot change while ENA runs, so each (language, key, numeric options)
 * is looked up once. Calls that interpolate text (names, titles) are not cached: their values are
 * unbounded, and the cache must not grow with user data.
 */
import { translator, type Language } from '../../i18n/i18n.js';

export type Translate = (key: string, options?: Record<string, unknown>) => string;

const cache = new Map<string, string>();
const translators = new Map<Language, Translate>();

function cacheable(options: Record<string, unknown> | undefined): boolean {
  return options === undefined || Object.values(options).every((value) => typeof value === 'number');
}

export function translate(language: Language): Translate {
  const known = translators.get(language);
  if (known) return known;
  const t = translator(language);
  const lookup: Translate = (key, options) => {
    if (!cacheable(options)) return t(key, options);
    const id = options === undefined ? `${language}\u0000${key}` : `${language}\u0000${key}\u0000${JSON.stringify(options)}`;
    let text = cache.get(id);
    if (text === undefined) {
      text = t(key, options);
      cache.set(id, text);
    }
    return text;
  };
  translators.set(language, lookup);
  return lookup;
}
