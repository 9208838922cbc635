/** What the export and bundle commands share: opening the database, loading questionnaires, writing output. */
import { writeFile } from 'node:fs/promises';
import type { Config } from '../../config/env.js';
import type { LoadResult } from '../../questionnaire/load.js';
import { Problem } from '../../shared/problem.js';
import type { Store } from '../../storage/db.js';

export async function withStore<T>(config: Config, work: (store: Store) => Promise<T>): Promise<T> {
  const [{ databaseLocation }, { openStore }] = await Promise.all([import('../../config/env.js'), import('../../storage/db.js')]);
  const store = await openStore(databaseLocation(config));
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

export async function validQuestionnaires(config: Config): Promise<LoadResult> {
  const [{ loadQuestionnaires }, { formatIssue }] = await Promise.all([import('../../questionnaire/load.js'), import('../../questionnaire/yamlFile.js')]);
  const loaded = await loadQuestionnaires([config.questionnairesDir]);
  if (loaded.issues.length > 0) {
    throw new Problem('invalid_questionnaire', `${loaded.issues.length} problem(s) in the questionnaires (${config.questionnairesDir}):\n${loaded.issues.map(formatIssue).join('\n')}\nFix them (ena validate lists them too) and run the command again.`);
  }
  return loaded;
}

/** Writes to `out`, or to standard output when it is absent or "-" (never binary data onto a terminal). */
export async function writeOutput(body: Buffer, out: string | undefined, binary: boolean): Promise<void> {
  if (out && out !== '-') {
    await writeFile(out, body);
    return;
  }
  if (binary && process.stdout.isTTY) {
    throw Problem.validation('This output is a binary file: give --out <file>, or redirect it, e.g. > export.xlsx.', [{ path: '--out', message: 'missing' }]);
  }
  await new Promise<void>((resolve, reject) => process.stdout.write(body, (error) => (error ? reject(error) : resolve())));
}

/** A positive whole number given on the command line, e.g. a mission id. */
export function positiveId(value: string, what: string): number {
  if (!/^\d{1,15}$/.test(value) || Number(value) < 1) throw Problem.validation(`${what} must be a number such as 12, not "${value}".`, [{ path: what, message: 'not a positive whole number' }]);
  return Number(value);
}
