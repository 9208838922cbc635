import { describe, expect, it } from 'vitest';
import { translator } from '../../src/i18n/i18n.js';
import type { Question } from '../../src/questionnaire/schema.js';
import { rawValue, valueLabel } from '../../src/exchange/valueLabels.js';

const base = { text: { en: 'Q', ru: 'В' }, help: { en: 'H', ru: 'П' }, weight: 2, critical: false, target: 3, references: ['bc-16'], recommendations: [] };
const catalogue = { scales: new Map([['maturity', { id: 'maturity', title: { en: 'M', ru: 'М' }, levels: [0, 1, 2, 3, 4].map((level) => ({ level, label: { en: `L${level}`, ru: `У${level}` }, descriptor: { en: 'd', ru: 'о' } })) }]]) };
const options = [{ id: 'police', label: { en: 'Police', ru: 'Полиция' }, level: 2 }, { id: 'court', label: { en: 'Court', ru: 'Суд' }, level: 2 }];
const q = (extra: Record<string, unknown>): Question => ({ id: 'q', ...base, ...extra }) as unknown as Question;

describe('answer labels', () => {
  const cases: [string, Question, Parameters<typeof valueLabel>[1], string, string][] = [
    ['maturity (scale label)', q({ type: 'maturity', scale: 'maturity' }), 3, '3 — L3', '3 — У3'],
    ['maturity (own descriptor wins)', q({ type: 'maturity', scale: 'maturity', levels: { 1: { en: 'Own', ru: 'Своё' } } }), 1, '1 — Own', '1 — Своё'],
    ['yes / partial / no', q({ type: 'yes_partial_no' }), 'partial', 'Partially', 'Частично'],
    ['single choice', q({ type: 'single_choice', options }), 'court', 'Court', 'Суд'],
    ['multiple choice', q({ type: 'multiple_choice', options }), ['police', 'court'], 'Police; Court', 'Полиция; Суд'],
    ['number with unit', q({ type: 'number', unit: 'days', bands: [{ level: 1 }] }), 12, '12 days', '12 дней'],
    ['alignment table', q({ type: 'alignment_table', rows: [{ id: 'a16', label: { en: 'Art. 16', ru: 'Ст. 16' } }, { id: 'a17', label: { en: 'Art. 17', ru: 'Ст. 17' } }] }),
      { rows: { a16: { status: 'full', provision: 'CPC 164' }, a17: { status: 'none' } } }, 'Art. 16: Full (CPC 164); Art. 17: None', 'Ст. 16: Полное (CPC 164); Ст. 17: Отсутствует'],
    ['date', q({ type: 'date' }), '2025-06-11', '2025-06-11', '2025-06-11'],
    ['text', q({ type: 'text', multiline: true }), 'Приказ № 45', 'Приказ № 45', 'Приказ № 45'],
    ['unknown', q({ type: 'maturity', scale: 'maturity' }), 'unknown', 'Unknown', 'Неизвестно'],
    ['not applicable', q({ type: 'yes_partial_no' }), 'not_applicable', 'Not applicable', 'Неприменимо'],
  ];
  for (const [name, question, value, en, ru] of cases) {
    it(name, () => {
      expect(valueLabel(question, value, 'en', translator('en'), catalogue)).toBe(en);
      expect(valueLabel(question, value, 'ru', translator('ru'), catalogue)).toBe(ru);
    });
  }

  it('falls back to the stored value when the question is gone or the value no longer fits', () => {
    expect(valueLabel(undefined, ['a', 'b'], 'en', translator('en'), catalogue)).toBe('a;b');
    expect(valueLabel(q({ type: 'single_choice', options }), 'removed-option', 'ru', translator('ru'), catalogue)).toBe('removed-option');
    expect(rawValue({ rows: { a16: { status: 'full' } } })).toBe('{"rows":{"a16":{"status":"full"}}}');
  });
});
