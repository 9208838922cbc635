/**
 * The country report as an editable Word document (docx), with the same content as the PDF: real
 * heading styles (Word's navigation pane and table of contents work), tables, the charts as PNG images
 * with a text alternative, Cyrillic text, and in a bilingual report English and Russian side by side in
 * a two-column table. Pure: model and chart images in, bytes out.
 */
import {
  AlignmentType, BorderStyle, Document, Footer, Header, HeadingLevel, ImageRun, Packer, PageNumber, Paragraph, Table, TableCell,
  TableOfContents, TableRow, TextRun, WidthType, type ISectionOptions,
} from 'docx';
import { translator, type Language } from '../../i18n/i18n.js';
import { statusLine } from '../html.js';
import type { ReportLanguage } from '../input.js';
import { formatPercent } from '../model/charts.js';
import type { DocumentMeta, RecommendationView, ScoreView, Text } from '../model/common.js';
import type { CountryReportModel } from '../model/country.js';

/** A chart as a PNG with its size in CSS pixels (the document shows it at that size). */
export interface ChartImage {
  png: Uint8Array;
  width: number;
  height: number;
}

const translators = { en: translator('en'), ru: translator('ru') };
export type Block = Paragraph | Table;

const MAX_IMAGE_WIDTH = 600;

export class Writer {
  readonly languages: Language[];

  constructor(readonly mode: ReportLanguage) {
    this.languages = mode === 'bilingual' ? ['en', 'ru'] : [mode];
  }

  /** One line for headings, table headers and labels: "English / Русский" in a bilingual report. */
  label(text: Text): string {
    const parts = [...new Set(this.languages.map((lang) => text[lang]))];
    return parts.join(' / ');
  }

  tr(key: string, params: Record<string, unknown> = {}): Text {
    return { en: translators.en(key, params), ru: translators.ru(key, params) };
  }

  heading(level: 1 | 2, number: string, title: Text): Paragraph {
    // A space between number and title: the navigation pane and the TOC show "1 Executive summary".
    return new Paragraph({ heading: level === 1 ? HeadingLevel.HEADING_1 : HeadingLevel.HEADING_2, children: [new TextRun(`${number} ${this.label(title)}`)] });
  }

  /** Body text: paragraphs; in a bilingual report a two-column table, English left, Russian right. */
  text(text: Text, options: { bold?: boolean } = {}): Block[] {
    const paragraphs = (lang: Language) => text[lang].split(/\n\s*\n/).map((part) => part.trim()).filter(Boolean)
      .map((part) => new Paragraph({ children: [new TextRun({ text: part, bold: options.bold ?? false })] }));
    if (this.mode !== 'bilingual') return paragraphs(this.mode);
    if (text.en === text.ru) return paragraphs('en');
    return [new Table({
      width: { size: 100, type: WidthType.PERCENTAGE },
      borders: noBorders,
      rows: [new TableRow({ children: (['en', 'ru'] as const).map((lang) => new TableCell({ width: { size: 50, type: WidthType.PERCENTAGE }, children: paragraphs(lang).length > 0 ? paragraphs(lang) : [new Paragraph('')] })) })],
    })];
  }

  /** A table cell's content: one line per language. */
  cell(text: Text | string): Paragraph[] {
    if (typeof text === 'string') return [new Paragraph(text)];
    return [...new Set(this.languages.map((lang) => text[lang]))].map((line) => new Paragraph(line));
  }

  table(headers: Text[], rows: (Text | string)[][]): Table {
    const headerRow = new TableRow({ tableHeader: true, children: headers.map((header) => new TableCell({ children: [new Paragraph({ children: [new TextRun({ text: this.label(header), bold: true })] })] })) });
    return new Table({
      width: { size: 100, type: WidthType.PERCENTAGE },
      rows: [headerRow, ...rows.map((row) => new TableRow({ children: row.map((value) => new TableCell({ children: this.cell(value) })) }))],
    });
  }

  score(score: ScoreView): string {
    return this.languages.map((lang) => formatPercent(score.percent, lang))[0] ?? '—';
  }

  image(chart: ChartImage | undefined, alt: string): Block[] {
    if (!chart) return [];
    const scale = Math.min(1, MAX_IMAGE_WIDTH / chart.width);
    return [new Paragraph({
      alignment: AlignmentType.CENTER,
      children: [new ImageRun({ type: 'png', data: chart.png, transformation: { width: Math.round(chart.width * scale), height: Math.round(chart.height * scale) }, altText: { name: 'chart', title: alt, description: alt } })],
    })];
  }
}

const noBorders = {
  top: { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' }, bottom: { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' },
  left: { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' }, right: { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' },
  insideHorizontal: { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' }, insideVertical: { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' },
};

export function recommendation(w: Writer, rec: Pick<RecommendationView, 'rank' | 'text' | 'priorityText' | 'timeframeText' | 'responsible' | 'references'>): Block[] {
  const meta = (['priority', 'timeframe', 'responsible', 'references'] as const).map((field) => {
    const value: Text = field === 'priority' ? rec.priorityText
      : field === 'timeframe' ? rec.timeframeText
      : field === 'responsible' ? { en: rec.responsible.map((r) => r.en).join('; '), ru: rec.responsible.map((r) => r.ru).join('; ') }
      : { en: rec.references.map((r) => r.label.en).join(', '), ru: rec.references.map((r) => r.label.ru).join(', ') };
    return [w.tr(`report:rec.${field}`), value] as const;
  }).filter(([, value]) => value.en.trim() !== '' || value.ru.trim() !== '');
  return [
    ...w.text({ en: `${rec.rank}. ${rec.text.en}`, ru: `${rec.rank}. ${rec.text.ru}` }, { bold: true }),
    new Table({
      width: { size: 100, type: WidthType.PERCENTAGE },
      rows: meta.map(([name, value]) => new TableRow({ children: [new TableCell({ width: { size: 25, type: WidthType.PERCENTAGE }, children: [new Paragraph({ children: [new TextRun({ text: w.label(name), bold: true })] })] }), new TableCell({ children: w.cell(value) })] })),
    }),
    new Paragraph(''),
  ];
}

function chartAlt(w: Writer, rows: { label: Text; score: ScoreView }[]): string {
  const lang = w.languages[0] ?? 'en';
  return rows.map((row) => `${row.label[lang]}: ${formatPercent(row.score.percent, lang)}`).join('; ');
}

/** charts[0] is the summary chart, charts[1…] the area charts in order (as in the HTML). */
export async function renderCountryDocx(model: CountryReportModel, charts: readonly ChartImage[] = []): Promise<Uint8Array> {
  const w = new Writer(model.meta.language);
  const status = model.meta.status;
  const statusText: Text | null = status ? { en: statusLine(status, 'en'), ru: statusLine(status, 'ru') } : null;
  const chapter = (anchor: string): string => model.toc.find((entry) => entry.anchor === anchor)?.number ?? '';
  const body: Block[] = [];

  body.push(...coverBlocks(w, model.meta, `${model.mission.title} · ${model.mission.startsOn} – ${model.mission.endsOn}`));

  // 1. Executive summary
  body.push(w.heading(1, chapter('summary'), w.tr('report:summary.title')));
  if (model.narrative.summary) body.push(...w.text(model.narrative.summary));
  body.push(...w.image(charts[0], chartAlt(w, model.summary.areas.map((area) => ({ label: area.title, score: area.score })))));
  body.push(w.table(
    [w.tr('report:table.area'), w.tr('common:score'), w.tr('report:table.maturity'), w.tr('common:coverage'), w.tr('report:table.gaps'), w.tr('report:table.unknowns')],
    model.summary.areas.map((area) => [`${area.number} ${w.label(area.title)}`, w.score(area.score), area.score.label ?? '—', area.coverage.percent === null ? '—' : `${area.coverage.percent}%`, String(area.gaps), String(area.unknowns)]),
  ));
  body.push(new Paragraph({ heading: HeadingLevel.HEADING_2, children: [new TextRun(w.label(w.tr('report:summary.topPriorities')))] }));
  for (const rec of model.summary.topPriorities) body.push(...recommendation(w, rec));

  // 2. Mission
  body.push(w.heading(1, chapter('mission'), w.tr('report:mission.title')));
  body.push(w.table([w.tr('report:mission.name'), w.tr('report:mission.country'), w.tr('report:mission.dates'), w.tr('report:mission.scopeLabel')],
    [[model.mission.title, model.country.name, `${model.mission.startsOn} – ${model.mission.endsOn}`, model.mission.scopeText]]));
  if (model.narrative.context) body.push(...w.text(model.narrative.context));
  if (model.mission.team.length > 0) {
    body.push(new Paragraph({ children: [new TextRun({ text: w.label(w.tr('report:mission.team')), bold: true })] }));
    body.push(w.table([w.tr('report:mission.memberName')], model.mission.team.map((member) => [member.name])));
  }
  if (model.mission.institutionsMet.length > 0) {
    body.push(new Paragraph({ children: [new TextRun({ text: w.label(w.tr('report:mission.institutions')), bold: true })] }));
    body.push(w.table([w.tr('report:mission.institutionName')], model.mission.institutionsMet.map((met) => [met.name])));
  }

  // 3… Areas
  model.areas.forEach((area, index) => {
    body.push(w.heading(1, String(area.number), area.title));
    body.push(...w.text(area.description));
    if (area.findings) body.push(...w.text(area.findings));
    body.push(...w.image(charts[index + 1], chartAlt(w, area.sections.map((section) => ({ label: section.title, score: section.score })))));
    body.push(w.table([w.tr('report:table.section'), w.tr('common:score'), w.tr('common:coverage')],
      area.sections.map((section) => [section.title, w.score(section.score), `${section.coverage.answered}/${section.coverage.applicable}`])));
    body.push(w.heading(2, `${area.number}.1`, w.tr('report:area.gapsTitle')));
    if (area.gaps.length > 0) {
      body.push(w.table([w.tr('report:table.number'), w.tr('report:table.question'), w.tr('common:level'), w.tr('common:target'), w.tr('common:gap'), w.tr('report:table.priority')],
        area.gaps.map((gap) => [`${gap.number}${gap.critical ? ' !' : ''}`, gap.questionText, gap.level === null ? '—' : String(gap.level), String(gap.target), String(gap.gap), String(gap.priority)])));
    } else body.push(...w.text(w.tr('report:area.noGaps')));
    body.push(w.heading(2, `${area.number}.2`, w.tr('report:area.recommendationsTitle')));
    if (area.recommendations.length === 0) body.push(...w.text(w.tr('report:area.noRecommendations')));
    for (const rec of area.recommendations) body.push(...recommendation(w, rec));
  });

  // Evidence gaps, methodology, glossary
  body.push(w.heading(1, chapter('evidence-gaps'), w.tr('report:evidenceGaps.title')));
  body.push(w.table([w.tr('report:table.number'), w.tr('report:table.question'), w.tr('report:table.area')],
    model.evidenceGaps.map((row) => [row.number, { en: `${row.questionText.en} (${row.reasonText.en})`, ru: `${row.questionText.ru} (${row.reasonText.ru})` }, row.areaTitle])));
  body.push(w.heading(1, chapter('methodology'), w.tr('report:methodology.title')));
  if (model.narrative.methodology) body.push(...w.text(model.narrative.methodology));
  body.push(...w.text(w.tr('report:methodology.intro')));
  body.push(w.table([w.tr('common:level'), w.tr('report:methodology.label'), w.tr('report:methodology.descriptor')],
    model.methodology.scale.map((entry) => [String(entry.level), entry.label, entry.descriptor])));
  body.push(w.heading(1, chapter('glossary'), w.tr('report:glossary.title')));
  body.push(w.table([{ en: 'English', ru: 'English' }, { en: 'Русский', ru: 'Русский' }], model.glossary.map((row) => [row.en, row.ru])));

  return packDocument(w, model.meta, statusText, body);
}

/** Cover lines every kind of report starts with: title, kind, project, status, data revision, marking, TOC. */
export function coverBlocks(w: Writer, meta: DocumentMeta, subtitle: string | null): Block[] {
  const status = meta.status;
  const statusText: Text | null = status ? { en: statusLine(status, 'en'), ru: statusLine(status, 'ru') } : null;
  return [
    new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun(w.label(meta.title))] }),
    new Paragraph({ children: [new TextRun({ text: w.label(w.tr(`report:cover.kind.${meta.kind}`)), bold: true })] }),
    new Paragraph(w.label(meta.projectName)),
    ...(subtitle ? [new Paragraph(subtitle)] : []),
    ...(statusText ? [new Paragraph({ children: [new TextRun({ text: w.label(statusText), bold: true, color: '1F3A5F' })] })] : []),
    new Paragraph(w.label(w.tr('report:cover.revision', { revision: meta.dataRevision }))),
    new Paragraph({ children: [new TextRun({ text: w.label(meta.marking), bold: true })] }),
    new TableOfContents(w.label(w.tr('report:toc.title')), { hyperlink: true, headingStyleRange: '1-2' }),
  ];
}

/** The document around the body: running header and footer (status line, page x of y), metadata, styles. */
export async function packDocument(w: Writer, meta: DocumentMeta, statusText: Text | null, body: Block[]): Promise<Uint8Array> {
  const frameLine = (text: Text): Paragraph => new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text: w.label(text), size: 16, color: '4A5568' })] });
  const section: ISectionOptions = {
    headers: { default: new Header({ children: [frameLine({ en: `${meta.title.en} · ${meta.marking.en}`, ru: `${meta.title.ru} · ${meta.marking.ru}` })] }) },
    footers: {
      default: new Footer({
        children: [
          ...(statusText ? [frameLine(statusText)] : []),
          new Paragraph({ alignment: AlignmentType.RIGHT, children: [new TextRun({ children: [`${w.label(w.tr('report:footer.page'))} `, PageNumber.CURRENT, ` ${w.label(w.tr('report:footer.of'))} `, PageNumber.TOTAL_PAGES], size: 16 })] }),
        ],
      }),
    },
    children: body,
  };
  const lang = meta.language === 'ru' ? 'ru-RU' : 'en-GB';
  const document = new Document({
    title: w.label(meta.title),
    creator: 'ENA',
    description: w.label(w.tr('report:cover.revision', { revision: meta.dataRevision })),
    // Word fills the table of contents when it opens the file.
    features: { updateFields: true },
    styles: { default: { document: { run: { font: 'Calibri', size: 21, language: { value: lang, eastAsia: lang, bidirectional: lang } } } } },
    sections: [section],
  });
  return new Uint8Array(await Packer.toBuffer(document));
}
