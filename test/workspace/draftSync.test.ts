/**
 * The pure half of the report workspace: what synchronisation plans from scores and draft, and how the
 * draft is laid over the generated report model.
 */
import { describe, expect, it } from 'vitest';
import { applyDraft } from '../../src/report/draft/apply.js';
import { questionnaireFingerprint } from '../../src/report/draft/fingerprint.js';
import { generatedRecommendations, generatedTexts, planSync } from '../../src/report/draft/sync.js';
import type { DraftRecommendationInput, ReportDraftInput } from '../../src/report/input.js';
import { buildCountryReport } from '../../src/report/model/country.js';
import { renderReportHtml } from '../../src/report/html.js';
import { nextNeedsUpdate, type DraftRecommendationDto } from '../../src/storage/reportDrafts.js';
import { countryInput, withAnswer } from '../report/fixtures.js';

const input = countryInput('KZ');
const model = buildCountryReport(input, 'en');
const generated = generatedRecommendations(model);

function asDraft(id: number, rec: (typeof generated)[number], overrides: Partial<DraftRecommendationDto> = {}): DraftRecommendationDto {
  return {
    id, origin: 'generated', sourceKey: rec.sourceKey, status: 'accepted', text: rec.text, priority: rec.priority, timeframe: rec.timeframe,
    institution: rec.institution, indicators: rec.indicators, references: rec.references, reason: null, mergedInto: null,
    translation: { en: 'current', ru: 'current' }, revision: 1, authorId: null, updatedAt: '', ...overrides,
  };
}

describe('draft synchronisation', () => {
  it('starts a draft with every generated text and recommendation', () => {
    const plan = planSync(null, generatedTexts(model), generated);
    expect(generated.length).toBeGreaterThan(3);
    expect(plan.insertRecommendations).toHaveLength(generated.length);
    expect(plan.insertTexts.map((text) => text.key)).toEqual(expect.arrayContaining(['executive-summary', 'country-context', 'methodology', `findings.${model.areas[0]?.questionnaireId}`]));
    for (const text of plan.insertTexts) expect(text.text.en.length * text.text.ru.length).toBeGreaterThan(0);
  });

  it('never deletes or overwrites an edited recommendation when its gap closes; a new gap adds one', () => {
    const [first, second] = generated;
    if (!first || !second) throw new Error('fixture has too few recommendations');
    const draftRecs = [
      asDraft(1, first, { status: 'edited', text: { en: 'Our own wording', ru: 'Наша формулировка' }, revision: 3 }),
      asDraft(2, second),
    ];
    // Both gaps "close" (not generated any more); one new one appears.
    const fresh = { ...first, sourceKey: 'new/gap/key' };
    const plan = planSync({ texts: [], recommendations: draftRecs }, [], [fresh]);
    expect(plan.closeRecommendations).toEqual([1]);
    expect(plan.removeRecommendations).toEqual([2]);
    expect(plan.refreshRecommendations).toEqual([]);
    expect(plan.insertRecommendations.map((rec) => rec.sourceKey)).toEqual(['new/gap/key']);
    // The gap opens again: flagged one comes back as edited, its text untouched.
    const again = planSync({ texts: [], recommendations: [{ ...draftRecs[0] as DraftRecommendationDto, status: 'gap-closed' }] }, [], [first]);
    expect(again.reopenRecommendations).toEqual([1]);
    expect(again.refreshRecommendations).toEqual([]);
  });

  it('refreshes generated texts that nobody edited, and leaves edited ones alone', () => {
    const texts = generatedTexts(model);
    const draftTexts = texts.map((text, index) => ({
      key: text.key, en: 'old', ru: 'старое', origin: index === 0 ? 'edited' as const : 'generated' as const,
      translation: { en: 'current' as const, ru: 'current' as const }, revision: 1, authorId: null, updatedAt: '',
    }));
    const plan = planSync({ texts: draftTexts, recommendations: [] }, texts, []);
    expect(plan.refreshTexts.map((text) => text.key)).toEqual(texts.slice(1).map((text) => text.key));
  });

  it('an answer that closes a gap changes the generated set', () => {
    const area = model.areas.find((candidate) => candidate.gaps.length > 0);
    const gap = area?.gaps[0];
    if (!area || !gap) throw new Error('fixture has no gap');
    const questionId = [...(input.assessments.find((a) => a.questionnaire.id === area.questionnaireId)?.questionnaire.questionsById.values() ?? [])]
      .find((placed) => (area.recommendations.some((rec) => rec.indicators[0] === `${area.questionnaireId}/${placed.question.id}`)))?.question.id;
    if (!questionId) throw new Error('no question with a recommendation');
    const closed = buildCountryReport(withAnswer(input, area.questionnaireId, questionId, { value: 4 }), 'en');
    const keys = new Set(generatedRecommendations(closed).map((rec) => rec.sourceKey));
    expect(generated.filter((rec) => rec.indicators[0] === `${area.questionnaireId}/${questionId}`).every((rec) => !keys.has(rec.sourceKey))).toBe(true);
  });

  it('editing one language marks the other; sending it confirms', () => {
    expect(nextNeedsUpdate(null, ['en'], ['en'])).toBe('ru');
    expect(nextNeedsUpdate('ru', ['ru'], [])).toBeNull();
    expect(nextNeedsUpdate('ru', ['ru'], ['ru'])).toBeNull();
    expect(nextNeedsUpdate(null, ['ru'], ['ru'])).toBe('en');
    expect(nextNeedsUpdate('ru', ['en', 'ru'], ['en'])).toBeNull();
    expect(nextNeedsUpdate('ru', ['en'], [])).toBe('ru');
  });
});

describe('the draft laid over the report', () => {
  const [first, second] = generated;
  const custom: DraftRecommendationInput = {
    id: 99, origin: 'custom', sourceKey: null, status: 'accepted', text: { en: 'Create a cybercrime unit in Almaty', ru: 'Создать подразделение в Алматы' },
    priority: 'high', timeframe: 'short', institution: ['police', 'Ministry of Digital Development'], indicators: [first?.indicators[0] ?? ''], references: ['bc-16'],
  };
  const draft: ReportDraftInput = {
    revision: 7, state: 'draft',
    texts: [{ key: 'executive-summary', en: 'Our summary.\n\nSecond paragraph.', ru: 'Наше резюме.' }],
    recommendations: [
      { ...asDraft(1, first as (typeof generated)[number]), status: 'edited', text: { en: 'Reworded by the team', ru: 'Переформулировано' } },
      { ...asDraft(2, second as (typeof generated)[number]), status: 'dropped' },
      custom,
    ],
  };
  const applied = applyDraft(model, draft, 7, { kind: 'draft', revision: 7 });
  const recTexts = applied.areas.flatMap((area) => area.recommendations.map((rec) => rec.text.en));

  it('prints edited wording, leaves out dropped ones, adds custom ones to the area of their indicator', () => {
    const views = applied.areas.flatMap((area) => area.recommendations);
    expect(views.filter((rec) => rec.key === first?.sourceKey).map((rec) => rec.text.en)).toEqual(['Reworded by the team']);
    expect(views.filter((rec) => rec.key === second?.sourceKey)).toEqual([]);
    const home = applied.areas.find((area) => area.recommendations.some((rec) => rec.key === 'custom/99'));
    expect(home?.questionnaireId).toBe(first?.indicators[0]?.split('/')[0]);
    expect(home?.recommendations.find((rec) => rec.key === 'custom/99')?.responsible.map((text) => text.en)).toContain('Ministry of Digital Development');
    expect(applied.summary.figures.recommendations).toBe(recTexts.length);
    expect(buildCountryReport({ ...input, draft }, 'en').meta.status).toEqual({ kind: 'draft', revision: 7 });
  });

  it('renders the team text and the status line into the HTML', () => {
    const html = renderReportHtml(buildCountryReport({ ...input, draft }, 'en')).html;
    expect(html).toContain('Our summary.');
    expect(html).toContain('Second paragraph.');
    expect(html).toContain('Reworded by the team');
    expect(html).toContain('Create a cybercrime unit in Almaty');
    expect(html).toMatch(/@bottom-left \{ content: "Draft" "\\a " [^;]*;/);
    const version = { number: 2, approvedAt: '2026-03-03T10:00:00Z', dataRevision: input.dataRevision, draftRevision: draft.revision, questionnaires: questionnaireFingerprint(input) };
    const final = renderReportHtml(buildCountryReport({ ...input, draft: { ...draft, state: 'final', version } }, 'ru')).html;
    expect(final).toContain('Версия 2 · утверждена 3 марта 2026');
    // The same approved draft over other data is not the approved text, and says so.
    const moved = renderReportHtml(buildCountryReport({ ...input, dataRevision: `${input.dataRevision}+1`, draft: { ...draft, state: 'final', version } }, 'en')).html;
    expect(moved).not.toContain('approved 3 March 2026');
    expect(moved).toContain('Not the approved text');
  });
});
