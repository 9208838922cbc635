/**
 * Approving a report draft: checks it is ready in every language being published, prints the PDF and
 * the DOCX of each language with the version and approval date on every page, writes the files (write,
 * then rename) with their SHA-256, and records the version. The files are never written again.
 */
import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { writeFileAtomically } from '../../shared/files.js';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { Problem } from '../../shared/problem.js';
import type { Actor } from '../../storage/audit.js';
import type { OutputFormat } from '../../storage/reportDraftTables.js';
import { getDraft } from '../../storage/reportDrafts.js';
import { createVersion, latestVersion, type ReportVersionDto } from '../../storage/reportVersions.js';
import type { Database } from '../../storage/schema.js';
import { generateReportDocx, generateReportPdf } from '../generate.js';
import type { CountryReportInput, ReportLanguage } from '../input.js';
import type { PdfPool } from '../pdf/pool.js';
import { questionnaireFingerprint } from './fingerprint.js';
import { finalizeProblems } from './readiness.js';

export interface FinalizeRequest {
  db: Kysely<Database>;
  pool: PdfPool;
  actor: Actor;
  missionId: number;
  /** The country report input with the synchronised draft (storeSource.countryReport). */
  input: CountryReportInput;
  languages: readonly ReportLanguage[];
  changeNote?: string | undefined;
  /** Where the final files go: <reportsDir>/final/mission-<id>/v<version>/ */
  reportsDir: string;
  now?: Date;
}

export const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

export async function finalizeReport(request: FinalizeRequest): Promise<ReportVersionDto> {
  const { db, input, missionId } = request;
  const draft = await getDraft(db, missionId);
  if (!draft || !input.draft) throw Problem.notFound(`The report draft of mission ${missionId}`);
  const previous = await latestVersion(db, missionId);
  if (draft.state === 'final' && previous) {
    throw new Problem('conflict', `Version ${previous.version} is already final and nothing has changed since. A correction is a new version: edit the draft, then finalise again with a change note.`);
  }
  // The files print input.draft: the version must record that revision, so that createVersion refuses
  // it if the draft moved on, and a later render of the same revisions may say it is this version.
  if (draft.revision !== input.draft.revision) {
    throw new Problem('conflict', `The draft changed while it was being prepared for approval (revision ${draft.revision}, read ${input.draft.revision}). Nothing was approved: finalise again.`, [{ path: 'draftRevision', message: `expected ${draft.revision}` }]);
  }
  const details = finalizeProblems(draft, request.languages);
  if (details.length > 0) {
    throw new Problem('unprocessable', `The report cannot be finalised yet: ${details.length} text(s) are empty or need a translation update in a language being published. Edit or confirm them, then finalise again.`, details);
  }
  if (previous && !request.changeNote?.trim()) {
    throw Problem.validation(`Version ${previous.version} exists: say what this correction changes in a change note.`, [{ path: 'changeNote', message: 'is required for a new version' }]);
  }
  const number = (previous?.version ?? 0) + 1;
  const approvedAt = (request.now ?? new Date()).toISOString();
  const questionnaires = questionnaireFingerprint(input);
  const finalInput: CountryReportInput = { ...input, draft: { ...input.draft, state: 'final', version: { number, approvedAt, dataRevision: input.dataRevision, draftRevision: draft.revision, questionnaires } } };
  const dir = join(request.reportsDir, 'final', `mission-${missionId}`, `v${number}`);
  await mkdir(dir, { recursive: true });
  const files: { format: OutputFormat; language: ReportLanguage; filePath: string; sha256: string; size: number }[] = [];
  const store = async (format: OutputFormat, language: ReportLanguage, fileName: string, bytes: Uint8Array): Promise<void> => {
    const filePath = join(dir, fileName.replace(/\.(pdf|docx)$/, `_v${number}.$1`));
    await writeFileAtomically(filePath, bytes, 'The final report');
    files.push({ format, language, filePath, sha256: sha256(bytes), size: bytes.byteLength });
  };
  for (const language of [...new Set(request.languages)]) {
    const pdf = await generateReportPdf(request.pool, { kind: 'country', input: finalInput }, language);
    await store('pdf', language, pdf.fileName, pdf.pdf);
    const docx = await generateReportDocx(request.pool, { kind: 'country', input: finalInput }, language);
    await store('docx', language, docx.fileName, docx.docx);
  }
  return createVersion(db, request.actor, {
    missionId, version: number, approvedAt, draftRevision: draft.revision, dataRevision: Number(input.dataRevision), changeNote: request.changeNote?.trim() || null,
    content: { draft: input.draft, approvedAt, questionnaires }, files,
  });
}
