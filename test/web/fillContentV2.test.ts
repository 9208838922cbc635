/**
 * The fill-in page after content v2 (issue 10), rendered from the shipped questionnaires: a `see:`
 * question tells the expert where the fact is scored, a core mission shows only the core set, and a
 * number's unit is printed with the Russian plural form of its count.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadQuestionnaires } from '../../src/questionnaire/load.js';
import { scopedQuestionnaire } from '../../src/questionnaire/model.js';
import { buildClientModel, buildFillPage } from '../../src/web/pages/fillModel.js';
import { createPageRenderer, type PageFrame } from '../../src/web/pages/view.js';
import { translate } from '../../src/web/pages/translate.js';
import { describeValue } from '../../src/web/client/clientModel.js';

const root = join(import.meta.dirname, '..', '..');
const loaded = await loadQuestionnaires([join(root, 'questionnaires')]);
const byId = (id: string) => {
  const found = loaded.questionnaires.find((q) => q.id === id);
  if (!found) throw new Error(id);
  return found;
};
const frame = (lang: 'en' | 'ru'): PageFrame => ({ lang, t: translate(lang), title: 'Fill', csrfToken: 't', user: { id: 1, name: 'Ann', email: 'a@x', role: 'expert', isAdmin: false, canManage: false }, returnTo: '/assessments/1', pageId: 'fill', demo: false });
const render = (questionnaireId: string, lang: 'en' | 'ru', scope: 'core' | 'full' = 'full'): string => {
  const fill = buildFillPage({ questionnaire: scopedQuestionnaire(byId(questionnaireId), scope), questionnaires: loaded.questionnaires, catalogue: loaded.catalogue, answers: new Map(), language: lang, t: translate(lang) });
  return createPageRenderer().render('fill', frame(lang), { fill, assessment: { id: 7, missionId: 3, missionTitle: 'M', countryName: 'Kazakhstan', version: 1 }, userId: 5, clientStrings: {}, readOnly: false });
};

describe('fill-in page, content v2', () => {
  it('shows the expert where a fact is scored once (see:), in both languages', () => {
    const en = render('budapest-alignment', 'en');
    expect(en).toMatch(/Scored once, in: [^›<]+ › How is the 24\/7 point of contact organised in practice\?/);
    const ru = render('budapest-alignment', 'ru');
    expect(ru).toMatch(/Оценивается один раз, в вопросе: [^›<]+ › /);
  });

  it('shows only the core set in a core mission', () => {
    const core = render('legal-framework', 'en', 'core');
    const full = render('legal-framework', 'en');
    expect(core).toContain('data-question="lf-preservation-power"');
    expect(full).toContain('data-question="lf-preservation-days"');
    expect(core).not.toContain('data-question="lf-preservation-days"');
  });

  it('prints a number with the plural form of its count in the page language', () => {
    const model = buildClientModel({ questionnaire: byId('provider-cooperation-and-mla'), catalogue: loaded.catalogue, answers: new Map(), language: 'ru', t: translate('ru') });
    const question = model.sections.flatMap((s) => s.questions).find((q) => q.id === 'mla-incoming-median-days');
    if (!question) throw new Error('mla-incoming-median-days');
    expect([1, 3, 24, 25].map((n) => describeValue(model, question, n))).toEqual(['1 день', '3 дня', '24 дня', '25 дней']);
    const hours = model.sections.flatMap((s) => s.questions).find((q) => q.id === 'sp-emergency-approval-hours');
    if (!hours) throw new Error('sp-emergency-approval-hours');
    expect(describeValue(model, hours, 24)).toBe('24 часа');
  });
});
