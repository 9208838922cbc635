import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scoreCountry, scoreQuestionnaire } from '../../src/scoring/score.js';
import { rankRecommendations } from '../../src/scoring/recommendations.js';
import { buildCountryReport } from '../../src/report/model/country.js';
import { buildRegionalReport } from '../../src/report/model/regional.js';
import { buildProgressReport } from '../../src/report/model/progress.js';
import { configuredMarking, detectLanguage } from '../../src/report/model/common.js';
import { wrapText } from '../../src/report/model/charts.js';
import { cssString, renderReportHtml, TEMPLATES_DIR } from '../../src/report/html.js';
import { reportFileName, reportPreviewHtml } from '../../src/report/generate.js';
import { countryInput, progressInput, regionalInput, withAnswer } from './fixtures.js';

const HOSTILE = '<img src="http://127.0.0.1:9/x"> <iframe src="file:///etc/hostname"></iframe> <script>document.title="owned"</script>';

describe('country report model', () => {
  const input = countryInput('KZ');
  const model = buildCountryReport(input, 'en');

  it('takes its scores from the scoring module', () => {
    const areas = input.assessments.map((a) => scoreQuestionnaire(a.questionnaire, input.catalogue, a.answers, input.targets));
    const country = scoreCountry(areas);
    expect(model.summary.overall.percent).toBe(Math.round((country.score ?? 0) * 100));
    expect(model.areas.map((area) => area.score.percent)).toEqual(areas.map((area) => Math.round((area.score ?? 0) * 100)));
    expect(model.areas[0]?.recommendations.length).toBe(rankRecommendations(input.assessments[0]!.questionnaire, areas[0]!).length);
  });

  it('lists every chapter in the TOC once, in document order', () => {
    const anchors = model.toc.map((entry) => entry.anchor);
    expect(new Set(anchors).size).toBe(anchors.length);
    expect(anchors.slice(0, 3)).toEqual(['summary', 'mission', 'area-3']);
    expect(anchors.slice(-2)).toEqual(['methodology', 'glossary']);
    expect(model.toc.filter((entry) => entry.level === 1).map((entry) => entry.number)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12']);
  });

  it('puts critical gaps first among the top priorities and numbers questions by chapter', () => {
    expect(model.summary.topPriorities.length).toBe(7);
    const critical = model.summary.topPriorities.map((rec) => rec.critical);
    expect(critical.indexOf(false) === -1 || critical.slice(critical.indexOf(false)).every((c) => !c)).toBe(true);
    for (const area of model.areas) {
      for (const gap of area.gaps) expect(gap.number.startsWith(`${area.number}.`)).toBe(true);
    }
    expect(model.summary.topPriorities[0]?.references[0]?.label.en).toMatch(/^(BC|SAP) Art\./);
  });

  it('lists unknowns and undocumented claims as evidence gaps', () => {
    const unknowns = input.assessments.flatMap((a) => [...a.answers].filter(([, answer]) => answer.value === 'unknown'));
    expect(unknowns.length).toBeGreaterThan(0);
    expect(model.evidenceGaps.filter((gap) => gap.reason === 'unknown').length).toBeGreaterThan(0);
    expect(model.evidenceGaps.some((gap) => gap.reason === 'undocumented')).toBe(true);
  });

  it('keeps every visible answer and note in the annex, with the language the note was written in', () => {
    const notes = model.annex.flatMap((area) => area.sections.flatMap((section) => section.questions.map((q) => q.note))).filter((note) => note !== null);
    expect(notes.length).toBeGreaterThan(10);
    expect(new Set(notes.map((note) => note.language))).toEqual(new Set(['en', 'ru']));
    for (const note of notes) expect(note.language).toBe(detectLanguage(note.text));
    expect(model.alignment.length).toBe(2);
    expect(model.alignment[1]?.rows.map((row) => row.label.en)).toContain('SAP Art. 7 — subscriber information');
  });

  it('leaves out mission table columns nobody filled in', () => {
    expect(model.mission.columns).toEqual({ role: true, type: true, date: true });
    const bare = { ...input, mission: { ...input.mission, team: [{ name: 'A. Expert — team leader' }], institutionsMet: [{ name: 'Supreme Court' }] } };
    const html = renderReportHtml(buildCountryReport(bare, 'en')).html;
    expect(buildCountryReport(bare, 'en').mission.columns).toEqual({ role: false, type: false, date: false });
    expect(html).not.toContain('>Role<');
    expect(html).toContain('Supreme Court');
  });

  it('detects the language of a note when it was not recorded', () => {
    expect(detectLanguage('Статья 16 УПК применяется (Art. 16)')).toBe('ru');
    expect(detectLanguage('Art. 16 CPC is applied')).toBe('en');
  });

  it('translates the default marking and keeps any other as configured', () => {
    expect(configuredMarking('For official use')).toEqual({ en: 'For official use', ru: 'Для служебного пользования' });
    expect(configuredMarking('OSCE restricted')).toBe('OSCE restricted');
  });
});

describe('regional and progress models', () => {
  it('ranks common gaps by the number of countries sharing them', () => {
    const model = buildRegionalReport(regionalInput(), 'en');
    expect(model.heatmap.rows.length).toBe(5);
    expect(model.heatmap.rows.every((row) => row.cells.length === 5)).toBe(true);
    const counts = model.commonGaps.map((gap) => gap.count);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    expect(counts[0]).toBeGreaterThan(1);
    expect(model.recommendations.every((rec) => rec.count >= 2 && rec.countries.length === rec.count)).toBe(true);
    expect(model.profiles.map((profile) => profile.code)).toEqual(['KZ', 'KG', 'TJ', 'TM', 'UZ']);
  });

  it('splits recommendations into closed, still open and new, and changes into better and worse', () => {
    const model = buildProgressReport(progressInput(), 'en');
    const closed = new Set(model.recommendations.closed.map((rec) => rec.key));
    const open = new Set(model.recommendations.open.map((rec) => rec.key));
    const added = new Set(model.recommendations.added.map((rec) => rec.key));
    expect([...closed].some((key) => open.has(key) || added.has(key))).toBe(false);
    expect(closed.size + open.size).toBeGreaterThan(0);
    for (const change of model.improved) expect(change.to).toBeGreaterThan(change.from ?? Infinity);
    for (const change of model.worsened) expect(change.to).toBeLessThan(change.from ?? -Infinity);
    expect(model.areas.length).toBe(5);
  });
});

describe('report HTML', () => {
  it('prints a hostile note as text: nothing in it becomes markup', () => {
    const input = withAnswer(countryInput('KZ'), 'procedural-powers', 'preservation-basis', { value: 2, evidence: 'documented', note: HOSTILE, source: HOSTILE });
    const html = renderReportHtml(buildCountryReport(input, 'en')).html;
    expect(html).not.toContain('<img src="http://127.0.0.1:9/x">');
    expect(html).not.toMatch(/<iframe|<script/i);
    expect(html).toContain('&lt;img src&#x3D;&quot;http://127.0.0.1:9/x&quot;&gt;');
    expect(html).toContain("default-src 'none'");
  });

  it('prints user text only through escaping {{ }}: the one triple-stash is ENA’s own CSS', () => {
    const files = [join(TEMPLATES_DIR, 'document.hbs'),
      ...readdirSync(join(TEMPLATES_DIR, 'partials')).map((name) => join(TEMPLATES_DIR, 'partials', name))];
    const triples = files.flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/{{{\s*([^}]+?)\s*}}}/g)].map((m) => m[1]));
    expect(triples).toEqual(['styles']);
  });

  it('escapes the texts of the running header as CSS strings', () => {
    const marking = '</style><script>alert(1)</script>"; } body { display: none } @page { x';
    const input = { ...countryInput('KZ'), marking, country: { code: 'KZ', name: { en: 'Kazakh\\stan"', ru: 'Казахстан' } } };
    const html = renderReportHtml(buildCountryReport(input, 'en')).html;
    expect(html).not.toContain('</style><script>');
    expect(html.match(/<\/style>/g)).toHaveLength(1);
    const style = html.slice(html.indexOf('<style>') + '<style>'.length, html.indexOf('</style>'));
    expect(style).toContain('\\22 ; \\7d  body \\7b  display: none \\7d  \\40 page \\7b  x"'); // still inside one CSS string
    expect(style).not.toContain('<');
    expect(cssString('a"b\\c</style>')).toBe('"a\\22 b\\5c c\\3c \\2f style\\3e "');
  });

  it('puts English and Russian side by side in a bilingual report', () => {
    const html = renderReportHtml(buildCountryReport(countryInput('KZ'), 'bilingual')).html;
    expect(html).toContain('<div class="bi"><div class="bi-col" lang="en">');
    expect(html).toContain('Executive summary</span><span class="sep"> / </span><span lang="ru">Резюме');
  });

  it('writes the methodology formulas in the report\'s language: a Russian reader meets no English variable names', () => {
    const formulas = (language: 'en' | 'ru') => [...renderReportHtml(buildCountryReport(countryInput('KZ'), language)).html.matchAll(/<td class="formula">([\s\S]*?)<\/td>/g)]
      .map((match) => (match[1] ?? '').replace(/<[^>]+>/g, '').replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16))).trim());
    const russian = formulas('ru');
    expect(russian).toContain('отставание = целевой уровень − уровень');
    expect(russian).toContain('S = Σ(w·s) ÷ Σw');
    for (const formula of russian) expect(formula).not.toMatch(/[a-z]{3,}/i);
    expect(formulas('en')).toContain('gap = target − level');
  });

  it('renders regional and progress reports in Russian without English leftovers in headings', () => {
    const regional = renderReportHtml(buildRegionalReport(regionalInput(), 'ru')).html;
    expect(regional).toContain('Общие отставания');
    expect(regional).not.toContain('Common gaps');
    const progress = renderReportHtml(buildProgressReport(progressInput(), 'ru')).html;
    expect(progress).toContain('Остаются открытыми');
  });

  it('offers the same HTML as a browser preview and names files safely', () => {
    const request = { kind: 'country' as const, input: countryInput('KZ') };
    expect(reportPreviewHtml(request, 'ru')).toContain('class="lang-ru kind-country preview"');
    expect(reportFileName(request, 'ru')).toBe('ENA_country_KZ_kz-2024_ru.pdf');
    const odd = { kind: 'country' as const, input: { ...countryInput('KZ'), mission: { ...countryInput('KZ').mission, id: '../../etc/passwd' } } };
    expect(reportFileName(odd, 'en')).toBe('ENA_country_KZ_etc-passwd_en.pdf');
  });

  it('wraps chart labels on word boundaries', () => {
    expect(wrapText('Central authority for mutual legal assistance', 20)).toEqual(['Central authority', 'for mutual legal', 'assistance']);
  });
});
