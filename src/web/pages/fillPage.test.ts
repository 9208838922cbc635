import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { translate } from './translate.js';
import { loadQuestionnaires, type LoadResult } from '../../questionnaire/load.js';
import { buildFillPage, type StoredAnswer } from './fillModel.js';
import { createPageRenderer, type PageFrame } from './view.js';

const FIXTURES = join(import.meta.dirname, '..', '..', '..', 'test', 'e2e', 'fixtures', 'questionnaires');

function frame(lang: 'en' | 'ru'): PageFrame {
  return { lang, t: translate(lang), title: 'Fill', csrfToken: 'token-1', user: { id: 1, name: 'Ann <Expert>', email: 'a@x', role: 'expert', isAdmin: false, canManage: false }, returnTo: '/assessments/1', pageId: 'fill', demo: true };
}

function answer(value: StoredAnswer['value'], extra: Partial<StoredAnswer> = {}): StoredAnswer {
  return { value, note: null, source: null, evidence: null, revision: 1, updatedAt: '2025-01-02T03:04:05.000Z', ...extra };
}

describe('fill-in page', () => {
  let loaded: LoadResult;
  beforeAll(async () => {
    loaded = await loadQuestionnaires([FIXTURES]);
    expect(loaded.issues).toEqual([]);
  });
  const questionnaire = (id: string) => {
    const found = loaded.questionnaires.find((q) => q.id === id);
    if (!found) throw new Error(id);
    return found;
  };

  it('renders every question type with its current answer, escaping user text', () => {
    const answers = new Map<string, StoredAnswer>([
      ['treaty-party', answer('yes', { note: '<script>alert(1)</script>', evidence: 'documented' })],
      ['data-types', answer(['traffic', 'content'])],
      ['requests-per-year', answer('unknown')],
      ['alignment', answer({ rows: { 'art-16': { status: 'partial', provision: 'Art. 161 "CPC"' } } })],
      ['practice-maturity', answer(2)],
    ]);
    const page = buildFillPage({ questionnaire: questionnaire('cooperation-demo'), catalogue: loaded.catalogue, answers, language: 'en', t: translate('en') });
    const html = createPageRenderer().render('fill', frame('en'), { fill: page, assessment: { id: 7, missionId: 3, missionTitle: 'Mission & co', countryName: 'Kazakhstan', version: 1 }, userId: 5, clientStrings: {}, readOnly: false });
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('Ann &lt;Expert&gt;');
    expect(html).toContain('Mission &amp; co');
    expect(html).toMatch(/<input type="radio" id="q-treaty-party-v-yes" name="q.treaty-party.value" value="yes" checked/);
    expect(html).toMatch(/id="q-data-types-v-traffic" name="q.data-types.value" value="traffic" checked/);
    expect(html).toMatch(/id="q-data-types-v-subscriber" name="q.data-types.value" value="subscriber" >/);
    expect(html).toMatch(/id="q-requests-per-year-s-unknown" name="q.requests-per-year.special" value="unknown" checked/);
    expect(html).toContain('value="Art. 161 &quot;CPC&quot;"');
    expect(html).toMatch(/<option value="partial" selected>Partially aligned<\/option>/);
    expect(html).toMatch(/id="q-practice-maturity-v-2" name="q.practice-maturity.value" value="2" checked/);
    // Level descriptors come from the scale when the question has none of its own.
    expect(html).toContain('2 — Established');
    expect(html).toContain('In law and used.');
    expect(html).toMatch(/id="q-treaty-party-e-documented" name="q.treaty-party.evidence" value="documented" checked/);
    expect(html).toContain('<meta name="csrf-token" content="token-1">');
    expect(html).toContain('Demo data — not an assessment');
    // The date question depends on treaty-party = yes, which holds: it is shown.
    expect(html).toMatch(/<article class="question" id="q-accession-date"[^>]*aria-labelledby="q-accession-date-label" >/);
    expect(html).not.toMatch(/<script(?![^>]*src="\/static\/(v\/[0-9a-f]{12}\/)?build\/main\.js")/);
  });

  it('hides a conditional question whose condition is false, and counts progress over visible questions', () => {
    const answers = new Map<string, StoredAnswer>([['treaty-party', answer('no')]]);
    const page = buildFillPage({ questionnaire: questionnaire('cooperation-demo'), catalogue: loaded.catalogue, answers, language: 'ru', t: translate('ru') });
    const date = page.sections[0]?.questions.find((q) => q.id === 'accession-date');
    expect(date?.visible).toBe(false);
    expect(page.sections[0]?.progress).toEqual({ filled: 1, total: 3 });
    expect(page.progress).toEqual({ filled: 1, total: 8 });
    const html = createPageRenderer().render('fill', frame('ru'), { fill: page, assessment: { id: 7, missionId: 3, missionTitle: 'M', countryName: 'Казахстан', version: 1 }, userId: 5, clientStrings: {}, readOnly: true });
    expect(html).toMatch(/<article class="question" id="q-accession-date"[^>]*hidden>/);
    expect(html).toContain('<html lang="ru">');
    expect(html).toContain('Является ли страна участницей Конвенции?');
    expect(html).toContain('Только просмотр');
    expect(html).toMatch(/<fieldset class="fill-form__all" disabled>/);
  });

  it('uses the question\'s own level descriptors before the scale\'s', () => {
    const page = buildFillPage({ questionnaire: questionnaire('preservation-demo'), catalogue: loaded.catalogue, answers: new Map(), language: 'en', t: translate('en') });
    const radios = page.sections[0]?.questions[0]?.radios ?? [];
    expect(radios.map((r) => r.descriptor)).toEqual(['No power exists.', 'Ad hoc.', 'In law and used.', 'A statutory order exists and is used routinely.', 'Reviewed.', undefined, undefined]);
    expect(radios.slice(-2).map((r) => r.label)).toEqual(['Unknown', 'Not applicable']);
  });
});
