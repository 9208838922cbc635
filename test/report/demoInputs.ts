/**
 * Report inputs from the shipped questionnaires and the demo data (data/demo), with the mission scope a
 * test chooses: the demo missions are all `full`, so a core-scope or mixed-scope comparison is built
 * here from the same answers, scoped as src/report/storeSource.ts scopes a stored core mission.
 */
import { join } from 'node:path';
import { readDemoFiles } from '../../src/demo/demoFile.js';
import { loadQuestionnaires } from '../../src/questionnaire/load.js';
import { scopedQuestionnaire } from '../../src/questionnaire/model.js';
import type { AnswerValue } from '../../src/questionnaire/answerValue.js';
import type { Scope } from '../../src/questionnaire/vocabulary.js';
import type { CountryReportInput, ProgressReportInput, RegionalReportInput, ReportAnswer } from '../../src/report/input.js';

const root = join(import.meta.dirname, '..', '..');
export const { questionnaires, catalogue } = await loadQuestionnaires([join(root, 'questionnaires')]);
export const { demos } = await readDemoFiles(join(root, 'data', 'demo'), questionnaires, catalogue.glossary);

export const DEMO_CODES = demos.map((demo) => demo.data.country.code);

export function demoInput(code: string, scope: Scope = 'full', edit: (id: string, answers: Map<string, ReportAnswer>) => void = () => undefined, missionId = '7'): CountryReportInput {
  const demo = demos.find((d) => d.data.country.code === code);
  if (!demo) throw new Error(`no demo ${code}`);
  const { data } = demo;
  return {
    country: data.country,
    mission: {
      id: missionId, title: data.mission.title, startsOn: data.mission.starts_on, endsOn: data.mission.ends_on,
      team: data.mission.team.map((name) => ({ name })), institutionsMet: data.mission.institutions_met.map((name) => ({ name })),
      isDemo: data.illustrative, scope,
    },
    assessments: questionnaires.map((questionnaire) => {
      const answers = new Map<string, ReportAnswer>(Object.entries(data.answers[questionnaire.id] ?? {}).map(([id, a]) => [id, { value: a.value as AnswerValue, evidence: a.evidence, note: a.note, source: a.source }]));
      edit(questionnaire.id, answers);
      return { questionnaire: scopedQuestionnaire(questionnaire, scope), answers };
    }),
    catalogue, targets: new Map(), marking: 'For official use', generatedAt: new Date('2026-05-01T10:00:00Z'), dataRevision: '7@1',
  };
}

/** The demo countries side by side, each mission with the scope given for its country (default full). */
export function demoRegionalInput(scopes: Record<string, Scope> = {}, codes: readonly string[] = DEMO_CODES): RegionalReportInput {
  const countries = codes.map((code) => demoInput(code, scopes[code] ?? 'full'));
  return {
    catalogue, marking: 'For official use', generatedAt: new Date('2026-05-01T10:00:00Z'), dataRevision: 'regional@1',
    countries: countries.map(({ country, mission, assessments, targets }) => ({ country, mission, assessments, targets })),
  };
}

/** One demo country's answers as both baseline and follow-up: only the scopes (and the edits) differ. */
export function demoProgressInput(code: string, baselineScope: Scope, followUpScope: Scope, editFollowUp: (id: string, answers: Map<string, ReportAnswer>) => void = () => undefined): ProgressReportInput {
  const baseline = demoInput(code, baselineScope, undefined, '7');
  const followUp = demoInput(code, followUpScope, editFollowUp, '8');
  return {
    catalogue, marking: 'For official use', generatedAt: new Date('2026-05-01T10:00:00Z'), dataRevision: 'progress@1',
    country: baseline.country, targets: new Map(),
    baseline: { mission: baseline.mission, assessments: baseline.assessments },
    followUp: { mission: { ...followUp.mission, title: `${followUp.mission.title} — follow-up` }, assessments: followUp.assessments },
  };
}
