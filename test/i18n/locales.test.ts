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

const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;
const pluralBase = (key: string): string => key.replace(PLURAL_SUFFIX, '');

describe('locales', () => {
  const resources = readLocaleResources();

  it('has the same namespaces and keys in English and Russian (plural forms counted once per key)', () => {
    expect(Object.keys(resources.ru).sort()).toEqual(Object.keys(resources.en).sort());
    for (const namespace of Object.keys(resources.en)) {
      const en = [...new Set(leafKeys(resources.en[namespace]).map(pluralBase))].sort();
      const ru = [...new Set(leafKeys(resources.ru[namespace]).map(pluralBase))].sort();
      expect({ namespace, missingInRu: en.filter((k) => !ru.includes(k)), missingInEn: ru.filter((k) => !en.includes(k)) })
        .toEqual({ namespace, missingInRu: [], missingInEn: [] });
    }
  });

  it('has no empty string, and Russian strings are written in Cyrillic', () => {
    for (const language of ['en', 'ru'] as const) {
      for (const [namespace, tree] of Object.entries(resources[language])) {
        for (const [key, value] of leaves(tree)) {
          expect(typeof value === 'string' && value.trim().length > 0, `${language}/${namespace}:${key}`).toBe(true);
          const words = String(value).replace(/\{\{[^}]*\}\}/g, ''); // interpolations are not words
          if (language === 'ru' && /[a-z]{4,}/i.test(words) && !/[а-яё]/i.test(words)) {
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

  it('gives every plural key each form its language needs, so Russian never prints «24 часов»', () => {
    for (const language of ['en', 'ru'] as const) {
      const needed = new Intl.PluralRules(language).resolvedOptions().pluralCategories;
      for (const [namespace, tree] of Object.entries(resources[language])) {
        const keys = leafKeys(tree);
        for (const base of new Set(keys.filter((k) => PLURAL_SUFFIX.test(k)).map(pluralBase))) {
          for (const category of needed) expect(keys, `${language}/${namespace}:${base}_${category}`).toContain(`${base}_${category}`);
        }
      }
    }
    const ru = translator('ru');
    expect([1, 2, 5, 21, 24, 25, 111].map((count) => ru('vocabulary:unit.hours', { count }))).toEqual(['1 час', '2 часа', '5 часов', '21 час', '24 часа', '25 часов', '111 часов']);
    expect([1, 3, 11, 22, 90].map((count) => ru('vocabulary:unit.days', { count }))).toEqual(['1 день', '3 дня', '11 дней', '22 дня', '90 дней']);
    expect(translator('en')('vocabulary:unit.days', { count: 1 })).toBe('1 day');
  });

  it('has no number followed by a wrong Russian plural in questionnaires, locales or demo data', async () => {
    const { readdir, readFile } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const root = join(import.meta.dirname, '..', '..');
    const files = [
      ...(await readdir(join(root, 'questionnaires'))).map((f) => join(root, 'questionnaires', f)),
      ...(await readdir(join(root, 'data', 'demo'))).map((f) => join(root, 'data', 'demo', f)),
      ...(await readdir(join(root, 'src', 'i18n', 'locales', 'ru'))).map((f) => join(root, 'src', 'i18n', 'locales', 'ru', f)),
    ];
    // «24 часов», «2 дней», «1 дней»: a number whose Russian category is one/few with the «many» form.
    // After a preposition that governs the genitive («до 24 часов», «более 3 лет», «в течение 2 дней») it is correct.
    const wrong = /(?<!(?:до|от|более|свыше|менее|около|течение|после|сверх|из|с)\s)(?<![\d.,])(\d+)\s+(часов|дней|месяцев|лет)(?![\p{L}])/giu;
    const rules = new Intl.PluralRules('ru');
    const found: string[] = [];
    for (const file of files) {
      const text = await readFile(file, 'utf8');
      for (const match of text.matchAll(wrong)) if (rules.select(Number(match[1])) !== 'many') found.push(`${file}: ${match[0]}`);
    }
    expect(found).toEqual([]);
  });
});
