/**
 * The field limits of every entity ENA stores, as zod schemas: one definition per field, reused by every
 * path that writes — the JSON API, the page forms, bundle import, the demo loader and the CLI — so that
 * no path accepts what another refuses (a 2,000,000-character country name, a mission that ends before
 * it starts). Pure: no I/O.
 */
import { z } from 'zod';

export const COUNTRY_CODE = /^[A-Z]{2}$/;
export const countryCode = z.string().regex(COUNTRY_CODE, 'must be an ISO 3166 alpha-2 code in capitals, e.g. KZ');
export const isoDate = z.iso.date('must be a date written YYYY-MM-DD');
const nonBlank = z.string().trim().min(1, 'must not be empty');
/** Names and titles. */
export const SHORT_TEXT_MAX = 300;
export const shortText = nonBlank.max(SHORT_TEXT_MAX, `is too long (at most ${SHORT_TEXT_MAX} characters)`);
export const LIST_MAX = 200;
export const stringList = z.array(shortText).max(LIST_MAX, `has too many entries (at most ${LIST_MAX})`);
export const bilingualName = z.strictObject({ en: shortText, ru: shortText });
export const email = z.email('must be an e-mail address').max(320, 'is too long (at most 320 characters)');
export const languageCode = z.enum(['en', 'ru'], { error: 'must be en or ru' });

/** A country as every path stores it. */
export const countryFields = z.strictObject({ code: countryCode, name: bilingualName });

/** A mission's own fields (no country, no status: each path adds what it may set). */
export const missionFields = {
  title: shortText,
  startsOn: isoDate,
  endsOn: isoDate,
  team: stringList,
  institutionsMet: stringList,
};

/** A mission may not end before it starts; `path` names endsOn so forms mark the right field. */
export const endsAfterStart = <T extends { startsOn?: string | undefined; endsOn?: string | undefined }>(mission: T): boolean =>
  mission.startsOn === undefined || mission.endsOn === undefined || mission.endsOn >= mission.startsOn;
export const ENDS_AFTER_START = { path: ['endsOn'], message: 'must be on or after startsOn' };

/** Texts that travel with an answer, and review comments. */
export const NOTE_MAX = 20_000;
export const SOURCE_MAX = 2_000;
export const FREE_TEXT_MAX = 20_000;
export const COMMENT_MAX = 10_000;
export const OP_ID_MAX = 128;
