/**
 * Report inputs from the SQLite store: countries, missions, the current answers of each assessment
 * (answers retired or invalidated by a questionnaire change are left out, as in scoring), target
 * overrides, and the data revision the report reflects.
 */
import type { Kysely } from 'kysely';
import { Problem } from '../shared/problem.js';
import type { Bilingual } from '../questionnaire/schema.js';
import { scopedQuestionnaire } from '../questionnaire/model.js';
import { listAssessments } from '../storage/assessments.js';
import { assessmentView, findQuestionnaire, type QuestionnaireSource } from '../assessment/assessmentView.js';
import { SYSTEM, type Actor } from '../storage/audit.js';
import { getCountry, listCountries } from '../storage/countries.js';
import { getMission, listMissions, type MissionDto } from '../storage/missions.js';
import { currentDataRevision, recordReport } from '../storage/reports.js';
import type { Database } from '../storage/schema.js';
import { targetOverridesFor } from '../assessment/targetOverrides.js';
import type { AssessmentInput, Marking, MissionAssessments, MissionInput, ReportAnswer, ReportContext } from './input.js';
import type { ReportSource, SourceCountry } from './source.js';
import { draftInput, syncDraft } from './draft/store.js';

export interface StoreSourceOptions {
  marking: Marking;
  projectName?: Bilingual;
  /** Who generates the reports (recorded with each); the system for the CLI. */
  actor?: Actor;
  now?: () => Date;
  /** Print the generated texts and recommendations, ignoring (and not creating) the mission's report draft. */
  withoutDraft?: boolean;
}

const toMissionInput = (mission: MissionDto): MissionInput => ({
  id: String(mission.id),
  title: mission.title,
  startsOn: mission.startsOn,
  endsOn: mission.endsOn,
  team: mission.team.map((name) => ({ name })),
  institutionsMet: mission.institutionsMet.map((name) => ({ name })),
  isDemo: mission.isDemo,
  scope: mission.scope,
});

function missionNumber(id: string, what: string): number {
  if (!/^\d{1,15}$/.test(id) || Number(id) < 1) throw Problem.validation(`${what} must be a mission number such as 12, not "${id}".`, [{ path: what, message: 'not a mission id' }]);
  return Number(id);
}

export function storeReportSource(db: Kysely<Database>, questionnaires: QuestionnaireSource, options: StoreSourceOptions): ReportSource {
  const now = options.now ?? (() => new Date());
  const order = new Map(questionnaires.questionnaires.map((q, index) => [q.id, index]));

  async function assessmentsOf(mission: MissionDto): Promise<MissionAssessments> {
    const assessments: AssessmentInput[] = [];
    for (const assessment of await listAssessments(db, 'all', { missionId: mission.id })) {
      const questionnaire = findQuestionnaire(questionnaires, assessment.questionnaireId);
      if (!questionnaire) continue; // no longer installed: nothing to print it with
      const view = await assessmentView(db, questionnaires, assessment.id);
      const answers = new Map<string, ReportAnswer>(view.answers.filter((answer) => answer.status === 'current').map((answer) => [answer.questionId, {
        value: answer.value,
        evidence: answer.evidence ?? undefined,
        note: answer.note ?? undefined,
        source: answer.source ?? undefined,
      }]));
      assessments.push({ questionnaire: scopedQuestionnaire(questionnaire, mission.scope), answers });
    }
    if (assessments.length === 0) {
      throw new Problem('conflict', `Mission ${mission.id} (${mission.countryCode}, "${mission.title}") has no assessment yet: there is nothing to report. Start an assessment on the mission page first.`);
    }
    assessments.sort((a, b) => (order.get(a.questionnaire.id) ?? 0) - (order.get(b.questionnaire.id) ?? 0));
    return { mission: toMissionInput(mission), assessments };
  }

  async function missionOf(code: string, missionId?: string): Promise<MissionDto> {
    if (missionId !== undefined) {
      const mission = await getMission(db, missionNumber(missionId, '--mission'));
      if (mission.countryCode !== code) throw Problem.validation(`Mission ${missionId} belongs to ${mission.countryCode}, not ${code}.`, [{ path: '--mission', message: `not a mission of ${code}` }]);
      return mission;
    }
    const latest = (await listMissions(db, 'all', code))[0];
    if (!latest) throw Problem.notFound(`A mission of ${code} (create one, or load the demo data with ena demo)`);
    return latest;
  }

  /**
   * A report's data as at one data revision, with what every report input carries. The revision is read
   * before and after the data; when a write landed in between, the data is read again (twice at most).
   * `exact`: nothing was written while the data was read, so the data is exactly that revision (a report
   * at the revision a version was approved at prints exactly the approved data, draft/status.ts).
   */
  async function atOneRevision<T>(read: () => Promise<T>): Promise<{ input: T & ReportContext; exact: boolean }> {
    for (let attempt = 1; ; attempt++) {
      const before = await currentDataRevision(db);
      const data = await read();
      const after = await currentDataRevision(db);
      if (before === after || attempt === 3) {
        const context = { catalogue: questionnaires.catalogue, marking: options.marking, projectName: options.projectName, generatedAt: now(), dataRevision: String(after) };
        return { input: { ...context, ...data }, exact: before === after };
      }
    }
  }

  return {
    async countryReport(code, missionId) {
      // The country and the mission are printed too: read with the rest.
      let mission: MissionDto | undefined;
      const { input, exact } = await atOneRevision(async () => {
        const country = await getCountry(db, code);
        mission = await missionOf(code, missionId);
        return { country, targets: await targetOverridesFor(db, code), ...(await assessmentsOf(mission)) };
      });
      if (options.withoutDraft || !mission) return input;
      const draft = await syncDraft(db, options.actor ?? SYSTEM, mission.id, input, { exactRevision: exact });
      return { ...input, draft: await draftInput(db, draft) };
    },

    async regionalReport(codes, title) {
      if (codes.length === 0) throw Problem.validation('Name at least one country, e.g. --countries KZ,KG.', [{ path: '--countries', message: 'empty' }]);
      const { input } = await atOneRevision(async () => {
        const countries = [];
        for (const code of codes) {
          const country = await getCountry(db, code);
          countries.push({ country, targets: await targetOverridesFor(db, code), ...(await assessmentsOf(await missionOf(code))) });
        }
        return { title, countries };
      });
      return input;
    },

    async progressReport(code, fromMissionId, toMissionId) {
      if (fromMissionId === toMissionId) throw Problem.validation('--from and --to must be two different missions.', [{ path: '--to', message: 'same mission as --from' }]);
      const { input } = await atOneRevision(async () => {
        const country = await getCountry(db, code);
        const from = await missionOf(code, fromMissionId);
        const to = await missionOf(code, toMissionId);
        if (to.startsOn < from.startsOn) {
          throw Problem.validation(`The follow-up mission ${toMissionId} (${to.startsOn}) starts before the baseline ${fromMissionId} (${from.startsOn}): swap --from and --to.`, [{ path: '--to', message: 'earlier than --from' }]);
        }
        return { country, targets: await targetOverridesFor(db, code), baseline: await assessmentsOf(from), followUp: await assessmentsOf(to) };
      });
      return input;
    },

    async countries() {
      const result: SourceCountry[] = [];
      for (const country of await listCountries(db, 'all')) {
        const missions = await listMissions(db, 'all', country.code);
        const assessed = [];
        for (const mission of missions) {
          if ((await listAssessments(db, 'all', { missionId: mission.id })).length > 0) assessed.push(String(mission.id));
        }
        if (assessed.length > 0) result.push({ code: country.code, name: country.name, missionIds: assessed.reverse() });
      }
      return result;
    },

    async record(report) {
      await recordReport(db, options.actor ?? SYSTEM, {
        kind: report.kind,
        missionId: report.missionId === null ? null : Number(report.missionId),
        countries: report.countries,
        language: report.language,
        filePath: report.filePath,
        dataRevision: Number(report.dataRevision),
      });
    },
  };
}
