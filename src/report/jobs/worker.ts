/**
 * Generates report files off the request: claims jobs from the report_jobs table (see
 * src/storage/reportJobs.ts for the claim and the lease), renders the PDF or DOCX from the current
 * draft, writes the file (write, then rename) and records it with its SHA-256. It runs while there is
 * work and stops when the queue is empty. A served instance also polls (see poll()), because a job can
 * become claimable without anyone asking this instance: another instance died holding it.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import type { QuestionnaireSource } from '../../assessment/assessmentView.js';
import { getMission } from '../../storage/missions.js';
import { claimJob, completeJob, failAbandonedJobs, failJob, hasClaimableJob, renewJob, type ReportJobDto } from '../../storage/reportJobs.js';
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
  /** How long a claimed job stays this worker's without a renewal (ENA_JOB_LEASE_SECONDS). */
  leaseMs?: number;
  onError?: (error: unknown, job: ReportJobDto) => void;
}

export class ReportWorker {
  /** Names the host and process, so an operator (or a test) can tell which instance holds a job. */
  readonly id = `worker-${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  private draining: Promise<void> | null = null;
  private stopped = false;
  private polling: NodeJS.Timeout | null = null;
  private readonly leaseMs: number;

  constructor(private readonly options: ReportWorkerOptions) {
    this.leaseMs = options.leaseMs ?? 120_000;
  }

  /**
   * Looks for claimable jobs every few seconds (a third of the lease, 1–5 s). Kicks alone are not enough
   * with several instances on one database: when the instance that enqueued or claimed a job dies, no
   * request reaches the others about it, yet its job must be retried once its lease runs out. Each tick
   * is one indexed read (hasClaimableJob); it claims only when that read finds work. The timer is unref'd,
   * so it never keeps a process alive, and stop() ends it.
   */
  poll(intervalMs = Math.min(5_000, Math.max(1_000, Math.round(this.leaseMs / 3)))): void {
    if (this.stopped || this.polling) return;
    this.polling = setInterval(() => {
      if (this.draining) return;
      hasClaimableJob(this.options.db).then((found) => {
        if (found) this.kick();
      }, () => undefined); // a database hiccup: the next tick asks again
    }, intervalMs);
    this.polling.unref();
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
    if (this.polling) clearInterval(this.polling);
    this.polling = null;
    await this.draining;
  }

  private async drain(): Promise<void> {
    await failAbandonedJobs(this.options.db);
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
      const request = storeReportSource(db, this.options.questionnaires, { marking: this.options.marking })
        .countryReport(mission.countryCode, String(mission.id)).then((input) => ({ kind: 'country' as const, input }));
      const output = job.format === 'docx'
        ? await generateReportDocx(this.options.pool(), await request, job.language).then((docx) => ({ fileName: docx.fileName, bytes: docx.docx, pageCount: null }))
        // The PDF renderer opens its page while the report is read from the database.
        : await generateReportPdf(this.options.pool(), request, job.language).then((pdf) => ({ fileName: pdf.fileName, bytes: pdf.pdf, pageCount: pdf.pageCount }));
      const dir = join(this.options.reportsDir, 'jobs');
      await mkdir(dir, { recursive: true });
      const file = join(dir, output.fileName.replace(/\.(pdf|docx)$/, `_job${job.id}.$1`));
      await writeFile(`${file}.part`, output.bytes);
      await rename(`${file}.part`, file);
      const { input } = await request;
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
