/**
 * docs/CONTENT-DECISIONS.md answers every finding of the content review by its id (issue 10): the ids
 * are read from the review itself (docs/reference/content-review.md), from section 1 on, so a finding
 * added to the review fails this test until it is answered.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const DECISIONS = ['fixed', 'kept', 'confirmed'];

describe('content decisions', async () => {
  const review = await readFile(join(root, 'docs', 'reference', 'content-review.md'), 'utf8');
  const decisions = await readFile(join(root, 'docs', 'CONTENT-DECISIONS.md'), 'utf8');
  const findings = review.slice(review.indexOf('## 1. Legal accuracy')).match(/^\| (?:RU|[RLBTHPCSD])\d+ \|/gm)?.map((cell) => cell.slice(2, -2)) ?? [];
  const rows = new Map([...decisions.matchAll(/^\| ((?:RU|[RLBTHPCSD])\d+) \| ([a-z-]+) \| (.+) \|$/gm)].map((m) => [m[1], { decision: m[2], reason: m[3] }]));

  it('reads every finding id of the review', () => {
    expect(findings.length).toBeGreaterThanOrEqual(100);
    expect(new Set(findings).size).toBe(findings.length);
  });

  it('answers each finding with a decision and a reason', () => {
    expect(findings.filter((id) => !rows.has(id))).toEqual([]);
    for (const id of findings) {
      const row = rows.get(id);
      expect(DECISIONS, id).toContain(row?.decision);
      expect(row?.reason?.trim().length ?? 0, id).toBeGreaterThan(8);
    }
  });

  it('fixes every finding the review marks [wrong]', () => {
    const wrong = [...review.matchAll(/^\| ((?:RU|[RLBTHPCSD])\d+) \|.*\[wrong\]/gm)].map((m) => m[1]);
    expect(wrong.length).toBeGreaterThanOrEqual(5);
    for (const id of wrong) expect(rows.get(id ?? '')?.decision, id).toBe('fixed');
  });
});
