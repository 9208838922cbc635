/**
 * Mission bundles end to end: export a mission as one checked file; import a file, merging it into
 * the same mission here (or creating it). Both run in one transaction, so an export is a consistent
 * picture and an import applies all of its changes or none.
 */
import type { Kysely } from 'kysely';
import { answerValueSchema } from '../../questionnaire/answerValue.js';
import type { Questionnaire } from '../../questionnaire/model.js';
import { writeAudit, type Actor } from '../../storage/audit.js';
import type { Database } from '../../storage/schema.js';
import { countRealMissions } from '../../storage/missions.js';
import { inTransaction } from '../../storage/transaction.js';
import { Problem } from '../../shared/problem.js';
import { runInWorker } from '../../shared/worker.js';
import { decodeBundle, encodeBundle, type DecodedBundle, type SignatureCheck } from './format.js';
import { planMerge, type MergeSummary } from './merge.js';
import type { MissionBundleBody } from './model.js';
import { applyMergePlan, findMissionByUid, readMissionSnapshot } from './missionStore.js';

export interface ExportBundleOptions {
  /** ENA_BUNDLE_KEY: when set, the bundle is signed with it. */
  key?: string | undefined;
  /** E-mail of the person exporting, recorded in the bundle. */
  exportedBy?: string | null | undefined;
}

export async function exportMissionBundle(db: Kysely<Database>, missionId: number, options: ExportBundleOptions = {}): Promise<{ file: Buffer; body: MissionBundleBody }> {
  const body = await inTransaction(db, (trx) => readMissionSnapshot(trx, missionId, options.exportedBy?.toLowerCase() ?? null));
  return { file: encodeBundle(body, options.key), body };
}

export interface ImportBundleOptions {
  /** ENA_BUNDLE_KEY of this installation: when set, only bundles signed with it are accepted. */
  key?: string | undefined;
  /** The questionnaires installed here: answers are checked against them (warnings, never refusals). */
  questionnaires?: readonly Questionnaire[] | undefined;
  /** How the import was started, for the audit row (e.g. "cli", "http"). */
  via?: string | undefined;
  /** Called with the bundle's country once the file is verified and before anything is written: throw to refuse. */
  authorizeCountry?: ((countryCode: string) => void) | undefined;
  /** Progress of a large import: checking the file, then answers applied out of the total. */
  onProgress?: ((progress: ImportProgress) => void) | undefined;
}

export interface ImportProgress {
  phase: 'checking' | 'applying';
  done: number;
  total: number;
}

/** Files at least this large are checked on a worker thread (starting one costs a few hundred ms). */
export const OFF_THREAD_BYTES = 1_000_000;
/** A worker that has not checked a file in this time is stopped (a 50 MB bundle takes a few seconds). */
const CHECK_TIMEOUT_MS = 120_000;
/** The apply phase yields to the event loop after this much work, so other requests are served meanwhile. */
const PACE_MS = 20;

/** decodeBundle, on a worker thread for large files: the checksum, JSON parse and schema check of 50 MB take seconds. */
export async function decodeBundleOffThread(file: Buffer, key: string | undefined): Promise<DecodedBundle> {
  if (file.length < OFF_THREAD_BYTES) return decodeBundle(file, key);
  return runInWorker<{ file: Uint8Array; key: string | undefined }, DecodedBundle>(new URL('./decodeWorker.ts', import.meta.url), { file: new Uint8Array(file), key }, { timeoutMs: CHECK_TIMEOUT_MS });
}

/** Yields to the event loop once PACE_MS of work has passed, reporting progress then. */
function pacer(total: number, onProgress: ImportBundleOptions['onProgress']): () => Promise<void> {
  let done = 0;
  let since = performance.now();
  return async () => {
    done++;
    if (performance.now() - since < PACE_MS) return;
    onProgress?.({ phase: 'applying', done, total });
    await new Promise((resolve) => setImmediate(resolve));
    since = performance.now();
  };
}

export interface ImportResult {
  missionId: number;
  missionUid: string;
  /** False when the bundle brought nothing new: nothing was written, not even an audit row. */
  changed: boolean;
  summary: MergeSummary;
  signature: SignatureCheck;
  sha256: string;
  /** Things a person should look at; the data was imported regardless. */
  warnings: string[];
}

/**
 * Answers that do not fit the questionnaires installed here are imported all the same (they were valid
 * where they were written, against that installation's questionnaire version) and reported.
 */
export function checkAgainstQuestionnaires(body: MissionBundleBody, questionnaires: readonly Questionnaire[] | undefined): string[] {
  if (!questionnaires) return [];
  const byId = new Map(questionnaires.map((q) => [q.id, q]));
  const warnings: string[] = [];
  for (const assessment of body.assessments) {
    const questionnaire = byId.get(assessment.questionnaireId);
    if (!questionnaire) {
      warnings.push(`Questionnaire "${assessment.questionnaireId}" is not installed here: its ${assessment.answers.length} answer(s) were kept and are shown as retired.`);
      continue;
    }
    if (assessment.questionnaireVersion !== questionnaire.version) {
      warnings.push(`"${assessment.questionnaireId}" was answered against version ${assessment.questionnaireVersion}; version ${questionnaire.version} is installed here.`);
    }
    const retired = assessment.answers.filter((answer) => !questionnaire.questionsById.has(answer.questionId)).map((answer) => answer.questionId);
    if (retired.length > 0) warnings.push(`"${assessment.questionnaireId}": ${retired.length} answer(s) to questions this version no longer has were kept as retired (${retired.join(', ')}).`);
    for (const answer of assessment.answers) {
      const placed = questionnaire.questionsById.get(answer.questionId);
      const head = answer.history[answer.history.length - 1];
      if (!placed || !head) continue;
      const result = answerValueSchema(placed.question).safeParse(head.value);
      if (!result.success) {
        warnings.push(`"${assessment.questionnaireId}/${answer.questionId}": the answer ${JSON.stringify(head.value)} ${result.error.issues[0]?.message ?? 'does not fit the question'} in the version installed here; it was kept: review it.`);
      }
    }
  }
  return warnings;
}

export async function importMissionBundle(db: Kysely<Database>, actor: Actor, file: Buffer, options: ImportBundleOptions = {}): Promise<ImportResult> {
  // Every check on the file happens before the first write.
  options.onProgress?.({ phase: 'checking', done: 0, total: file.length });
  const decoded = await decodeBundleOffThread(file, options.key);
  const incoming = decoded.body;
  options.authorizeCountry?.(incoming.country.code);
  const warnings = checkAgainstQuestionnaires(incoming, options.questionnaires);
  return inTransaction(db, async (trx) => {
    const localId = await findMissionByUid(trx, incoming.mission.uid);
    // The API never sets the demo flag; a bundle may only bring demo data where there is no real work.
    if (incoming.mission.isDemo && localId === undefined && (await countRealMissions(trx)) > 0) {
      throw Problem.validation('This bundle holds demo data (its mission is marked as demo) and this database holds real missions: demo data is never mixed with real work. Import it into a demo installation instead. Nothing was imported.',
        [{ path: 'bundle.mission.isDemo', message: 'demo data cannot be imported into a database with real missions' }]);
    }
    const local = localId === undefined ? null : await readMissionSnapshot(trx, localId);
    const plan = planMerge(local, incoming, new Date().toISOString());
    const result = { missionUid: incoming.mission.uid, summary: plan.summary, signature: decoded.signature, sha256: decoded.sha256, warnings };
    if (!plan.changes) return { ...result, missionId: localId as number, changed: false };
    const total = plan.assessments.reduce((sum, assessment) => sum + assessment.answers.length, 0);
    const { missionId } = await applyMergePlan(trx, actor, plan, incoming, localId, pacer(total, options.onProgress));
    options.onProgress?.({ phase: 'applying', done: total, total });
    await writeAudit(trx, actor, 'bundle.import', { type: 'mission', id: missionId }, null, {
      bundleSha256: decoded.sha256, signature: decoded.signature, exportedAt: incoming.exportedAt, exportedBy: incoming.exportedBy, via: options.via ?? null, summary: plan.summary,
    });
    return { ...result, missionId, changed: true };
  });
}
