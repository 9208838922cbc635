/**
 * The one i18n lookup for UI pages, reports and exports. Strings live in locales/{en,ru}/<namespace>.json;
 * test/i18n proves both languages have exactly the same keys.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import i18next, { type TFunction } from 'i18next';
import { SOURCE_DIR } from '../shared/projectPaths.js';

export const LANGUAGES = ['en', 'ru'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Read from src/ also when the compiled dist/ runs: the JSON files are not compiled. */
export const LOCALES_DIR = join(SOURCE_DIR, 'i18n', 'locales');

export function isLanguage(value: unknown): value is Language {
  return (LANGUAGES as readonly unknown[]).includes(value);
}

type Resources = Record<Language, Record<string, Record<string, unknown>>>;

export function readLocaleResources(dir = LOCALES_DIR): Resources {
  const resources = {} as Resources;
  for (const language of LANGUAGES) {
    resources[language] = {};
    for (const file of readdirSync(join(dir, language)).filter((name) => name.endsWith('.json'))) {
      resources[language][basename(file, '.json')] = JSON.parse(readFileSync(join(dir, language, file), 'utf8')) as Record<string, unknown>;
    }
  }
  return resources;
}

const resources = readLocaleResources();
const instance = i18next.createInstance();
await instance.init({
  resources,
  lng: 'en',
  fallbackLng: false,
  ns: Object.keys(resources.en),
  defaultNS: 'common',
  // Handlebars escapes output; i18next must not escape twice.
  interpolation: { escapeValue: false },
  returnNull: false,
});

/**
 * A translator bound to one language; keys are `namespace:path.to.key`. The tables never change after
 * start-up, so a string asked for without interpolation values is looked up once and then remembered:
 * a country report asks ~1,800 times, nearly all for such strings, and i18next's lookup (key parsing,
 * namespace resolution, post-processing) was ~0.1 s of each report's CPU.
 */
export function translator(language: Language): TFunction {
  const t = instance.getFixedT(language);
  const plain = new Map<string, string>();
  const remembering = (key: unknown, options?: unknown): unknown => {
    const noValues = options === undefined || (typeof options === 'object' && options !== null && Object.keys(options).length === 0);
    if (typeof key !== 'string' || !noValues) return (t as (key: unknown, options?: unknown) => unknown)(key, options);
    let text = plain.get(key);
    if (text === undefined) {
      text = String(t(key));
      plain.set(key, text);
    }
    return text;
  };
  // The same call signatures as i18next's TFunction, whose overloaded type a wrapper cannot spell out.
  return Object.assign(remembering, t) as unknown as TFunction;
}
