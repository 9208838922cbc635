/**
 * Reads what an export covers from the database (one mission, a country's missions, or all) and turns it
 * into a file. The reading happens in one transaction, so the file is one consistent picture.
 */
import type { Kysely } from 'kysely';
import type { Language } from '../i18n/i18n.js';
import type { AnswerValue } from '../questionnaire/answerValue.js';
import { Problem } from '../shared/problem.js';
import type { QuestionnaireSource } from '../assessment/assessmentView.js';
import { listMissions, getMission, type MissionDto } from '../storage/missions.js';
import { findSnapshot } from '../storage/questionnaireVersions.js';
import type { Database } from '../storage/schema.js';
import { targetOverridesFor } from '../assessment/targetOverrides.js';
import { inTransaction } from '../storage/transaction.js';
import { buildExportModel, type ExportAssessmentInput, type ExportInput, type ExportMissionInput, type ExportModel, type ExportScope } from './exportModel.js';
import { CONTENT_TYPES, renderExport, type ExportFormat } from './render.js';
import { withExchangeTables } from './tables.js';

async function missionsInScope(db: Kysely<Database>, scope: ExportScope): Promise<MissionDto[]> {
  switch (scope.kind) {
    case 'mission': return [await getMission(db, scope.id)];
    case 'country': {
      const country = await db.selectFrom('countries').select('code').where('code', '=', scope.code).executeTakeFirst();
      if (!country) throw Problem.notFound(`Country ${scope.code}`);
      return (await listMissions(db, 'all', scope.code)).reverse();
    }
    case 'all': return (await listMissions(db, 'all')).sort((a, b) => a.countryCode.localeCompare(b.countryCode) || a.startsOn.localeCompare(b.startsOn) || a.id - b.id);
  }
}

async function readMission(db: Kysely<Database>, mission: MissionDto): Promise<ExportMissionInput> {
  const xdb = withExchangeTables(db);
  const country = await db.selectFrom('countries').selectAll().where('code', '=', mission.countryCode).executeTakeFirstOrThrow();
  const uid = await xdb.selectFrom('mission_uids').select('uid').where('mission_id', '=', mission.id).executeTakeFirst();
  const assessments = await db.selectFrom('assessments').selectAll().where('mission_id', '=', mission.id).orderBy('questionnaire_id').execute();
  const inputs: ExportAssessmentInput[] = [];
  for (const assessment of assessments) {
    const answers = await db.selectFrom('answers').leftJoin('users', 'users.id', 'answers.author_id')
      .select(['question_id', 'value', 'note', 'source', 'evidence', 'revision', 'updated_at', 'users.email', 'users.name'])
      .where('assessment_id', '=', assessment.id).orderBy('question_id').execute();
    const open = await xdb.selectFrom('answer_conflicts').select((eb) => eb.fn.countAll<number>().as('n'))
      .where('assessment_id', '=', assessment.id).where('status', '=', 'open').executeTakeFirstOrThrow();
    inputs.push({
      questionnaireId: assessment.questionnaire_id,
      questionnaireVersion: assessment.questionnaire_version,
      pinned: await findSnapshot(db, assessment.questionnaire_id, assessment.questionnaire_version),
      answers: answers.map((a) => ({
        questionId: a.question_id, value: JSON.parse(a.value) as AnswerValue, note: a.note, source: a.source, evidence: a.evidence,
        revision: a.revision, authorEmail: a.email, authorName: a.name, updatedAt: a.updated_at,
      })),
      openConflicts: Number(open.n),
    });
  }
  return {
    id: mission.id, uid: uid?.uid ?? null, country: { code: country.code, name: { en: country.name_en, ru: country.name_ru } }, title: mission.title,
    startsOn: mission.startsOn, endsOn: mission.endsOn, status: mission.status, scope: mission.scope, isDemo: mission.isDemo, team: mission.team, institutionsMet: mission.institutionsMet,
    targets: await targetOverridesFor(db, mission.countryCode), assessments: inputs,
  };
}

export async function readExportInput(db: Kysely<Database>, scope: ExportScope, generatedAt = new Date().toISOString()): Promise<ExportInput> {
  return inTransaction(db, async (trx) => {
    const missions: ExportMissionInput[] = [];
    for (const mission of await missionsInScope(trx, scope)) missions.push(await readMission(trx, mission));
    return { scope, generatedAt, missions };
  });
}

export async function buildExport(db: Kysely<Database>, source: QuestionnaireSource, scope: ExportScope): Promise<ExportModel> {
  return buildExportModel(await readExportInput(db, scope), source);
}

export interface ExportFile {
  body: Buffer;
  fileName: string;
  contentType: string;
}

export function exportFileName(scope: ExportScope, format: ExportFormat, generatedAt: string): string {
  const what = scope.kind === 'all' ? 'all' : scope.kind === 'country' ? scope.code : `mission-${scope.id}`;
  return `ena-${what}-${generatedAt.slice(0, 10)}.${format}`;
}

export interface ExportRequest {
  scope: ExportScope;
  format: ExportFormat;
  language: Language;
  marking: string;
  csvSeparator?: ',' | ';' | undefined;
}

export async function exportFile(db: Kysely<Database>, source: QuestionnaireSource, request: ExportRequest): Promise<ExportFile> {
  const model = await buildExport(db, source, request.scope);
  const body = await renderExport(model, request.format, { language: request.language, catalogue: source.catalogue, marking: request.marking, csvSeparator: request.csvSeparator });
  return { body, fileName: exportFileName(request.scope, request.format, model.generatedAt), contentType: CONTENT_TYPES[request.format] };
}
