/**
 * Sends the pending queue to PUT /api/assessments/:id/answers/:questionId, one operation at a time in
 * the order they were made, retrying with exponential backoff while the network or server is down.
 * A 409 becomes a conflict for the expert to resolve (unless the server already holds the same
 * version); a 400 marks the question; a 401 or a refused CSRF token first tries to pick up a session
 * signed in again in another tab, and otherwise stops sending until the expert signs in again (the
 * queue stays in the browser meanwhile).
 */
import type { AnswerDto } from '../../storage/answers.js';
import { answerKey } from './answerFields.js';
import { answerFieldsOf, type PendingOp, type PendingQueue } from './pendingQueue.js';

export type SaveStatus =
  | { kind: 'saved' }
  /** Only notes or sources typed for questions without an answer: kept, not sendable yet. */
  | { kind: 'held'; held: number }
  | { kind: 'saving'; waiting: number }
  | { kind: 'offline'; waiting: number }
  | { kind: 'signedOut'; waiting: number }
  | { kind: 'attention'; conflicts: number; rejected: number; waiting: number };

export interface AutosaveEvents {
  status(status: SaveStatus): void;
  saved(op: PendingOp, revision: number): void;
  conflict(op: PendingOp): void;
  rejected(op: PendingOp, message: string): void;
}

export interface AutosaveOptions {
  assessmentId: string;
  csrfToken: () => string;
  fetch: typeof fetch;
  events: AutosaveEvents;
  /**
   * The server refused the session (401) or its CSRF token (403): the expert may have signed in again in
   * another tab, which replaced the cookie. Resolves true when this tab now holds a valid token for the
   * same user (the caller has updated it), so sending goes on; false means signed out for real.
   */
  renewSession?: () => Promise<boolean>;
  /** The page was opened without a network (e.g. from the offline copy). */
  startOffline?: boolean;
  /** Backoff: first delay and ceiling, in ms. */
  baseDelay?: number;
  maxDelay?: number;
  setTimer?: (callback: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  random?: () => number;
}

interface ErrorBody {
  error?: { code?: string; message?: string; details?: { path: string; message: string }[] };
  current?: AnswerDto | null;
  currentAuthor?: { name: string; role: string } | null;
}

export class Autosaver {
  private busy = false;
  private failures = 0;
  private timer: unknown = null;
  private offline = false;
  private signedOut = false;
  private readonly baseDelay: number;
  private readonly maxDelay: number;

  constructor(private readonly queue: PendingQueue, private readonly options: AutosaveOptions) {
    this.offline = options.startOffline ?? false;
    this.baseDelay = options.baseDelay ?? 1000;
    this.maxDelay = options.maxDelay ?? 30_000;
  }

  /** Sends now (after a change, or when the browser reports the network is back). */
  kick(): void {
    if (this.timer !== null) {
      (this.options.clearTimer ?? clearTimeout)(this.timer as ReturnType<typeof setTimeout>);
      this.timer = null;
    }
    void this.pump();
  }

  /** The browser says the network is gone: say so now, before a send fails. */
  networkLost(): void {
    this.offline = true;
    this.report();
  }

  /** The expert came back to this tab: if sending had stopped for lack of a session, try again. */
  resume(): void {
    if (!this.signedOut) return;
    this.signedOut = false;
    this.kick();
  }

  networkBack(): void {
    this.failures = 0;
    this.offline = false;
    this.signedOut = false;
    this.kick();
  }

  status(): SaveStatus {
    const ops = this.queue.ops();
    const conflicts = ops.filter((op) => op.state === 'conflict').length;
    const rejected = ops.filter((op) => op.state === 'rejected').length;
    const waiting = ops.filter((op) => op.state === 'waiting' && op.fields.value !== undefined).length;
    const held = ops.filter((op) => op.state === 'waiting' && op.fields.value === undefined).length;
    if (conflicts + rejected > 0) return { kind: 'attention', conflicts, rejected, waiting };
    if (waiting === 0) return held > 0 ? { kind: 'held', held } : { kind: 'saved' };
    if (this.signedOut) return { kind: 'signedOut', waiting };
    if (this.offline) return { kind: 'offline', waiting };
    return { kind: 'saving', waiting };
  }

  private report(): void {
    this.options.events.status(this.status());
  }

  private scheduleRetry(): void {
    this.failures += 1;
    const ceiling = Math.min(this.maxDelay, this.baseDelay * 2 ** (this.failures - 1));
    // Full jitter keeps many experts from retrying in step when a ministry's Wi-Fi comes back.
    const delay = Math.round(ceiling / 2 + (this.options.random ?? Math.random)() * (ceiling / 2));
    this.timer = (this.options.setTimer ?? setTimeout)(() => {
      this.timer = null;
      void this.pump();
    }, delay);
  }

  private async pump(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    let renewed = false;
    try {
      for (let op = this.queue.next(); op; op = this.queue.next()) {
        if (this.signedOut) break;
        const sending = this.queue.beginSend(op.opId);
        if (!sending) continue;
        this.report();
        const outcome = await this.send(sending.op, sending.baseRevision);
        if (outcome === 'session') {
          // Once per round: a session that cannot be renewed must not loop.
          if (!renewed && this.options.renewSession && (await this.options.renewSession().catch(() => false))) {
            renewed = true;
            continue;
          }
          this.signedOut = true;
          break;
        }
        if (outcome === 'retry') {
          this.scheduleRetry();
          break;
        }
      }
    } finally {
      this.busy = false;
      this.report();
    }
  }

  private async send(op: PendingOp, baseRevision: number): Promise<'next' | 'retry' | 'session'> {
    const body: Record<string, unknown> = { value: op.fields.value, baseRevision, opId: op.opId };
    if (op.fields.note !== undefined) body.note = op.fields.note;
    if (op.fields.source !== undefined) body.source = op.fields.source;
    if (op.fields.evidence !== undefined) body.evidence = op.fields.evidence;
    let response: Response;
    try {
      response = await this.options.fetch(`/api/assessments/${encodeURIComponent(this.options.assessmentId)}/answers/${encodeURIComponent(op.questionId)}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': this.options.csrfToken() },
        credentials: 'same-origin',
        body: JSON.stringify(body),
      });
    } catch {
      this.offline = true;
      return 'retry';
    }
    this.offline = false;
    if (response.ok) {
      const saved = (await response.json().catch(() => ({}))) as { revision?: number };
      const revision = typeof saved.revision === 'number' ? saved.revision : baseRevision + 1;
      this.queue.succeeded(op.opId, revision);
      this.failures = 0;
      this.options.events.saved(op, revision);
      return 'next';
    }
    const error = (await response.json().catch(() => ({}))) as ErrorBody;
    if (response.status === 409 && error.error?.code === 'conflict' && 'current' in error) {
      const current = error.current ?? null;
      if (current && answerKey(answerFieldsOf(current)) === answerKey(op.fields)) {
        // The server already holds exactly this version (saved from another tab, or by this one before
        // its revision record was lost): nothing to decide, so no conflict is shown.
        this.queue.succeeded(op.opId, current.revision);
        this.failures = 0;
        this.options.events.saved(op, current.revision);
        return 'next';
      }
      this.queue.conflicted(op.opId, error.current ?? null, error.currentAuthor ?? null);
      const conflicted = this.queue.ops().find((candidate) => candidate.questionId === op.questionId && candidate.state === 'conflict');
      if (conflicted) this.options.events.conflict(conflicted);
      return 'next';
    }
    if (response.status === 401 || (response.status === 403 && error.error?.code === 'csrf_failed')) return 'session';
    if (response.status === 400 || response.status === 413 || (response.status === 403 && error.error?.code !== 'csrf_failed') || response.status === 404 || response.status === 409) {
      const details = error.error?.details?.map((detail) => `${detail.path}: ${detail.message}`).join('; ');
      const message = [error.error?.message, details].filter(Boolean).join(' ') || `HTTP ${response.status}`;
      this.queue.rejected(op.opId, message);
      this.options.events.rejected(op, message);
      return 'next';
    }
    // 5xx, 429: the server is there but not saving; for the expert that is the same as no connection.
    this.offline = true;
    return 'retry';
  }
}
