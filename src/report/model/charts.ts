/**
 * Chart geometry for the SVG charts of the reports: numbers and label lines only. The SVG itself is a
 * Handlebars partial, so every label is escaped like any other text.
 */
import type { Language } from '../../i18n/i18n.js';
import type { ReportLanguage } from '../input.js';
import type { Text } from './common.js';
import { TOP_LEVEL } from './common.js';

export interface LabelLine {
  text: string;
  lang: Language;
  /** Bold first line (the value), normal lines after it. */
  strong?: boolean;
  /** Vertical offset from the previous line: 0 for the first. */
  dy?: number;
}

const spaced = (lines: readonly LabelLine[], lineHeight: number): LabelLine[] => lines.map((line, index) => ({ ...line, dy: index === 0 ? 0 : lineHeight }));

export interface ChartLabel {
  x: number;
  y: number;
  anchor: 'start' | 'middle' | 'end';
  lines: LabelLine[];
}

export interface RadarChart {
  kind: 'radar';
  width: number;
  height: number;
  /** Concentric polygons at 25/50/75/100 %. */
  rings: { points: string; label: string; labelX: number; labelY: number }[];
  axes: { x1: number; y1: number; x2: number; y2: number }[];
  polygon: string;
  dots: { x: number; y: number; missing: boolean }[];
  labels: ChartLabel[];
  lineHeight: number;
}

export interface BarRect {
  x: number;
  y: number;
  width: number;
  height: number;
  className: string;
  value: string;
  valueX: number;
  valueY: number;
}

export interface BarChart {
  kind: 'bars';
  width: number;
  height: number;
  rows: { label: ChartLabel; bars: BarRect[] }[];
  grid: { x: number; top: number; bottom: number; label: string; labelY: number }[];
  legend: { x: number; y: number; textX: number; textY: number; className: string; lines: LabelLine[] }[];
  lineHeight: number;
}

export type Chart = RadarChart | BarChart;

export const chartLanguages = (language: ReportLanguage): Language[] => (language === 'bilingual' ? ['en', 'ru'] : [language]);

const round = (value: number): number => Math.round(value * 10) / 10;

/** Greedy word wrap at about `width` characters; a long word gets a line of its own. */
export function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines.length > 0 ? lines : [''];
}

function labelLines(text: Text, languages: readonly Language[], width: number, maxLines: number): LabelLine[] {
  return languages.flatMap((lang) => {
    const wrapped = wrapText(text[lang], width);
    const kept = wrapped.slice(0, maxLines);
    if (wrapped.length > maxLines) kept[maxLines - 1] = `${kept[maxLines - 1] ?? ''}…`;
    return kept.map((line) => ({ text: line, lang }));
  });
}

export function formatPercent(percent: number | null, lang: Language): string {
  if (percent === null) return '—';
  return lang === 'ru' ? `${percent}\u00a0%` : `${percent}%`;
}

/** A radar (spider) chart of scores 0–1 per axis; needs at least three axes. */
export function radarChart(axes: readonly { label: Text; score: number | null }[], language: ReportLanguage): RadarChart {
  const languages = chartLanguages(language);
  const lineHeight = 11;
  const width = 520;
  const radius = 105;
  const labelWidth = language === 'bilingual' ? 22 : 26;
  const maxLabelLines = 2 * languages.length + 1;
  const height = 2 * radius + 2 * (maxLabelLines * lineHeight + 24);
  const cx = width / 2;
  const cy = height / 2;
  const angle = (i: number): number => -Math.PI / 2 + (2 * Math.PI * i) / axes.length;
  const point = (i: number, r: number): [number, number] => [round(cx + r * Math.cos(angle(i))), round(cy + r * Math.sin(angle(i)))];
  const ring = (fraction: number): string => axes.map((_, i) => point(i, radius * fraction).join(',')).join(' ');

  const labels = axes.map((axis, i): ChartLabel => {
    const cos = Math.cos(angle(i));
    const sin = Math.sin(angle(i));
    const [x, y] = point(i, radius + 16);
    const lines: LabelLine[] = [
      { text: formatPercent(axis.score === null ? null : Math.round(axis.score * 100), languages[0] ?? 'en'), lang: languages[0] ?? 'en', strong: true },
      ...labelLines(axis.label, languages, labelWidth, 2),
    ];
    const anchor = Math.abs(cos) < 0.2 ? 'middle' : cos > 0 ? 'start' : 'end';
    // Labels above the centre grow upwards, below it downwards, beside it around the axis end.
    const blockHeight = lines.length * lineHeight;
    const top = sin < -0.2 ? y - blockHeight + lineHeight / 2 : sin > 0.2 ? y + lineHeight : y - blockHeight / 2 + lineHeight;
    return { x, y: round(top), anchor, lines: spaced(lines, lineHeight) };
  });

  return {
    kind: 'radar',
    width,
    height: round(height),
    rings: [0.25, 0.5, 0.75, 1].map((fraction) => {
      const [labelX, labelY] = point(0, radius * fraction);
      return { points: ring(fraction), label: `${fraction * 100}`, labelX: labelX + 3, labelY: labelY - 2 };
    }),
    axes: axes.map((_, i) => {
      const [x2, y2] = point(i, radius);
      return { x1: round(cx), y1: round(cy), x2, y2 };
    }),
    polygon: axes.map((axis, i) => point(i, radius * (axis.score ?? 0)).join(',')).join(' '),
    dots: axes.map((axis, i) => {
      const [x, y] = point(i, radius * (axis.score ?? 0));
      return { x, y, missing: axis.score === null };
    }),
    labels,
    lineHeight,
  };
}

export interface BarSeries {
  values: readonly (number | null)[];
  /** 'band' colours each bar by its level band; any other value is a CSS class. */
  className: string;
  legend?: Text;
}

/** Horizontal bars, one row per label, one bar per series, scores 0–1. */
export function barChart(labels: readonly Text[], series: readonly BarSeries[], language: ReportLanguage): BarChart {
  const languages = chartLanguages(language);
  const lineHeight = 11;
  const width = 520;
  const labelColumn = 200;
  const valueColumn = 44;
  const plotLeft = labelColumn + 8;
  const plotWidth = width - plotLeft - valueColumn;
  const barHeight = 11;
  const legendHeight = series.some((s) => s.legend) ? 16 + lineHeight * languages.length : 0;
  let y = legendHeight + 4;
  const rows = labels.map((label, index) => {
    const lines = labelLines(label, languages, language === 'bilingual' ? 34 : 36, 2);
    const barsHeight = series.length * (barHeight + 3);
    const rowHeight = Math.max(lines.length * lineHeight, barsHeight) + 8;
    const top = y;
    y += rowHeight;
    const bars = series.map((s, k): BarRect => {
      const value = s.values[index] ?? null;
      const barY = top + 4 + k * (barHeight + 3) + Math.max(0, (lines.length * lineHeight - barsHeight) / 2);
      const barWidth = value === null ? 0 : Math.max(1, plotWidth * value);
      const band = value === null ? 'missing' : `band-${Math.min(TOP_LEVEL, Math.floor(value * TOP_LEVEL + 1e-9))}`;
      return {
        x: plotLeft,
        y: round(barY),
        width: round(barWidth),
        height: barHeight,
        className: s.className === 'band' ? band : `${s.className}${value === null ? ' missing' : ''}`,
        value: formatPercent(value === null ? null : Math.round(value * 100), languages[0] ?? 'en'),
        valueX: round(plotLeft + barWidth + 4),
        valueY: round(barY + barHeight - 1),
      };
    });
    return { label: { x: labelColumn, y: top + 4 + lineHeight - 2, anchor: 'end' as const, lines: spaced(lines, lineHeight) }, bars };
  });
  const plotTop = legendHeight;
  const plotBottom = y;
  return {
    kind: 'bars',
    width,
    height: round(y + 16),
    rows,
    grid: [0, 0.25, 0.5, 0.75, 1].map((fraction) => ({
      x: round(plotLeft + plotWidth * fraction), top: plotTop, bottom: round(plotBottom), label: `${fraction * 100}`, labelY: round(plotBottom + 11),
    })),
    legend: series.flatMap((s, k) => (s.legend
      ? [{ x: plotLeft + k * 150, y: 4, textX: plotLeft + k * 150 + 14, textY: 12, className: s.className, lines: spaced(languages.map((lang) => ({ text: s.legend?.[lang] ?? '', lang })), lineHeight) }]
      : [])),
    lineHeight,
  };
}

/** Radar for three or more areas, bars otherwise (a radar of two axes is a line). */
export function areaChart(areas: readonly { label: Text; score: number | null }[], language: ReportLanguage): Chart {
  return areas.length >= 3
    ? radarChart(areas, language)
    : barChart(areas.map((area) => area.label), [{ values: areas.map((area) => area.score), className: 'band' }], language);
}
