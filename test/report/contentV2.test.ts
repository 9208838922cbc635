/**
 * Reports after content v2 (issue 10), built from the shipped questionnaires and demo data: internal
 * notes stay internal, the Russian text uses no avoided glossary term, treaty status is shown for
 * information, a mission's scope is printed, unknown critical indicators are listed, `see:` references
 * are shown, and no advice is printed twice.
 */
import { describe, expect, it } from 'vitest';
import { buildCountryReport } from '../../src/report/model/country.js';
import { renderReportHtml } from '../../src/report/html.js';
import type { CountryReportInput, ReportLanguage } from '../../src/report/input.js';
import { catalogue, demoInput, demos, questionnaires } from './demoInputs.js';
import { visibleText } from './visibleText.js';

const render = (input: CountryReportInput, language: ReportLanguage): string => visibleText(renderReportHtml(buildCountryReport(input, language)).html);

const authorNotes = [
  ...catalogue.glossary.flatMap((term) => (term.note ? [term.note] : [])),
  ...questionnaires.flatMap((q) => [q.reviewer_note, ...q.questions.map((p) => p.question.reviewer_note)].flatMap((note) => (note ? [note.en, note.ru] : []))),
];
/** A distinctive slice of a note (its first 60 characters), enough to recognise it in a page. */
const fingerprint = (note: string): string => note.replace(/\s+/g, ' ').trim().slice(0, 60);

describe('reports after content v2', () => {
  for (const language of ['ru', 'en', 'bilingual'] as const) {
    it(`print no author-only note (glossary notes, reviewer notes) in the ${language} report`, () => {
      const text = render(demoInput('KZ'), language);
      expect(text).toContain(language === 'en' ? 'Glossary' : 'Глоссарий'); // the glossary chapter is there, only its notes are not
      expect(authorNotes.length).toBeGreaterThan(20);
      for (const note of authorNotes) expect(text.includes(fingerprint(note)), fingerprint(note)).toBe(false);
      expect(text).not.toMatch(/Use «цифровая криминалистика» nowhere/);
    });
  }

  it('uses none of the avoided glossary terms in the Russian report of any demo country', () => {
    const variants = catalogue.glossary.flatMap((term) => term.avoid.map((variant) => ({ variant, pattern: new RegExp(`(?<![\\p{L}\\p{N}])${variant.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}\\p{N}])`, 'iu') })));
    for (const demo of demos) {
      const text = render(demoInput(demo.data.country.code), 'ru');
      expect(variants.filter((v) => v.pattern.test(text)).map((v) => v.variant), demo.data.country.code).toEqual([]);
    }
  });

  it('shows treaty status for information with the date checked, and never as a gap', () => {
    const input = demoInput('KZ');
    const model = buildCountryReport(input, 'en');
    const info = model.mission.information.map((row) => row.number);
    expect(info.length).toBeGreaterThanOrEqual(5);
    const text = render(input, 'en');
    expect(text).toContain('Treaty status (for information)');
    const alignmentArea = model.areas.find((area) => area.title.en === 'Treaty alignment');
    expect(alignmentArea?.gaps.map((gap) => gap.questionText.en).filter((t) => /current status/.test(t))).toEqual([]);
    // Status recommendations, if any, come after every operational one in the area.
    const recs = alignmentArea?.recommendations ?? [];
    const informational = new Set(questionnaires.flatMap((q) => q.questions.map((p) => p.question)).filter((q) => 'informational' in q && q.informational).map((q) => q.text.en));
    const statusRec = (r: (typeof recs)[number]) => informational.has(r.questionText.en);
    const first = recs.findIndex(statusRec);
    expect(first).toBeGreaterThan(0); // the demo has both kinds
    expect(recs.slice(first).every(statusRec)).toBe(true);
  });

  it('prints the scope, and a core mission leaves the questions outside the core set out of the report', () => {
    const full = buildCountryReport(demoInput('KZ'), 'en');
    const core = buildCountryReport(demoInput('KZ', 'core'), 'en');
    expect(full.mission.scopeText.en).toMatch(/^Full/);
    expect(core.mission.scopeText.en).toMatch(/^Core indicators/);
    expect(render(demoInput('KZ', 'core'), 'en')).toContain('Core indicators: the visit-sized set');
    const annexCount = (model: typeof full) => model.annex.flatMap((area) => area.sections.flatMap((s) => s.questions)).length;
    expect(annexCount(core)).toBeLessThan(annexCount(full));
    expect(core.summary.coverage.applicable).toBeLessThanOrEqual(45);
  });

  it('lists an unknown critical indicator among the critical findings and marks its area provisional', () => {
    const input = demoInput('TM', 'full', (id, answers) => { if (id === 'legal-framework') answers.set('lf-preservation-power', { value: 'unknown' }); });
    const model = buildCountryReport(input, 'en');
    const preservation = questionnaires.find((q) => q.id === 'legal-framework')?.questionsById.get('lf-preservation-power')?.question.text.en;
    expect(model.summary.criticalUnknowns.map((row) => row.questionText.en)).toContain(preservation);
    const legal = model.areas.find((area) => area.criticalUnknowns.length > 0 && area.title.en.startsWith('Legal'));
    expect(legal?.provisional).toBe(true);
    const text = render(input, 'en');
    expect(text).toMatch(/Critical findings without an answer \(\d+\)/);
    expect(text).toMatch(/Provisional score: a critical indicator is unknown/);
  });

  it('shows where a fact is scored (see:) in the annex and the alignment chapter', () => {
    const text = render(demoInput('KZ'), 'en');
    expect(text).toMatch(/Scored once, in: Technical capacity|Scored once, in: [^›]+ › /);
    const ru = render(demoInput('KZ'), 'ru');
    expect(ru).toMatch(/Оценивается один раз, в вопросе: [^›]+ › /);
  });

  it('never prints the same advice twice', () => {
    for (const demo of demos) {
      const model = buildCountryReport(demoInput(demo.data.country.code), 'en');
      const texts = model.areas.flatMap((area) => area.recommendations.map((r) => r.text.en));
      expect(new Set(texts).size, demo.data.country.code).toBe(texts.length);
    }
  });

  it('marks the demo as illustrative wherever it is shown', () => {
    const text = render(demoInput('UZ'), 'ru');
    expect(text).toContain('Демонстрационные данные — не результат оценки');
  });
});
