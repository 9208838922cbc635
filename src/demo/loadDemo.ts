/**
 * Loads the illustrative demo missions (data/demo/<CODE>.yaml) into a database, and creates one demo
 * account per role. Refuses to touch a database that holds real work: a mission or a user that is not
 * marked as demo. Loading again replaces the demo missions (answers, history) with fresh ones.
 */
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { formatIssue } from '../questionnaire/yamlFile.js';
import { Problem } from '../shared/problem.js';
import { saveAnswer } from '../storage/answers.js';
import { createAssessment } from '../storage/assessments.js';
import type { QuestionnaireSource } from '../assessment/assessmentView.js';
import { SYSTEM, writeAudit } from '../storage/audit.js';
import { createCountry, findCountry } from '../storage/countries.js';
import { countRealMissions, createMission } from '../storage/missions.js';
import type { Database, Role } from '../storage/schema.js';
import { inTransaction } from '../storage/transaction.js';
import { countRealUsers, createUser } from '../storage/users.js';
import { hashPassword, randomPassword, type ScryptParams } from '../accounts/passwords.js';
import { readDemoFiles } from './demoFile.js';

export const DEMO_DIR = join(import.meta.dirname, '..', '..', 'data', 'demo');

export interface DemoAccount {
  email: string;
  password: string;
  role: Role;
  countries: string[];
}

export interface DemoLoadResult {
  countries: string[];
  missions: number;
  answers: number;
}

export async function isEmptyDatabase(db: Kysely<Database>): Promise<boolean> {
  const users = await db.selectFrom('users').select('id').limit(1).execute();
  const missions = await db.selectFrom('missions').select('id').limit(1).execute();
  return users.length === 0 && missions.length === 0;
}

/** Throws unless every mission and every user in the database is demo data. */
export async function assertDemoOnly(db: Kysely<Database>, file: string): Promise<void> {
  const missions = await countRealMissions(db);
  const users = await countRealUsers(db);
  if (missions > 0 || users > 0) {
    throw new Problem('conflict',
      `${file} holds real data (${missions} mission(s), ${users} user(s) that are not demo data). Demo data is only loaded into an empty or demo-only database: ${/^postgres(ql)?:/.test(file) ? 'point ENA_DATABASE_URL at another, empty database (createdb ena_demo)' : 'set ENA_DB to another file, e.g. ENA_DB=data/demo.sqlite npx ena demo'}.`);
  }
}

export async function loadDemoData(db: Kysely<Database>, source: QuestionnaireSource, options: { dir?: string; file: string }): Promise<DemoLoadResult> {
  const dir = options.dir ?? DEMO_DIR;
  const { demos, issues } = await readDemoFiles(dir, source.questionnaires, source.catalogue.glossary);
  if (issues.length > 0) {
    throw new Problem('validation_failed', `The demo data in ${dir} has ${issues.length} problem(s):\n${issues.map(formatIssue).join('\n')}`,
      issues.map((issue) => ({ path: `${issue.file}:${issue.line}:${issue.column} ${issue.path}`, message: issue.message })));
  }
  await assertDemoOnly(db, options.file);
  let answers = 0;
  // One transaction for everything: a half-loaded demo never stays behind, and one sync instead of hundreds.
  await inTransaction(db, async (trx) => {
    const replaced = await trx.deleteFrom('missions').where('is_demo', '=', 1).executeTakeFirst();
    await writeAudit(trx, SYSTEM, 'demo.load', { type: 'demo', id: 'demo' }, { missionsReplaced: Number(replaced.numDeletedRows) }, { countries: demos.map((d) => d.data.country.code) });
    for (const { data } of demos) {
      if (!(await findCountry(trx, data.country.code))) await createCountry(trx, SYSTEM, { code: data.country.code, name: data.country.name });
      const mission = await createMission(trx, SYSTEM, {
        countryCode: data.country.code, title: data.mission.title, startsOn: data.mission.starts_on, endsOn: data.mission.ends_on,
        team: data.mission.team, institutionsMet: data.mission.institutions_met, status: data.mission.status, isDemo: data.illustrative,
      });
      for (const questionnaire of source.questionnaires) {
        const assessment = await createAssessment(trx, SYSTEM, { missionId: mission.id, questionnaireId: questionnaire.id, questionnaireVersion: questionnaire.version });
        for (const [questionId, answer] of Object.entries(data.answers[questionnaire.id] ?? {})) {
          // readDemoFiles checked every value against its question.
          await saveAnswer(trx, SYSTEM, {
            assessmentId: assessment.id, questionId, value: answer.value as never, note: answer.note, source: answer.source, evidence: answer.evidence, baseRevision: 0,
          });
          answers += 1;
        }
      }
    }
  });
  return { countries: demos.map((d) => d.data.country.code), missions: demos.length, answers };
}

/**
 * One account per role with a random password, returned once for printing. The expert is assigned to
 * the first two demo countries, the viewer to the third, so the demo shows what each role may not see.
 */
export async function createDemoAccounts(db: Kysely<Database>, countryCodes: readonly string[], params?: ScryptParams): Promise<DemoAccount[]> {
  const plan: { role: Role; name: string; countries: string[] }[] = [
    { role: 'admin', name: 'Demo administrator', countries: [] },
    { role: 'manager', name: 'Demo project manager', countries: [] },
    { role: 'expert', name: 'Demo expert', countries: countryCodes.slice(0, 2) },
    { role: 'viewer', name: 'Demo viewer', countries: countryCodes.slice(2, 3) },
  ];
  const accounts: DemoAccount[] = [];
  for (const entry of plan) {
    const password = randomPassword();
    const email = `${entry.role}@demo.ena.example`;
    await createUser(db, SYSTEM, { email, name: entry.name, passwordHash: await hashPassword(password, params), role: entry.role, countries: entry.countries, isDemo: true });
    accounts.push({ email, password, role: entry.role, countries: entry.countries });
  }
  return accounts;
}

export function formatDemoAccounts(accounts: readonly DemoAccount[]): string {
  const lines = accounts.map((a) => `  ${a.role.padEnd(8)} ${a.email.padEnd(28)} ${a.password}${a.countries.length > 0 ? `   (countries: ${a.countries.join(', ')})` : ''}`);
  return ['Demo accounts (shown only this once; the data is illustrative — demo data, not an assessment):', ...lines].join('\n');
}
