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

/** A translator bound to one language; keys are `namespace:path.to.key`. */
export function translator(language: Language): TFunction {
  return instance.getFixedT(language);
}
