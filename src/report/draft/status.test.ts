import { describe, expect, it } from 'vitest';
import { countryInput } from '../../../test/report/fixtures.js';
import type { ApprovedVersion } from '../input.js';
import { questionnaireFingerprint } from './fingerprint.js';
import { reportStatus } from './status.js';

const approved: ApprovedVersion = { number: 2, approvedAt: '2026-03-03T10:00:00.000Z', dataRevision: '41', draftRevision: 17, questionnaires: 'q1' };
const approval = { version: 2, approvedAt: '2026-03-03T10:00:00.000Z' };
const source = (dataRevision: string, questionnaires = 'q1') => ({ dataRevision, questionnaires: () => questionnaires });
const notAsked = (dataRevision: string) => ({
  dataRevision,
  questionnaires: (): string => {
    throw new Error('the fingerprint is not needed here');
  },
});

describe('reportStatus', () => {
  it('claims the approval only for the data revision, draft revision and questionnaires it was given at', () => {
    expect(reportStatus({ state: 'final', revision: 17, version: approved }, source('41'))).toEqual({ kind: 'final', ...approval });
  });

  it('says the data changed since the approval when the data revision moved (an answer, a target)', () => {
    expect(reportStatus({ state: 'final', revision: 17, version: approved }, notAsked('42'))).toEqual({ kind: 'changed', ...approval, approvedDataRevision: '41', change: 'data' });
  });

  it('says the text changed since the approval when only the draft revision moved', () => {
    expect(reportStatus({ state: 'final', revision: 18, version: approved }, notAsked('41'))).toEqual({ kind: 'changed', ...approval, approvedDataRevision: '41', change: 'draft' });
  });

  it('says the questionnaires changed when other questionnaire files are installed (weights, targets, texts)', () => {
    expect(reportStatus({ state: 'final', revision: 17, version: approved }, source('41', 'q2'))).toEqual({ kind: 'changed', ...approval, approvedDataRevision: '41', change: 'questionnaires' });
  });

  it('decides a version approved before the fingerprint was recorded by its revisions alone', () => {
    expect(reportStatus({ state: 'final', revision: 17, version: { ...approved, questionnaires: null } }, notAsked('41'))).toEqual({ kind: 'final', ...approval });
  });

  it('names the data first when several moved', () => {
    expect(reportStatus({ state: 'final', revision: 18, version: approved }, notAsked('50'))).toMatchObject({ kind: 'changed', change: 'data' });
  });

  it('prints a draft, whatever versions exist, while the draft is not final (a correction being prepared)', () => {
    expect(reportStatus({ state: 'draft', revision: 19, version: approved }, notAsked('41'))).toEqual({ kind: 'draft', revision: 19 });
    expect(reportStatus({ state: 'in_review', revision: 19, version: undefined }, notAsked('41'))).toEqual({ kind: 'draft', revision: 19 });
  });

  it('never claims an approval for a final draft without its version', () => {
    expect(reportStatus({ state: 'final', revision: 17, version: undefined }, notAsked('41'))).toEqual({ kind: 'draft', revision: 17 });
  });
});

describe('questionnaireFingerprint', () => {
  const input = countryInput('KZ');

  it('is the same for the same questionnaires, wherever their files are', () => {
    const moved = { ...input, assessments: input.assessments.map((assessment) => ({ ...assessment, questionnaire: { ...assessment.questionnaire, file: '/elsewhere/x.yaml' } })) };
    expect(questionnaireFingerprint(moved)).toBe(questionnaireFingerprint(input));
  });

  it('changes with a question\'s wording, and with the catalogue', () => {
    const [first, ...rest] = input.assessments;
    if (!first) throw new Error('the fixture has an assessment');
    const sections = first.questionnaire.sections.map((section, index) => (index === 0
      ? { ...section, questions: section.questions.map((question, at) => (at === 0 ? { ...question, text: { ...question.text, en: `${question.text.en} (amended)` } } : question)) }
      : section));
    const retargeted = { ...input, assessments: [{ ...first, questionnaire: { ...first.questionnaire, sections } }, ...rest] };
    expect(questionnaireFingerprint(retargeted)).not.toBe(questionnaireFingerprint(input));
    expect(questionnaireFingerprint({ ...input, catalogue: { ...input.catalogue, glossary: [] } })).not.toBe(questionnaireFingerprint(input));
  });
});
