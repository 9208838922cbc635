import { describe, expect, it } from 'vitest';
import { dottedDate, fieldName, isoDateOf, readAnswerFields, type FieldQuestion } from './answerFields.js';

function reader(fields: Record<string, string | string[]>) {
  return (name: string): string[] => {
    const value = fields[name];
    return value === undefined ? [] : Array.isArray(value) ? value : [value];
  };
}

const q = (type: FieldQuestion['type'], extra: Partial<FieldQuestion> = {}): FieldQuestion => ({ id: 'x', type, scored: type !== 'date' && type !== 'text', ...extra });

describe('answer fields', () => {
  it('reads each question type from its form fields', () => {
    expect(readAnswerFields(q('maturity'), reader({ 'q.x.value': '3' })).value).toBe(3);
    expect(readAnswerFields(q('maturity'), reader({ 'q.x.value': 'unknown' })).value).toBe('unknown');
    expect(readAnswerFields(q('yes_partial_no'), reader({ 'q.x.value': 'partial' })).value).toBe('partial');
    expect(readAnswerFields(q('single_choice', { optionIds: ['a', 'b'] }), reader({ 'q.x.value': 'b' })).value).toBe('b');
    expect(readAnswerFields(q('multiple_choice', { optionIds: ['a', 'b'] }), reader({ 'q.x.value': ['a', 'b', 'forged'] })).value).toEqual(['a', 'b']);
    expect(readAnswerFields(q('number'), reader({ 'q.x.value': '12,5' })).value).toBe(12.5);
    expect(readAnswerFields(q('number'), reader({ 'q.x.value': '' })).value).toBeUndefined();
    expect(readAnswerFields(q('number'), reader({ 'q.x.value': 'twelve' })).value).toBeUndefined();
    // What cannot be read yet is kept as typed (never sent), so that a reload shows it again.
    expect(readAnswerFields(q('number'), reader({ 'q.x.value': 'twelve' }))).toEqual({ value: undefined, typed: 'twelve' });
    expect(readAnswerFields(q('date'), reader({ 'q.x.value': '31.02.2024' }))).toEqual({ value: undefined, typed: '31.02.2024' });
    expect(readAnswerFields(q('number'), reader({ 'q.x.value': '12' }))).toEqual({ value: 12 });
    expect(readAnswerFields(q('number'), reader({ 'q.x.value': '' }))).toEqual({ value: undefined });
    expect(readAnswerFields(q('date'), reader({ 'q.x.value': '2024-02-29' })).value).toBe('2024-02-29');
    expect(readAnswerFields(q('text'), reader({ 'q.x.value': '  line one\nline two  ' })).value).toBe('line one\nline two');
    expect(readAnswerFields(q('alignment_table', { rowIds: ['r1', 'r2', 'r3'] }), reader({
      'q.x.row.r1.status': 'full', 'q.x.row.r1.provision': 'Art. 5',
      'q.x.row.r2.status': '', 'q.x.row.r2.provision': 'typed without a status',
      'q.x.row.r3.status': 'unknown', 'q.x.row.r3.note': 'ask again',
    })).value).toEqual({ rows: { r1: { status: 'full', provision: 'Art. 5' }, r3: { status: 'unknown', note: 'ask again' } } });
  });

  it('lets unknown or not applicable win over the own control of a scored question', () => {
    expect(readAnswerFields(q('number'), reader({ 'q.x.value': '4', 'q.x.special': 'unknown' })).value).toBe('unknown');
    expect(readAnswerFields(q('multiple_choice'), reader({ 'q.x.special': 'not_applicable' })).value).toBe('not_applicable');
    // Unscored questions have no special answers.
    expect(readAnswerFields(q('text'), reader({ 'q.x.value': 'free', 'q.x.special': 'unknown' })).value).toBe('free');
  });

  it('reads note, source and evidence, and ignores an evidence level that does not exist', () => {
    expect(readAnswerFields(q('maturity'), reader({ 'q.x.value': '1', 'q.x.note': ' n ', 'q.x.source': 'Law 5', 'q.x.evidence': 'documented' })))
      .toEqual({ value: 1, note: 'n', source: 'Law 5', evidence: 'documented' });
    expect(readAnswerFields(q('maturity'), reader({ 'q.x.value': '1', 'q.x.evidence': 'rumour' }))).toEqual({ value: 1 });
  });

  it('names fields after the question id', () => {
    expect(fieldName.rowStatus('q-1', 'r_2')).toBe('q.q-1.row.r_2.status');
  });
});

describe('dates as typed', () => {
  it('reads ISO and the Russian DD.MM.YYYY, and refuses impossible dates', () => {
    expect(isoDateOf('2023-01-05')).toBe('2023-01-05');
    expect(isoDateOf('05.01.2023')).toBe('2023-01-05');
    expect(isoDateOf('5.1.2023')).toBe('2023-01-05');
    expect(isoDateOf('31.02.2024')).toBeUndefined();
    expect(isoDateOf('01/05/2023')).toBeUndefined();
    expect(dottedDate('2023-01-05')).toBe('05.01.2023');
  });
});
