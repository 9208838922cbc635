import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { openSqliteStore, openStore, type SqliteStore, type Store } from '../../src/storage/db.js';
import type { Engine } from '../../src/storage/dialect.js';
import { testLocation } from '../support/engines.js';
import { saveAnswer } from '../../src/storage/answers.js';
import type { Actor } from '../../src/storage/audit.js';
import type { AnswerValue } from '../../src/questionnaire/answerValue.js';
import type { Role } from '../../src/storage/schema.js';

export async function tempStore(): Promise<SqliteStore> {
  return openSqliteStore(join(await mkdtemp(join(tmpdir(), 'ena-exchange-')), 'ena.sqlite'));
}

/** A fresh database on `engine`. */
export async function engineStore(engine: Engine): Promise<Store> {
  return openStore(await testLocation(engine, 'ena-exchange-'));
}

export async function addUser(store: Store, email: string, name: string, role: Role = 'expert'): Promise<Actor> {
  const { id } = await store.db.insertInto('users').values({ email, name, password_hash: 'x', role, language: 'en', created_at: '2025-06-01T08:00:00.000Z', disabled_at: null })
    .returning('id').executeTakeFirstOrThrow();
  return { id };
}

/** A country, a mission and one assessment per questionnaire id given. */
export async function seedMission(store: Store, questionnaires: Record<string, number> = { 'preservation-demo': 1 }, country = { code: 'KZ', en: 'Kazakhstan', ru: 'Казахстан' }) {
  const now = '2025-06-10T08:00:00.000Z';
  const existing = await store.db.selectFrom('countries').select('code').where('code', '=', country.code).executeTakeFirst();
  if (!existing) await store.db.insertInto('countries').values({ code: country.code, name_en: country.en, name_ru: country.ru }).execute();
  const mission = await store.db.insertInto('missions').values({
    country_code: country.code, title: 'Миссия по оценке потребностей', starts_on: '2025-06-11', ends_on: '2025-06-13',
    team: JSON.stringify(['A. Expert', 'Б. Эксперт']), institutions_met: JSON.stringify(['Генеральная прокуратура']), status: 'in_progress', created_at: now, updated_at: now,
  }).returning('id').executeTakeFirstOrThrow();
  const assessments: Record<string, number> = {};
  for (const [questionnaireId, version] of Object.entries(questionnaires)) {
    const row = await store.db.insertInto('assessments').values({ mission_id: mission.id, questionnaire_id: questionnaireId, questionnaire_version: version, created_at: now })
      .returning('id').executeTakeFirstOrThrow();
    assessments[questionnaireId] = row.id;
  }
  return { missionId: mission.id, assessments };
}

/** Saves on top of whatever revision the answer has now, like an expert who just reloaded the page. */
export async function answer(store: Store, actor: Actor, assessmentId: number, questionId: string, value: AnswerValue, extra: { note?: string; evidence?: 'documented' | 'testimonial' | 'none'; source?: string } = {}): Promise<number> {
  const current = await store.db.selectFrom('answers').select('revision').where('assessment_id', '=', assessmentId).where('question_id', '=', questionId).executeTakeFirst();
  const saved = await saveAnswer(store.db, actor, { assessmentId, questionId, value, baseRevision: current?.revision ?? 0, ...extra });
  return saved.revision;
}

/** Every answer and history row of a mission, with authors by e-mail and without local ids: comparable across databases. */
export async function missionRows(store: Store, missionId: number) {
  const assessments = await store.db.selectFrom('assessments').select(['id', 'questionnaire_id', 'questionnaire_version']).where('mission_id', '=', missionId).orderBy('questionnaire_id').execute();
  const ids = assessments.map((a) => a.id);
  const qid = new Map(assessments.map((a) => [a.id, a.questionnaire_id]));
  if (ids.length === 0) return { assessments: [], answers: [], history: [] };
  const answers = await store.db.selectFrom('answers').leftJoin('users', 'users.id', 'answers.author_id')
    .select(['assessment_id', 'question_id', 'value', 'note', 'source', 'evidence', 'revision', 'updated_at', 'users.email as author'])
    .where('assessment_id', 'in', ids).orderBy('assessment_id').orderBy('question_id').execute();
  const history = await store.db.selectFrom('answer_history').leftJoin('users', 'users.id', 'answer_history.author_id')
    .select(['assessment_id', 'question_id', 'revision', 'value', 'note', 'source', 'evidence', 'answer_history.created_at', 'op_id', 'users.email as author'])
    .where('assessment_id', 'in', ids).orderBy('assessment_id').orderBy('question_id').orderBy('revision').execute();
  const strip = <T extends { assessment_id: number }>(row: T) => {
    const { assessment_id: assessmentId, ...rest } = row;
    return { questionnaire: qid.get(assessmentId), ...rest };
  };
  const order = (a: { questionnaire?: string | undefined; question_id: string; revision: number }, b: typeof a): number =>
    (a.questionnaire ?? '').localeCompare(b.questionnaire ?? '') || a.question_id.localeCompare(b.question_id) || a.revision - b.revision;
  return {
    assessments: assessments.map((a) => ({ questionnaire: a.questionnaire_id, version: a.questionnaire_version })),
    answers: answers.map(strip).sort(order),
    history: history.map(strip).sort(order),
  };
}

export async function tableCounts(store: Store): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of ['users', 'countries', 'missions', 'assessments', 'answers', 'answer_history', 'section_reviews', 'review_comments', 'audit_log', 'mission_uids', 'answer_conflicts']) {
    counts[table] = Number((await store.db.selectFrom(table as 'users').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  }
  return counts;
}

/** A full dump of every table: proves that a refused import changed nothing at all. */
export async function dump(store: Store): Promise<Record<string, unknown[]>> {
  const tables = (await store.db.introspection.getTables()).map((t) => t.name).sort();
  const result: Record<string, unknown[]> = {};
  for (const name of tables) {
    // Every column in order, so that the dump does not depend on a physical row order.
    result[name] = (await sql<Record<string, unknown>>`select * from ${sql.table(name)} order by 1, 2`.execute(store.db)).rows;
  }
  return result;
}
