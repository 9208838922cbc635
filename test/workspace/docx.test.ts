/**
 * The Word output read back by independent readers: mammoth (text and heading structure as HTML) and
 * the raw word/document.xml (heading styles Word's navigation pane uses, images, two-column tables).
 */
import JSZip from 'jszip';
import mammoth from 'mammoth';
import { afterAll, describe, expect, it } from 'vitest';
import { generateReportDocx } from '../../src/report/generate.js';
import type { ReportDraftInput } from '../../src/report/input.js';
import { PdfPool } from '../../src/report/pdf/pool.js';
import { countryInput } from '../report/fixtures.js';

const pool = new PdfPool();
afterAll(() => pool.close());

const draft: ReportDraftInput = {
  revision: 4, state: 'draft',
  texts: [{ key: 'executive-summary', en: 'The team’s own summary of Kazakhstan.', ru: 'Собственное резюме группы по Казахстану.' }],
  recommendations: [{
    id: 1, origin: 'custom', sourceKey: null, status: 'accepted', text: { en: 'Set up a 24/7 point of contact in Astana', ru: 'Создать круглосуточный контактный пункт в Астане' },
    priority: 'high', timeframe: 'short', institution: ['police'], indicators: [], references: [],
  }],
};

async function read(docx: Uint8Array) {
  const zip = await JSZip.loadAsync(docx);
  const xml = await zip.file('word/document.xml')?.async('string') ?? '';
  const media = Object.keys(zip.files).filter((name) => name.startsWith('word/media/'));
  const html = (await mammoth.convertToHtml({ buffer: Buffer.from(docx) })).value;
  const text = (await mammoth.extractRawText({ buffer: Buffer.from(docx) })).value;
  return { xml, media, html, text };
}

describe('country report as DOCX', () => {
  it('has real headings, tables, chart images and the draft content (bilingual: two columns, Cyrillic)', async () => {
    const result = await generateReportDocx(pool, { kind: 'country', input: { ...countryInput('KZ'), draft } }, 'bilingual');
    expect(result.fileName).toMatch(/\.docx$/);
    const { xml, media, html, text } = await read(result.docx);
    // Heading styles: what Word's navigation pane and TOC are built from.
    expect((xml.match(/<w:pStyle w:val="Heading1"\/>/g) ?? []).length).toBeGreaterThanOrEqual(7);
    expect((xml.match(/<w:pStyle w:val="Heading2"\/>/g) ?? []).length).toBeGreaterThanOrEqual(10);
    expect(xml.includes('TOC \\h \\o &quot;1-2&quot;')).toBe(true);
    // mammoth maps heading styles to <h1>/<h2>: numbers are separated from titles.
    expect(html.includes('<h1>1 Executive summary / Резюме</h1>')).toBe(true);
    expect(/<h1>\d+[A-Za-zА-Яа-я]/.test(html)).toBe(false);
    expect(media.filter((name) => name.endsWith('.png')).length).toBe(1 + 5); // summary chart + one per area
    expect(/descr="[^"]+: \d+%/.test(xml)).toBe(true); // charts carry a text alternative
    expect(text).toContain('The team’s own summary of Kazakhstan.');
    expect(text).toContain('Собственное резюме группы по Казахстану.');
    expect(text).toContain('Set up a 24/7 point of contact in Astana');
    expect(text).toContain('Создать круглосуточный контактный пункт в Астане');
    expect(text).toContain('Draft / Проект');
    expect(text).toContain('Full: every question of every questionnaire'); // the mission's scope, as in the PDF
    expect(text).toContain('Полный: все вопросы всех вопросников');
    // Bilingual body text sits in a two-column table: English cell, then Russian cell of the same row.
    expect(/<w:tc>(?:(?!<\/w:tc>).)*The team’s own summary(?:(?!<\/w:tr>).)*<w:tc>(?:(?!<\/w:tc>).)*Собственное резюме/s.test(xml)).toBe(true);
  }, 120_000);

  it('in Russian carries only Russian headings', async () => {
    const result = await generateReportDocx(pool, { kind: 'country', input: { ...countryInput('KZ'), draft } }, 'ru');
    const { html, text } = await read(result.docx);
    expect(/<h1>1 [А-Я]/.test(html)).toBe(true);
    expect(text).toContain('Проект');
    expect(text).not.toContain('Set up a 24/7 point of contact');
  }, 120_000);
});

describe('regional and progress reports as DOCX', () => {
  it('have heading styles and their tables, in Russian', async () => {
    const { regionalInput, progressInput } = await import('../report/fixtures.js');
    for (const request of [{ kind: 'regional' as const, input: regionalInput() }, { kind: 'progress' as const, input: progressInput() }]) {
      const result = await generateReportDocx(pool, request, 'ru');
      expect(result.fileName).toMatch(new RegExp(`^ENA_${request.kind}_.*_ru\\.docx$`));
      const { xml, html } = await read(result.docx);
      expect((xml.match(/<w:pStyle w:val="Heading1"\/>/g) ?? []).length).toBeGreaterThanOrEqual(4);
      expect(/<h1>1 [А-Я]/.test(html)).toBe(true);
      expect(xml.includes('<w:tbl>')).toBe(true);
    }
  }, 60_000);
});
