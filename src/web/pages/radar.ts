/**
 * A radar (spider) chart as geometry for templates/partials/radar.hbs: one axis per part (areas of a
 * country, sections of a questionnaire), scores 0–1 along the axes. Pure; the template draws the SVG,
 * so every label goes through Handlebars escaping. Parts without a score sit at the centre and are
 * marked, so a missing area never looks like a zero.
 */
export interface RadarInput {
  label: string;
  score: number | null;
  /** Target as a share of the top level (e.g. 3 of 4 → 0.75), drawn as a second outline. */
  target?: number | null;
}

export interface RadarAxis {
  label: string;
  /** The label broken into short lines (SVG text does not wrap), each with its vertical offset. */
  lines: { text: string; dy: number }[];
  x2: number;
  y2: number;
  labelX: number;
  labelY: number;
  anchor: 'start' | 'middle' | 'end';
  scoreText: string;
  missing: boolean;
  pointX: number;
  pointY: number;
}

export interface RadarChart {
  size: number;
  /** The SVG viewBox: wider than the chart, so that side labels are never cut off. */
  viewBox: string;
  centre: number;
  rings: { points: string; label: string; labelY: number }[];
  axes: RadarAxis[];
  scorePoints: string;
  targetPoints: string | null;
  /** Fewer than three axes make no polygon: the template shows bars instead. */
  polygon: boolean;
  bars: { label: string; y: number; textY: number; width: number; scoreText: string }[];
  barsHeight: number;
  barTrack: number;
}

const round = (n: number): number => Math.round(n * 10) / 10;

/** Greedy word wrap into lines of about `width` characters, at most `max` lines (the last one ends in …). */
export function wrapLabel(label: string, width = 22, max = 3): string[] {
  const lines: string[] = [];
  for (const word of label.split(/\s+/).filter(Boolean)) {
    const last = lines[lines.length - 1];
    if (last !== undefined && (last + ' ' + word).length <= width) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  if (lines.length <= max) return lines;
  return [...lines.slice(0, max - 1), `${lines[max - 1]}…`];
}

export function radarChart(parts: readonly RadarInput[], options: { size?: number; radius?: number } = {}): RadarChart {
  const size = options.size ?? 420;
  const centre = size / 2;
  const radius = options.radius ?? size * 0.34;
  const n = Math.max(parts.length, 1);
  const angle = (i: number): number => -Math.PI / 2 + (2 * Math.PI * i) / n;
  const at = (i: number, r: number): [number, number] => [round(centre + r * Math.cos(angle(i))), round(centre + r * Math.sin(angle(i)))];
  const polygon = (values: readonly number[]): string => values.map((v, i) => at(i, radius * v).join(',')).join(' ');

  const axes = parts.map((part, i): RadarAxis => {
    const [x2, y2] = at(i, radius);
    const [labelX, labelY] = at(i, radius + 20);
    const [pointX, pointY] = at(i, radius * (part.score ?? 0));
    const cos = Math.cos(angle(i));
    const lines = wrapLabel(part.label, 18);
    // Labels above the chart grow upwards (the score line included), labels below grow downwards.
    const firstDy = Math.sin(angle(i)) < -0.3 ? -lines.length * 15 : 0;
    return {
      label: part.label,
      lines: lines.map((text, index) => ({ text, dy: index === 0 ? firstDy : 15 })),
      x2, y2, labelX, labelY: round(labelY + (Math.sin(angle(i)) > 0.3 ? 10 : 0)),
      anchor: Math.abs(cos) < 0.2 ? 'middle' : cos > 0 ? 'start' : 'end',
      scoreText: part.score === null ? '—' : `${Math.round(part.score * 100)} %`,
      missing: part.score === null,
      pointX, pointY,
    };
  });
  const targets = parts.map((part) => part.target);
  const margin = 100;
  return {
    size,
    viewBox: `${-margin} -40 ${size + 2 * margin} ${size + 80}`,
    centre,
    rings: [0.25, 0.5, 0.75, 1].map((share) => ({ points: polygon(parts.map(() => share)), label: `${share * 100} %`, labelY: round(centre - radius * share + 12) })),
    axes,
    scorePoints: polygon(parts.map((part) => part.score ?? 0)),
    targetPoints: targets.every((t) => typeof t === 'number') ? polygon(targets as number[]) : null,
    polygon: parts.length >= 3,
    bars: parts.map((part, i) => ({ label: part.label, y: 30 + i * 60, textY: 22 + i * 60, width: round((size - 40) * (part.score ?? 0)), scoreText: part.score === null ? '—' : `${Math.round(part.score * 100)} %` })),
    barsHeight: 30 + parts.length * 60,
    barTrack: size - 40,
  };
}
