/**
 * Generates report files off the request: claims jobs from the report_jobs table (see
 * src/storage/reportJobs.ts for the claim and the lease), renders the PDF or DOCX from the current
 * draft, writes the file (write, then rename) and records it with its SHA-256. It runs while there is
 * work and stops when the queue is empty, so an idle server holds no timers.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import type { QuestionnaireSource } from '../../assessment/assessmentView.js';
import { getMission } from '../../storage/missions.js';
import { claimJob, completeJob, failJob, renewJob, type ReportJobDto } from '../../storage/reportJobs.js';
import type { Database } from '../../storage/schema.js';
import { sha256 } from '../draft/finalize.js';
import { generateReportDocx, generateReportPdf } from '../generate.js';
import type { Marking } from '../input.js';
import type { PdfPool } from '../pdf/pool.js';
import { storeReportSource } from '../storeSource.js';

export interface ReportWorkerOptions {
  db: Kysely<Database>;
  questionnaires: QuestionnaireSource;
  pool: () => PdfPool;
  reportsDir: string;
  marking: Marking;
  leaseMs?: number;
  onError?: (error: unknown, job: ReportJobDto) => void;
}

export class ReportWorker {
  readonly id = `worker-${randomUUID()}`;
  private draining: Promise<void> | null = null;
  private stopped = false;
  private readonly leaseMs: number;

  constructor(private readonly options: ReportWorkerOptions) {
    this.leaseMs = options.leaseMs ?? 120_000;
  }

  /** Starts working through the queue unless already doing so. */
  kick(): void {
    if (this.stopped) return;
    this.draining ??= this.drain().finally(() => {
      this.draining = null;
    });
  }

  /** Resolves when the queue is empty (for tests and shutdown). */
  async idle(): Promise<void> {
    await this.draining;
  }

  /** Finishes the job in hand and claims no more; queued jobs wait for another worker or the next start. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.draining;
  }

  private async drain(): Promise<void> {
    while (!this.stopped) {
      const job = await claimJob(this.options.db, this.id, this.leaseMs);
      if (!job) return;
      await this.run(job);
    }
  }

  private async run(job: ReportJobDto): Promise<void> {
    const { db } = this.options;
    const renew = setInterval(() => void renewJob(db, job.id, this.id, this.leaseMs).catch(() => undefined), Math.max(1_000, this.leaseMs / 3));
    try {
      const mission = await getMission(db, job.missionId);
      const input = await storeReportSource(db, this.options.questionnaires, { marking: this.options.marking }).countryReport(mission.countryCode, String(mission.id));
      const request = { kind: 'country' as const, input };
      const output = job.format === 'docx'
        ? await generateReportDocx(this.options.pool(), request, job.language).then((docx) => ({ fileName: docx.fileName, bytes: docx.docx, pageCount: null }))
        : await generateReportPdf(this.options.pool(), request, job.language).then((pdf) => ({ fileName: pdf.fileName, bytes: pdf.pdf, pageCount: pdf.pageCount }));
      const dir = join(this.options.reportsDir, 'jobs');
      await mkdir(dir, { recursive: true });
      const file = join(dir, output.fileName.replace(/\.(pdf|docx)$/, `_job${job.id}.$1`));
      await writeFile(`${file}.part`, output.bytes);
      await rename(`${file}.part`, file);
      await completeJob(db, job.id, this.id, {
        filePath: file, sha256: sha256(output.bytes), pageCount: output.pageCount, dataRevision: Number(input.dataRevision), draftRevision: input.draft?.revision ?? 0,
      });
    } catch (error) {
      this.options.onError?.(error, job);
      await failJob(db, job.id, this.id, error instanceof Error ? error.message : String(error));
    } finally {
      clearInterval(renew);
    }
  }
}
