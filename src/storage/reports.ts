/** Generated reports: metadata and the path of the file, so a report can be listed and fetched again. */
import type { Kysely } from 'kysely';
import { Problem } from '../shared/problem.js';
import { writeAudit, type Actor } from './audit.js';
import { inTransaction } from './transaction.js';
import type { Database, GeneratedReport } from './schema.js';

export type ReportKind = GeneratedReport['kind'];

export interface GeneratedReportDto {
  id: number;
  kind: ReportKind;
  missionId: number | null;
  countries: string[];
  language: string;
  filePath: string;
  dataRevision: number;
  createdBy: number | null;
  createdAt: string;
}

const toDto = (r: GeneratedReport): GeneratedReportDto => ({
  id: r.id, kind: r.kind, missionId: r.mission_id, countries: r.countries.split(',').filter(Boolean), language: r.language,
  filePath: r.file_path, dataRevision: r.data_revision, createdBy: r.created_by, createdAt: r.created_at,
});

/** Audited entities whose changes show in a printed report: answers, assessments, missions, countries, targets, demo data. */
export const PRINTED_ENTITIES = ['answer', 'assessment', 'mission', 'country', 'target', 'demo'] as const;

/**
 * Identifies exactly which data a report reflects: the last audit row of anything a report prints.
 * Every mutation writes one audit row in its own transaction, so any change of answers, targets,
 * missions or countries raises it (the highest answer-history id alone missed target changes).
 */
export async function currentDataRevision(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom('audit_log').select((eb) => eb.fn.max('id').as('max')).where('entity_type', 'in', [...PRINTED_ENTITIES]).executeTakeFirst();
  return Number(row?.max ?? 0);
}

export async function recordReport(db: Kysely<Database>, actor: Actor, input: { kind: ReportKind; missionId: number | null; countries: readonly string[]; language: 'en' | 'ru' | 'bilingual'; filePath: string; dataRevision: number }): Promise<GeneratedReportDto> {
  return inTransaction(db, async (trx) => {
    const row = await trx.insertInto('generated_reports').values({
      kind: input.kind, mission_id: input.missionId, countries: input.countries.join(','), language: input.language, file_path: input.filePath,
      data_revision: input.dataRevision, created_by: actor.id, created_at: new Date().toISOString(),
    }).returningAll().executeTakeFirstOrThrow();
    const dto = toDto(row);
    await writeAudit(trx, actor, 'report.generate', { type: 'report', id: dto.id }, null, dto);
    return dto;
  });
}

export async function listReports(db: Kysely<Database>, filter: { countryCode?: string; missionId?: number } = {}): Promise<GeneratedReportDto[]> {
  let query = db.selectFrom('generated_reports').selectAll().orderBy('id', 'desc');
  if (filter.missionId !== undefined) query = query.where('mission_id', '=', filter.missionId);
  const rows = (await query.execute()).map(toDto);
  return filter.countryCode === undefined ? rows : rows.filter((r) => r.countries.includes(filter.countryCode as string));
}

export async function getReport(db: Kysely<Database>, id: number): Promise<GeneratedReportDto> {
  const row = await db.selectFrom('generated_reports').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw Problem.notFound(`Report ${id}`);
  return toDto(row);
}
