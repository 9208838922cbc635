import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import type { ImportProgress, ImportResult } from '../../exchange/bundle/bundles.js';
import { Problem } from '../../shared/problem.js';
import { SYSTEM } from '../../storage/audit.js';
import { positiveId, withStore, writeOutput } from './exchangeSupport.js';

async function readInput(path: string): Promise<Buffer> {
  if (path === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk as Buffer));
    return Buffer.concat(chunks);
  }
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw Problem.validation(`Cannot read ${path}: ${code === 'ENOENT' ? 'there is no such file' : code === 'EISDIR' ? 'it is a folder' : String(error)}.`, [{ path: 'file', message: 'unreadable' }]);
  }
}

/** Who ran the command, for the audit row: the CLI acts as the system, not as an ENA user. */
function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

export function describeImport(result: ImportResult): string[] {
  const s = result.summary;
  const lines = [
    result.changed
      ? `${s.missionCreated ? 'Created' : 'Merged into'} mission ${result.missionId} (bundle ${result.sha256.slice(0, 12)}, signature: ${result.signature.replace('_', ' ')}).`
      : `Nothing to do: mission ${result.missionId} already holds everything in this bundle (signature: ${result.signature.replace('_', ' ')}).`,
    `Answers: ${s.answersAdded} new, ${s.answersUpdated} updated, ${s.answersAdopted} settled elsewhere, ${s.answersUnchanged} unchanged, ${s.answersNewerHere} newer here.`,
  ];
  if (s.conflicts > 0 || s.conflictsAlreadyRecorded > 0) {
    lines.push(`Conflicts: ${s.conflicts} new (both sides changed the same answer: the answer here was kept, the bundle's version waits for a person to choose), ${s.conflictsAlreadyRecorded} already recorded.`);
  }
  if (s.conflictRecordsImported + s.conflictRecordsResolved > 0) lines.push(`Conflict records: ${s.conflictRecordsImported} received, ${s.conflictRecordsResolved} marked resolved.`);
  if (s.assessmentsCreated + s.reviewsUpdated + s.commentsAdded > 0 || s.missionUpdated) {
    lines.push(`Also: ${s.assessmentsCreated} assessment(s) created, ${s.reviewsUpdated} review state(s) updated, ${s.commentsAdded} comment(s) added${s.missionUpdated ? ', mission details updated' : ''}.`);
  }
  for (const warning of result.warnings) lines.push(`Note: ${warning}`);
  return lines;
}

export function registerBundle(program: Command): void {
  const bundle = program.command('bundle').description('offline mission bundles: one checked file with a mission, its answers and their history');

  bundle
    .command('export')
    .description('write a mission as a bundle (to standard output unless --out is given), e.g. ena bundle export 12 > kz.ena-bundle')
    .argument('<mission>', 'mission id')
    .option('--out <file>', 'file to write instead of standard output')
    .action(async (mission: string, options: { out?: string }) => {
      const id = positiveId(mission, 'mission');
      const [{ loadConfig }, { exportMissionBundle }] = await Promise.all([import('../../config/env.js'), import('../../exchange/bundle/bundles.js')]);
      const config = loadConfig();
      const { file, body } = await withStore(config, (store) => exportMissionBundle(store.db, id, { key: config.bundleKey }));
      await writeOutput(file, options.out, false);
      const answers = body.assessments.reduce((n, a) => n + a.answers.length, 0);
      console.error(`Mission ${id} (${body.country.code}, "${body.mission.title}"): ${body.assessments.length} assessment(s), ${answers} answer(s), ${config.bundleKey ? 'signed' : 'checksummed, not signed (ENA_BUNDLE_KEY is not set)'}.`);
    });

  bundle
    .command('import')
    .description('merge a bundle into this database: newer revisions win, conflicts are kept for review, nothing is lost')
    .argument('<file>', 'bundle file, or - for standard input')
    .action(async (path: string) => {
      const [{ loadConfig }, { importMissionBundle, OFF_THREAD_BYTES }, { loadQuestionnaires }] = await Promise.all([
        import('../../config/env.js'), import('../../exchange/bundle/bundles.js'), import('../../questionnaire/load.js'),
      ]);
      const config = loadConfig();
      const file = await readInput(path);
      // Questionnaires only add warnings: an import never depends on them.
      const loaded = await loadQuestionnaires([config.questionnairesDir]).catch(() => undefined);
      const questionnaires = loaded && loaded.issues.length === 0 ? loaded.questionnaires : undefined;
      // Progress of a large import on stderr (stdout stays the summary), at most once a second.
      let shown = 0;
      const onProgress = (progress: ImportProgress): void => {
        if (file.length < OFF_THREAD_BYTES || Date.now() - shown < 1_000) return;
        shown = Date.now();
        console.error(progress.phase === 'checking' ? `Checking ${(file.length / 1e6).toFixed(1)} MB…` : `Applying answers: ${progress.done} of ${progress.total}`);
      };
      const result = await withStore(config, (store) => importMissionBundle(store.db, SYSTEM, file, { key: config.bundleKey, questionnaires, via: `cli:${osUser()}`, onProgress }));
      for (const line of describeImport(result)) console.log(line);
    });
}
