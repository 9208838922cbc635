/** Missions: one visit to one country, with team, institutions met and status. */
import type { Kysely } from 'kysely';
import { Problem } from '../shared/problem.js';
import { writeAudit, type Actor } from './audit.js';
import { inTransaction } from './transaction.js';
import { getCountry } from './countries.js';
import type { Database, Mission, MissionStatus } from './schema.js';
import { DEFAULT_SCOPE, type Scope } from '../questionnaire/vocabulary.js';

export interface MissionDto {
  id: number;
  countryCode: string;
  title: string;
  startsOn: string;
  endsOn: string;
  team: string[];
  institutionsMet: string[];
  status: MissionStatus;
  scope: Scope;
  isDemo: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface MissionInput {
  countryCode: string;
  title: string;
  startsOn: string;
  endsOn: string;
  team?: readonly string[];
  institutionsMet?: readonly string[];
  status?: MissionStatus;
  scope?: Scope;
  isDemo?: boolean;
}

export type MissionChanges = Partial<Omit<MissionInput, 'countryCode' | 'isDemo'>>;

export function toMissionDto(row: Mission): MissionDto {
  return {
    id: row.id, countryCode: row.country_code, title: row.title, startsOn: row.starts_on, endsOn: row.ends_on,
    team: JSON.parse(row.team) as string[], institutionsMet: JSON.parse(row.institutions_met) as string[],
    status: row.status, scope: row.scope, isDemo: row.is_demo === 1, createdAt: row.created_at, updatedAt: row.updated_at,
  };
}

function checkDates(startsOn: string, endsOn: string): void {
  if (endsOn < startsOn) throw Problem.validation(`The mission ends (${endsOn}) before it starts (${startsOn}).`, [{ path: 'endsOn', message: 'must be on or after startsOn' }]);
}

export async function listMissions(db: Kysely<Database>, visible: 'all' | readonly string[], countryCode?: string): Promise<MissionDto[]> {
  if (visible !== 'all' && visible.length === 0) return [];
  let query = db.selectFrom('missions').selectAll().orderBy('starts_on', 'desc').orderBy('id', 'desc');
  if (visible !== 'all') query = query.where('country_code', 'in', [...visible]);
  if (countryCode !== undefined) query = query.where('country_code', '=', countryCode);
  return (await query.execute()).map(toMissionDto);
}

export async function getMission(db: Kysely<Database>, id: number): Promise<MissionDto> {
  const row = await db.selectFrom('missions').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw Problem.notFound(`Mission ${id}`);
  return toMissionDto(row);
}

export async function createMission(db: Kysely<Database>, actor: Actor, input: MissionInput): Promise<MissionDto> {
  checkDates(input.startsOn, input.endsOn);
  return inTransaction(db, async (trx) => {
    await getCountry(trx, input.countryCode);
    const now = new Date().toISOString();
    const { id } = await trx.insertInto('missions').values({
      country_code: input.countryCode, title: input.title.trim(), starts_on: input.startsOn, ends_on: input.endsOn,
      team: JSON.stringify(input.team ?? []), institutions_met: JSON.stringify(input.institutionsMet ?? []),
      status: input.status ?? 'planned', scope: input.scope ?? DEFAULT_SCOPE, is_demo: input.isDemo ? 1 : 0, created_at: now, updated_at: now,
    }).returning('id').executeTakeFirstOrThrow();
    const created = await getMission(trx, id);
    await writeAudit(trx, actor, 'mission.create', { type: 'mission', id }, null, created);
    return created;
  });
}

export async function updateMission(db: Kysely<Database>, actor: Actor, id: number, changes: MissionChanges): Promise<MissionDto> {
  return inTransaction(db, async (trx) => {
    const before = await getMission(trx, id);
    checkDates(changes.startsOn ?? before.startsOn, changes.endsOn ?? before.endsOn);
    await trx.updateTable('missions').set({
      ...(changes.title !== undefined && { title: changes.title.trim() }),
      ...(changes.startsOn !== undefined && { starts_on: changes.startsOn }),
      ...(changes.endsOn !== undefined && { ends_on: changes.endsOn }),
      ...(changes.team !== undefined && { team: JSON.stringify(changes.team) }),
      ...(changes.institutionsMet !== undefined && { institutions_met: JSON.stringify(changes.institutionsMet) }),
      ...(changes.status !== undefined && { status: changes.status }),
      ...(changes.scope !== undefined && { scope: changes.scope }),
      updated_at: new Date().toISOString(),
    }).where('id', '=', id).execute();
    const after = await getMission(trx, id);
    await writeAudit(trx, actor, 'mission.update', { type: 'mission', id }, before, after);
    return after;
  });
}

/** Missions that are not demo data: their presence means the database holds real work. */
export async function countRealMissions(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom('missions').select((eb) => eb.fn.countAll<number>().as('n')).where('is_demo', '=', 0).executeTakeFirstOrThrow();
  return Number(row.n);
}
