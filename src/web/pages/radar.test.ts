import { describe, expect, it } from 'vitest';
import { radarChart, wrapLabel } from './radar.js';

describe('radar chart', () => {
  it('puts each score on its axis, a missing score at the centre and marked', () => {
    const chart = radarChart([{ label: 'A', score: 1 }, { label: 'B', score: 0.5 }, { label: 'C', score: null }, { label: 'D', score: 0 }], { size: 200, radius: 100 });
    expect(chart.polygon).toBe(true);
    expect(chart.axes.map((a) => [a.pointX, a.pointY])).toEqual([[100, 0], [150, 100], [100, 100], [100, 100]]);
    expect(chart.axes.map((a) => [a.scoreText, a.missing])).toEqual([['100 %', false], ['50 %', false], ['—', true], ['0 %', false]]);
    expect(chart.scorePoints).toBe('100,0 150,100 100,100 100,100');
    expect(chart.targetPoints).toBeNull();
    expect(chart.axes.map((a) => a.anchor)).toEqual(['middle', 'start', 'middle', 'end']);
  });

  it('draws the target outline only when every part has one, and bars below three parts', () => {
    expect(radarChart([{ label: 'A', score: 0.5, target: 0.75 }, { label: 'B', score: 0.5, target: 1 }, { label: 'C', score: 0.5, target: 0.5 }]).targetPoints).not.toBeNull();
    const two = radarChart([{ label: 'A', score: 0.5 }, { label: 'B', score: null }], { size: 240 });
    expect(two.polygon).toBe(false);
    expect(two.bars.map((b) => [b.width, b.scoreText])).toEqual([[100, '50 %'], [0, '—']]);
  });

  it('wraps long labels into short lines', () => {
    expect(wrapLabel('International cooperation and mutual legal assistance in practice', 22, 3)).toEqual(['International', 'cooperation and mutual', 'legal assistance in…']);
  });
});
