/** Countries: ISO 3166 alpha-2 code and a bilingual name. */
import type { Kysely } from 'kysely';
import { Problem } from '../shared/problem.js';
import { writeAudit, type Actor } from './audit.js';
import { inTransaction } from './transaction.js';
import type { Country, Database } from './schema.js';

export interface CountryDto {
  code: string;
  name: { en: string; ru: string };
}

export const toCountryDto = (row: Country): CountryDto => ({ code: row.code, name: { en: row.name_en, ru: row.name_ru } });

/** `visible` comes from visibleCountries(user): 'all' or the assigned codes. */
export async function listCountries(db: Kysely<Database>, visible: 'all' | readonly string[]): Promise<CountryDto[]> {
  if (visible !== 'all' && visible.length === 0) return [];
  let query = db.selectFrom('countries').selectAll().orderBy('code');
  if (visible !== 'all') query = query.where('code', 'in', [...visible]);
  return (await query.execute()).map(toCountryDto);
}

export async function findCountry(db: Kysely<Database>, code: string): Promise<CountryDto | undefined> {
  const row = await db.selectFrom('countries').selectAll().where('code', '=', code).executeTakeFirst();
  return row && toCountryDto(row);
}

export async function getCountry(db: Kysely<Database>, code: string): Promise<CountryDto> {
  const country = await findCountry(db, code);
  if (!country) throw Problem.notFound(`Country ${code}`);
  return country;
}

export async function createCountry(db: Kysely<Database>, actor: Actor, country: CountryDto): Promise<CountryDto> {
  return inTransaction(db, async (trx) => {
    if (await findCountry(trx, country.code)) {
      throw new Problem('conflict', `Country ${country.code} already exists.`, [{ path: 'code', message: 'already exists' }]);
    }
    await trx.insertInto('countries').values({ code: country.code, name_en: country.name.en, name_ru: country.name.ru }).execute();
    await writeAudit(trx, actor, 'country.create', { type: 'country', id: country.code }, null, country);
    return country;
  });
}

export async function updateCountry(db: Kysely<Database>, actor: Actor, code: string, name: Partial<CountryDto['name']>): Promise<CountryDto> {
  return inTransaction(db, async (trx) => {
    const before = await getCountry(trx, code);
    const after: CountryDto = { code, name: { ...before.name, ...name } };
    await trx.updateTable('countries').set({ name_en: after.name.en, name_ru: after.name.ru }).where('code', '=', code).execute();
    await writeAudit(trx, actor, 'country.update', { type: 'country', id: code }, before, after);
    return after;
  });
}
