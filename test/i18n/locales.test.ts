import { describe, expect, it } from 'vitest';
import { readLocaleResources, translator } from '../../src/i18n/i18n.js';

function leafKeys(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object') return [prefix];
  return Object.entries(value).flatMap(([key, child]) => leafKeys(child, prefix ? `${prefix}.${key}` : key));
}

function leaves(value: unknown, prefix = ''): [string, unknown][] {
  if (value === null || typeof value !== 'object') return [[prefix, value]];
  return Object.entries(value).flatMap(([key, child]) => leaves(child, prefix ? `${prefix}.${key}` : key));
}

describe('locales', () => {
  const resources = readLocaleResources();

  it('has the same namespaces and keys in English and Russian', () => {
    expect(Object.keys(resources.ru).sort()).toEqual(Object.keys(resources.en).sort());
    for (const namespace of Object.keys(resources.en)) {
      const en = leafKeys(resources.en[namespace]).sort();
      const ru = leafKeys(resources.ru[namespace]).sort();
      expect({ namespace, missingInRu: en.filter((k) => !ru.includes(k)), missingInEn: ru.filter((k) => !en.includes(k)) })
        .toEqual({ namespace, missingInRu: [], missingInEn: [] });
    }
  });

  it('has no empty string, and Russian strings are written in Cyrillic', () => {
    for (const language of ['en', 'ru'] as const) {
      for (const [namespace, tree] of Object.entries(resources[language])) {
        for (const [key, value] of leaves(tree)) {
          expect(typeof value === 'string' && value.trim().length > 0, `${language}/${namespace}:${key}`).toBe(true);
          if (language === 'ru' && /[a-z]{4,}/i.test(String(value)) && !/[а-яё]/i.test(String(value))) {
            throw new Error(`ru/${namespace}:${key} looks untranslated: ${String(value)}`);
          }
        }
      }
    }
  });

  it('translates through one lookup', () => {
    expect(translator('ru')('vocabulary:priority.high')).toBe('Высокий');
    expect(translator('en')('common:demoMarking')).toBe('Demo data — not an assessment');
  });
});
