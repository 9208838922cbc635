/**
 * Comparisons across missions of different scopes (core indicators vs every question), built from the
 * shipped questionnaires and the demo answers: the regional and progress reports print each mission's
 * scope, say when the scopes differ, and the progress report then compares both missions over the core
 * indicators. Read back from the real HTML and, for Word, through mammoth.
 */
import mammoth from 'mammoth';
import { describe, expect, it } from 'vitest';
import { renderReportHtml } from '../../src/report/html.js';
import { renderProgressDocx, renderRegionalDocx } from '../../src/report/docx/others.js';
import { buildCountryReport } from '../../src/report/model/country.js';
import { buildProgressReport } from '../../src/report/model/progress.js';
import { buildRegionalReport } from '../../src/report/model/regional.js';
import { commonScope, progressScopeNotice, regionalScopeNotice, scopesDiffer } from '../../src/report/model/scope.js';
import { DEMO_CODES, demoInput, demoProgressInput, demoRegionalInput } from './demoInputs.js';
import { visibleText } from './visibleText.js';

const docxText = async (docx: Uint8Array): Promise<string> => (await mammoth.extractRawText({ buffer: Buffer.from(docx) })).value.replace(/\s+/g, ' ');

describe('scope of compared missions (pure)', () => {
  it('tells whether scopes differ and which questions every mission asked', () => {
    expect(scopesDiffer(['full', 'full'])).toBe(false);
    expect(scopesDiffer(['core', 'core', 'core'])).toBe(false);
    expect(scopesDiffer(['full', 'core', 'full'])).toBe(true);
    expect(commonScope(['full', 'full'])).toBe('full');
    expect(commonScope(['full', 'core'])).toBe('core');
    expect(commonScope(['core', 'core'])).toBe('core');
  });

  it('gives a regional notice only when scopes differ, naming the countries of each scope', () => {
    expect(regionalScopeNotice([{ code: 'KZ', scope: 'full' }, { code: 'KG', scope: 'full' }])).toBeNull();
    expect(regionalScopeNotice([{ code: 'KZ', scope: 'core' }, { code: 'KG', scope: 'core' }])).toBeNull();
    const notice = regionalScopeNotice([{ code: 'KZ', scope: 'core' }, { code: 'KG', scope: 'full' }, { code: 'TJ', scope: 'core' }]);
    expect(notice?.en).toContain('KZ, TJ: the core indicators only');
    expect(notice?.en).toContain('KG: every question');
    expect(notice?.ru).toContain('KZ, TJ — только основные показатели');
    expect(notice?.ru).toContain('KG — все вопросы');
  });

  it('gives a progress notice only when scopes differ, saying which mission asked every question and its own score', () => {
    const score = { en: '61%', ru: '61\u00a0%' };
    expect(progressScopeNotice('full', 'full', score)).toBeNull();
    expect(progressScopeNotice('core', 'core', score)).toBeNull();
    const baselineFull = progressScopeNotice('full', 'core', score);
    expect(baselineFull?.en).toContain('the baseline mission assessed every question, the follow-up mission only the core indicators');
    expect(baselineFull?.en).toContain('over all its questions, 61%, rests on a different set of questions');
    expect(baselineFull?.ru).toContain('в ходе исходной миссии оценивались все вопросы');
    expect(baselineFull?.ru).toContain('(61\u00a0%)');
    expect(progressScopeNotice('core', 'full', score)?.en).toContain('the baseline mission assessed only the core indicators (the visit-sized set), the follow-up mission every question');
  });
});

describe('regional report across scopes', () => {
  it('prints each country’s scope and no notice when every mission had the same scope', async () => {
    const model = buildRegionalReport(demoRegionalInput(), 'en');
    expect(model.scopeNotice).toBeNull();
    expect(model.countries.map((country) => country.scope.scope)).toEqual(DEMO_CODES.map(() => 'full'));
    expect(model.countries.every((country) => country.coreOverall === null)).toBe(true);
    const text = visibleText(renderReportHtml(model).html);
    expect(text).toContain('Country Mission Scope Score Coverage');
    expect(text).not.toContain('different scopes');
    expect(text).toContain('Scope: Full');
    const docx = await docxText(await renderRegionalDocx(model));
    expect(docx).toContain('Scope');
    expect(docx).not.toContain('different scopes');
  });

  it('with a core-scope country among full ones: a notice near the comparison and the like-for-like score on core indicators', async () => {
    const model = buildRegionalReport(demoRegionalInput({ KZ: 'core' }), 'en');
    const kz = model.countries.find((country) => country.code === 'KZ');
    const others = model.countries.filter((country) => country.code !== 'KZ');
    expect(kz?.scope.scope).toBe('core');
    expect(others.every((country) => country.scope.scope === 'full')).toBe(true);
    expect(model.scopeNotice?.en).toContain(`KZ: the core indicators only (the visit-sized set); ${others.map((c) => c.code).join(', ')}: every question`);
    // The core score of each country is what that country scores as a core mission with the same answers.
    const allCore = buildRegionalReport(demoRegionalInput(Object.fromEntries(DEMO_CODES.map((code) => [code, 'core' as const]))), 'en');
    expect(allCore.scopeNotice).toBeNull();
    for (const country of model.countries) {
      expect(country.coreOverall?.percent).toBe(allCore.countries.find((c) => c.code === country.code)?.overall.percent);
    }
    expect(kz?.coreOverall?.percent).toBe(kz?.overall.percent);
    // …and that differs from the full-scope score somewhere: the notice is not about nothing.
    expect(others.some((country) => country.coreOverall?.percent !== country.overall.percent)).toBe(true);

    const text = visibleText(renderReportHtml(model).html);
    const notice = text.indexOf('The missions compared had different scopes.');
    expect(notice).toBeGreaterThan(0);
    expect(notice).toBeLessThan(text.indexOf('Scores by area and country'));
    expect(text).toContain('Country Mission Scope Score Score on core indicators Coverage');
    expect(text).toContain('Scope: Core indicators');

    const ru = visibleText(renderReportHtml(buildRegionalReport(demoRegionalInput({ KZ: 'core' }), 'ru')).html);
    expect(ru).toContain('Охват сопоставляемых миссий различается. KZ — только основные показатели');
    expect(ru).toContain('Оценка по основным показателям');
    expect(ru).not.toContain('different scopes');

    const docx = await docxText(await renderRegionalDocx(model));
    expect(docx).toContain('The missions compared had different scopes.');
    expect(docx).toContain('Score on core indicators');
    expect(docx).toContain('Core indicators');
    const docxRu = await docxText(await renderRegionalDocx(buildRegionalReport(demoRegionalInput({ KZ: 'core' }), 'ru')));
    expect(docxRu).toContain('Охват сопоставляемых миссий различается.');
    expect(docxRu).toContain('Основные показатели');
  });
});

describe('progress report across scopes', () => {
  it('prints both scopes and no notice when they are the same', async () => {
    const model = buildProgressReport(demoProgressInput('KZ', 'full', 'full'), 'en');
    expect(model.scopes.notice).toBeNull();
    expect(model.scopes.compared).toBe('full');
    expect(model.overall.baseline.percent).toBe(buildCountryReport(demoInput('KZ'), 'en').summary.overall.percent);
    // The same answers twice: nothing improved or worsened, even where a level is a fraction (2.25 printed 2.3).
    expect(model.improved).toEqual([]);
    expect(model.worsened).toEqual([]);
    const text = visibleText(renderReportHtml(model).html);
    expect(text).toContain('Scope Full Full');
    expect(text).not.toContain('different scopes');
    expect(text).not.toContain('over the core indicators only');
    expect(await docxText(await renderProgressDocx(model))).toContain('Scope');
  });

  it('compares a full baseline with a core follow-up over the core indicators: the same answers show no change', async () => {
    const model = buildProgressReport(demoProgressInput('KZ', 'full', 'core'), 'en');
    const fullScore = buildCountryReport(demoInput('KZ', 'full'), 'en').summary.overall.percent;
    const coreScore = buildCountryReport(demoInput('KZ', 'core'), 'en').summary.overall.percent;
    expect(fullScore).not.toBe(coreScore); // over all questions the "change" would be the scope alone
    expect(model.scopes.compared).toBe('core');
    expect(model.overall.baseline.percent).toBe(coreScore);
    expect(model.overall.followUp.percent).toBe(coreScore);
    expect(model.overall.direction).toBe('same');
    expect(model.areas.every((area) => area.direction === 'same')).toBe(true);
    expect(model.improved).toEqual([]);
    expect(model.worsened).toEqual([]);
    // Recommendations on questions the follow-up did not ask are not "closed": they were not reassessed.
    expect(model.recommendations.closed).toEqual([]);
    expect(model.recommendations.added).toEqual([]);
    expect(model.recommendations.open.length).toBeGreaterThan(0);
    expect(model.scopes.notice?.en).toContain(`over all its questions, ${fullScore}%, rests on a different set of questions`);

    const text = visibleText(renderReportHtml(model).html);
    const notice = text.indexOf('The two missions had different scopes: the baseline mission assessed every question');
    expect(notice).toBeGreaterThan(0);
    expect(notice).toBeLessThan(text.indexOf('Score per area: baseline and follow-up'));
    expect(text).toContain('Scope Full Core indicators');
    expect(text).toContain('Overall score over the core indicators only');
    expect(text).toContain('Score per area: baseline and follow-up (0–100 %), over the core indicators only');
    const ru = visibleText(renderReportHtml(buildProgressReport(demoProgressInput('KZ', 'full', 'core'), 'ru')).html);
    expect(ru).toContain('Охват двух миссий различается: в ходе исходной миссии оценивались все вопросы');
    expect(ru).toContain(`(${fullScore} %)`); // visibleText folds the no-break space
    expect(ru).toContain('Охват Полный Основные показатели');

    const docx = await docxText(await renderProgressDocx(model));
    expect(docx).toContain('The two missions had different scopes');
    expect(docx).toContain('Overall score (over the core indicators only)');
    expect(docx).toContain('Core indicators');
  });

  it('compares a core baseline with a full follow-up over the core indicators: only a change to a core indicator counts', () => {
    const coreQuestion = demoInput('KZ', 'core').assessments.flatMap((a) => a.questionnaire.questions.map((p) => ({ id: a.questionnaire.id, question: p.question, value: a.answers.get(p.question.id)?.value })))
      .find(({ question, value }) => question.type === 'maturity' && !question.informational && typeof value === 'number' && value > 0);
    const outside = demoInput('KZ', 'full').assessments.flatMap((a) => a.questionnaire.questions.map((p) => ({ id: a.questionnaire.id, question: p.question })))
      .find(({ question }) => question.type === 'maturity' && !question.core && !question.show_if);
    if (!coreQuestion || !outside) throw new Error('the questionnaires have core and non-core maturity indicators');
    // Raising a question the baseline never asked changes nothing in a like-for-like comparison.
    const outsideRaised = buildProgressReport(demoProgressInput('KZ', 'core', 'full', (id, answers) => { if (id === outside.id) answers.set(outside.question.id, { value: 4, evidence: 'documented' }); }), 'en');
    expect(outsideRaised.scopes.notice?.en).toContain('the baseline mission assessed only the core indicators');
    expect(outsideRaised.overall.direction).toBe('same');
    expect(outsideRaised.improved).toEqual([]);
    expect(outsideRaised.recommendations.added).toEqual([]);
    // Lowering a core indicator to 0 shows as a worsened indicator.
    const coreLowered = buildProgressReport(demoProgressInput('KZ', 'core', 'full', (id, answers) => { if (id === coreQuestion.id) answers.set(coreQuestion.question.id, { value: 0, evidence: 'documented' }); }), 'en');
    expect(coreLowered.worsened.map((row) => row.questionText.en)).toContain(coreQuestion.question.text.en);
    expect(coreLowered.overall.direction).toBe('down');
  });
});
