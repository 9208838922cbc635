import { describe, expect, it } from 'vitest';
import type { ApprovedVersion } from '../input.js';
import { reportStatus } from './status.js';

const approved: ApprovedVersion = { number: 2, approvedAt: '2026-03-03T10:00:00.000Z', dataRevision: '41', draftRevision: 17 };
const approval = { version: 2, approvedAt: '2026-03-03T10:00:00.000Z' };

describe('reportStatus', () => {
  it('claims the approval only for the data revision and draft revision it was given at', () => {
    expect(reportStatus({ state: 'final', revision: 17, version: approved }, '41')).toEqual({ kind: 'final', ...approval });
  });

  it('says the data changed since the approval when the data revision moved (an answer, a target)', () => {
    expect(reportStatus({ state: 'final', revision: 17, version: approved }, '42')).toEqual({ kind: 'changed', ...approval, approvedDataRevision: '41', change: 'data' });
  });

  it('says the text changed since the approval when only the draft revision moved', () => {
    expect(reportStatus({ state: 'final', revision: 18, version: approved }, '41')).toEqual({ kind: 'changed', ...approval, approvedDataRevision: '41', change: 'draft' });
  });

  it('names the data first when both moved', () => {
    expect(reportStatus({ state: 'final', revision: 18, version: approved }, '50')).toMatchObject({ kind: 'changed', change: 'data' });
  });

  it('prints a draft, whatever versions exist, while the draft is not final (a correction being prepared)', () => {
    expect(reportStatus({ state: 'draft', revision: 19, version: approved }, '41')).toEqual({ kind: 'draft', revision: 19 });
    expect(reportStatus({ state: 'in_review', revision: 19, version: undefined }, '41')).toEqual({ kind: 'draft', revision: 19 });
  });

  it('never claims an approval for a final draft without its version', () => {
    expect(reportStatus({ state: 'final', revision: 17, version: undefined }, '41')).toEqual({ kind: 'draft', revision: 17 });
  });
});
