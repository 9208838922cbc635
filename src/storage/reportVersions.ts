/**
 * Final versions of a mission's report: what was approved (data revision, draft revision, the draft's
 * content), by whom and when, and the files printed from it with their SHA-256. A version is written
 * once and never changed; a correction is the next version with a change note.
 */
import type { Kysely } from 'kysely';
import { Problem } from '../shared/problem.js';
import { writeAudit, type Actor } from './audit.js';
import { withDraftTables, type OutputFormat, type ReportVersionFileRow, type ReportVersionRow } from './reportDraftTables.js';
import type { Database } from './schema.js';
import { inTransaction } from './transaction.js';

export interface ReportFileDto {
  id: number;
  format: OutputFormat;
  language: 'en' | 'ru' | 'bilingual';
  sha256: string;
  size: number;
  filePath: string;
}

export interface ReportVersionDto {
  id: number;
  missionId: number;
  version: number;
  changeNote: string | null;
  dataRevision: number;
  draftRevision: number;
  approvedBy: number | null;
  approvedAt: string;
  /** The questionnaires' fingerprint the files were printed with (report/draft/fingerprint.ts); null before ENA recorded it. */
  questionnaires: string | null;
  files: ReportFileDto[];
}

const toFileDto = (row: ReportVersionFileRow): ReportFileDto => ({ id: row.id, format: row.format, language: row.language, sha256: row.sha256, size: Number(row.size), filePath: row.file_path });

const toDto = (row: ReportVersionRow, files: ReportVersionFileRow[]): ReportVersionDto => ({
  id: row.id, missionId: row.mission_id, version: row.version, changeNote: row.change_note, dataRevision: row.data_revision,
  draftRevision: row.draft_revision, approvedBy: row.approved_by, approvedAt: row.approved_at, questionnaires: fingerprintIn(row.content), files: files.map(toFileDto),
});

function fingerprintIn(content: string): string | null {
  const parsed = JSON.parse(content) as { questionnaires?: unknown };
  return typeof parsed.questionnaires === 'string' ? parsed.questionnaires : null;
}

export async function listVersions(db: Kysely<Database>, missionId: number): Promise<ReportVersionDto[]> {
  const ddb = withDraftTables(db);
  const rows = await ddb.selectFrom('report_versions').selectAll().where('mission_id', '=', missionId).orderBy('version', 'desc').execute();
  if (rows.length === 0) return [];
  const files = await ddb.selectFrom('report_version_files').selectAll().where('version_id', 'in', rows.map((row) => row.id)).orderBy('id').execute();
  return rows.map((row) => toDto(row, files.filter((file) => file.version_id === row.id)));
}

export async function latestVersion(db: Kysely<Database>, missionId: number): Promise<ReportVersionDto | null> {
  return (await listVersions(db, missionId))[0] ?? null;
}

export async function getVersionFile(db: Kysely<Database>, missionId: number, fileId: number): Promise<ReportFileDto & { version: number }> {
  const row = await withDraftTables(db).selectFrom('report_version_files')
    .innerJoin('report_versions', 'report_versions.id', 'report_version_files.version_id')
    .selectAll('report_version_files').select('report_versions.version')
    .where('report_version_files.id', '=', fileId).where('report_versions.mission_id', '=', missionId).executeTakeFirst();
  if (!row) throw Problem.notFound(`Report file ${fileId} of mission ${missionId}`);
  return { ...toFileDto(row), version: row.version };
}

export interface NewVersion {
  missionId: number;
  /** The draft revision the files were printed from: refused if the draft has moved on since. */
  draftRevision: number;
  dataRevision: number;
  changeNote: string | null;
  /** The number and approval time printed in the files. */
  version: number;
  approvedAt: string;
  content: unknown;
  files: { format: OutputFormat; language: 'en' | 'ru' | 'bilingual'; filePath: string; sha256: string; size: number }[];
}

/** Records a final version and its files, and marks the draft final, in one transaction. */
export async function createVersion(db: Kysely<Database>, actor: Actor, input: NewVersion): Promise<ReportVersionDto> {
  return inTransaction(db, async (plain) => {
    const trx = withDraftTables(plain);
    const draft = await trx.selectFrom('report_drafts').select(['revision', 'state']).where('mission_id', '=', input.missionId).executeTakeFirst();
    if (!draft) throw Problem.notFound(`The report draft of mission ${input.missionId}`);
    if (draft.revision !== input.draftRevision) {
      throw new Problem('conflict', `The draft changed while the final files were printed (revision ${draft.revision}, printed ${input.draftRevision}). Nothing was approved: finalise again.`, [{ path: 'draftRevision', message: `expected ${draft.revision}` }]);
    }
    const last = await trx.selectFrom('report_versions').select((eb) => eb.fn.max('version').as('max')).where('mission_id', '=', input.missionId).executeTakeFirst();
    const version = Number(last?.max ?? 0) + 1;
    if (version !== input.version) {
      throw new Problem('conflict', `Someone else approved version ${version - 1} meanwhile: nothing was recorded. Reload the draft and finalise again.`, [{ path: 'version', message: `expected ${version}` }]);
    }
    const now = input.approvedAt;
    const row = await trx.insertInto('report_versions').values({
      mission_id: input.missionId, version, change_note: input.changeNote, data_revision: input.dataRevision, draft_revision: input.draftRevision,
      content: JSON.stringify(input.content), approved_by: actor.id, approved_at: now,
    }).returningAll().executeTakeFirstOrThrow();
    const files: ReportVersionFileRow[] = [];
    for (const file of input.files) {
      files.push(await trx.insertInto('report_version_files').values({
        version_id: row.id, format: file.format, language: file.language, file_path: file.filePath, sha256: file.sha256, size: file.size,
      }).returningAll().executeTakeFirstOrThrow());
    }
    await trx.updateTable('report_drafts').set({ state: 'final', updated_by: actor.id, updated_at: now }).where('mission_id', '=', input.missionId).execute();
    const dto = toDto(row, files);
    await writeAudit(plain, actor, 'report.finalize', { type: 'report_version', id: row.id }, { state: draft.state },
      { missionId: input.missionId, version, dataRevision: input.dataRevision, draftRevision: input.draftRevision, files: dto.files.map((file) => ({ format: file.format, language: file.language, sha256: file.sha256 })) });
    return dto;
  });
}
