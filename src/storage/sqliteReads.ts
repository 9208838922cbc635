/**
 * The reads every autosave makes before it saves — the session behind the cookie and the assessment
 * named in the path — as prepared statements on SQLite (on PostgreSQL: the Kysely functions they
 * mirror). The columns and rules are those of sessions.ts (findSession) and assessments.ts
 * (findAssessment); only the statements are here. Building and compiling three Kysely queries cost more
 * per request than running them.
 */
import type SQLite from 'better-sqlite3';
import { findAssessment, foundOr404, toAssessmentDto, type AssessmentDto, type AssessmentRow } from './assessments.js';
import type { Store } from './db.js';
import { DEFAULT_SESSION_POLICY, findSession, foundSession, hashToken, sessionState, type FoundSession, type SessionPolicy, type SessionRow } from './sessions.js';
import { onSqliteConnection } from './sqliteConnection.js';

interface Statements {
  session: SQLite.Statement<[string], SessionRow>;
  extend: SQLite.Statement<[string, string]>;
  countries: SQLite.Statement<[number], string>;
  assessment: SQLite.Statement<[number], AssessmentRow>;
}

const prepared = new WeakMap<SQLite.Database, Statements>();

function statementsOf(sqlite: SQLite.Database): Statements {
  let statements = prepared.get(sqlite);
  if (!statements) {
    statements = {
      session: sqlite.prepare(`select s.csrf_token, s.created_at, s.expires_at, u.id, u.email, u.name, u.role, u.language, u.disabled_at, u.must_change_password
        from sessions s join users u on u.id = s.user_id where s.id_hash = ?`),
      extend: sqlite.prepare('update sessions set expires_at = ? where id_hash = ?'),
      countries: sqlite.prepare<[number], string>('select country_code from user_countries where user_id = ? order by country_code').pluck(),
      assessment: sqlite.prepare(`select a.id, a.mission_id, a.questionnaire_id, a.questionnaire_version, a.created_at, a.completed_at, a.completed_by,
          m.country_code, m.is_demo, m.scope
        from assessments a join missions m on m.id = a.mission_id where a.id = ?`),
    };
    prepared.set(sqlite, statements);
  }
  return statements;
}

/** findSession (sessions.ts) on whichever engine the store has. */
export function findSessionIn(store: Store, token: string, policy: SessionPolicy = DEFAULT_SESSION_POLICY): Promise<FoundSession | undefined> {
  if (store.engine !== 'sqlite') return findSession(store.db, token, policy);
  return onSqliteConnection(store, (sqlite) => {
    const s = statementsOf(sqlite);
    const idHash = hashToken(token);
    const row = s.session.get(idHash);
    const state = row && sessionState(row, policy, new Date());
    if (!row || !state) return undefined;
    if (state.extended) s.extend.run(state.expiresAt, idHash);
    return foundSession(row, state, s.countries.all(row.id));
  });
}

/** findAssessment (assessments.ts) on whichever engine the store has. */
export function findAssessmentIn(store: Store, id: number): Promise<AssessmentDto | undefined> {
  if (store.engine !== 'sqlite') return findAssessment(store.db, id);
  return onSqliteConnection(store, (sqlite) => {
    const row = statementsOf(sqlite).assessment.get(id);
    return row && toAssessmentDto(row);
  });
}

/** getAssessment (assessments.ts): the assessment, or a 404. */
export async function getAssessmentIn(store: Store, id: number): Promise<AssessmentDto> {
  return foundOr404(await findAssessmentIn(store, id), id);
}
