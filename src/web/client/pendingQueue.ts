/**
 * The unsent changes of one expert on one assessment, kept in the browser's localStorage so that they
 * survive a reload, a closed tab and a lost network. Every mutation re-reads and writes the whole
 * state synchronously, so nothing typed lives only in memory.
 *
 * Each change becomes an operation carrying the question's complete answer (PUT replaces it) and a
 * client-generated opId. An operation not yet sent absorbs later edits of the same question; once sent
 * it is frozen (same opId, same baseRevision), so a retry after a lost response is recognised by the
 * server as the same write. The baseRevision is fixed at first send from the last revision this page
 * knows, which a successful save of an earlier operation has just advanced.
 */
import type { AnswerDto } from '../../storage/answers.js';
import { answerKey, type AnswerFields } from './answerFields.js';

export type OpState = 'waiting' | 'conflict' | 'rejected';

export interface PendingOp {
  opId: string;
  questionId: string;
  fields: AnswerFields;
  /** null until first sent; then fixed for every retry. */
  baseRevision: number | null;
  state: OpState;
  attempts: number;
  createdAt: string;
  /** The server's answer when it refused the write as stale. */
  theirs?: AnswerDto | null;
  /** Who saved the server's answer (name and role), when the server says. */
  theirsAuthor?: { name: string; role: string } | null;
  /** Why the server rejected the value (400), in its words. */
  error?: string;
}

export interface QueueState {
  ops: PendingOp[];
  /** Last revision this browser knows per question (from the page or a successful save). */
  revisions: Record<string, number>;
  /**
   * What this browser last saved, per question, while it is newer than the page the server rendered:
   * a page reloaded offline (served from the service worker's copy) may predate those saves.
   */
  saved: Record<string, { fields: AnswerFields; revision: number }>;
}

/** The part of the Web Storage API the queue uses (localStorage in the browser, a Map in tests). */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export type OpIdFactory = () => string;

/** A stored answer as the fields of the form. */
export function answerFieldsOf(answer: AnswerDto): AnswerFields {
  const fields: AnswerFields = { value: answer.value };
  if (answer.note) fields.note = answer.note;
  if (answer.source) fields.source = answer.source;
  if (answer.evidence) fields.evidence = answer.evidence;
  return fields;
}

/** Mine, with the other version's note, source and evidence where mine has none. */
export function keptFields(mine: AnswerFields, theirs: AnswerDto): AnswerFields {
  const kept: AnswerFields = { ...mine };
  if (kept.note === undefined && theirs.note) kept.note = theirs.note;
  if (kept.source === undefined && theirs.source) kept.source = theirs.source;
  if (kept.evidence === undefined && theirs.evidence) kept.evidence = theirs.evidence;
  return kept;
}

const emptyState = (): QueueState => ({ ops: [], revisions: {}, saved: {} });

export class PendingQueue {
  /**
   * Revisions this page knows (rendered, or returned by its own saves), held in memory too: another tab
   * may wipe localStorage (sign-out forgets saved copies), and a base revision must never fall back to
   * 0 because of that — it would invent a conflict with the expert's own earlier save.
   */
  private readonly known = new Map<string, number>();

  constructor(
    private readonly store: KeyValueStore,
    readonly key: string,
    private readonly newOpId: OpIdFactory,
    private readonly now: () => Date = () => new Date(),
  ) {}

  read(): QueueState {
    const raw = this.store.getItem(this.key);
    if (!raw) return emptyState();
    try {
      const parsed = JSON.parse(raw) as Partial<QueueState>;
      return { ops: Array.isArray(parsed.ops) ? parsed.ops : [], revisions: parsed.revisions ?? {}, saved: parsed.saved ?? {} };
    } catch {
      // A corrupt entry cannot be repaired; keep a copy for support rather than overwrite it silently.
      this.store.setItem(`${this.key}.corrupt.${this.now().getTime()}`, raw);
      return emptyState();
    }
  }

  private update<T>(change: (state: QueueState) => T): T {
    const state = this.read();
    const result = change(state);
    if (state.ops.length === 0 && Object.keys(state.revisions).length === 0 && Object.keys(state.saved).length === 0) this.store.removeItem(this.key);
    else this.store.setItem(this.key, JSON.stringify(state));
    return result;
  }

  /**
   * Revisions the page rendered; a newer one already known to this browser wins. Returns the answers
   * this browser saved after the page was rendered (the page must show them); copies the page has
   * caught up with are dropped.
   */
  learnRevisions(rendered: Record<string, number>): Map<string, AnswerFields> {
    return this.update((state) => {
      const newer = new Map<string, AnswerFields>();
      for (const [questionId, revision] of Object.entries(rendered)) {
        this.known.set(questionId, Math.max(revision, this.known.get(questionId) ?? 0));
        state.revisions[questionId] = Math.max(revision, state.revisions[questionId] ?? 0);
        const copy = state.saved[questionId];
        if (copy && copy.revision > revision) newer.set(questionId, copy.fields);
        else delete state.saved[questionId];
      }
      return newer;
    });
  }

  revisionOf(questionId: string): number {
    return Math.max(this.read().revisions[questionId] ?? 0, this.known.get(questionId) ?? 0);
  }

  /**
   * Records the question's current fields. `savedKey` is answerKey() of what the server holds: a change
   * back to it cancels an unsent operation instead of sending a no-op.
   */
  record(questionId: string, fields: AnswerFields, savedKey: string | undefined): void {
    this.update((state) => {
      const mine = state.ops.filter((op) => op.questionId === questionId);
      const last = mine[mine.length - 1];
      // An edit that arrives while a conflict on this question awaits the expert's decision belongs to
      // the expert's version in that decision: it must not slip past it as a separate write.
      if (last?.state === 'conflict') {
        last.fields = fields;
        return;
      }
      const editable = last && last.baseRevision === null;
      if (editable && mine.length === 1 && answerKey(fields) === savedKey) {
        state.ops = state.ops.filter((op) => op !== last);
        return;
      }
      if (editable) {
        last.fields = fields;
        last.state = 'waiting';
        delete last.error;
        return;
      }
      if (!last && answerKey(fields) === savedKey) return;
      state.ops.push({ opId: this.newOpId(), questionId, fields, baseRevision: null, state: 'waiting', attempts: 0, createdAt: this.now().toISOString() });
    });
  }

  /** The next operation to send: the oldest waiting one whose question has no earlier operation pending. */
  next(): PendingOp | undefined {
    const { ops } = this.read();
    const blocked = new Set<string>();
    for (const op of ops) {
      if (!blocked.has(op.questionId) && op.state === 'waiting' && op.fields.value !== undefined) return op;
      blocked.add(op.questionId);
    }
    return undefined;
  }

  /** Freezes the operation for sending and returns the request body. */
  beginSend(opId: string): { op: PendingOp; baseRevision: number } | undefined {
    return this.update((state) => {
      const op = state.ops.find((candidate) => candidate.opId === opId);
      if (!op) return undefined;
      op.baseRevision ??= Math.max(state.revisions[op.questionId] ?? 0, this.known.get(op.questionId) ?? 0);
      op.attempts += 1;
      return { op: { ...op }, baseRevision: op.baseRevision };
    });
  }

  succeeded(opId: string, revision: number): void {
    this.update((state) => {
      const op = state.ops.find((candidate) => candidate.opId === opId);
      if (!op) return;
      state.ops = state.ops.filter((candidate) => candidate !== op);
      if (revision >= (state.revisions[op.questionId] ?? 0)) state.saved[op.questionId] = { fields: op.fields, revision };
      state.revisions[op.questionId] = Math.max(revision, state.revisions[op.questionId] ?? 0);
      this.known.set(op.questionId, Math.max(revision, this.known.get(op.questionId) ?? 0));
    });
  }

  /**
   * The server holds a newer answer. Later unsent edits of the same question fold into this operation,
   * so the expert compares one version of theirs with the server's and nothing is lost in between.
   */
  conflicted(opId: string, theirs: AnswerDto | null, theirsAuthor: { name: string; role: string } | null = null): void {
    this.update((state) => {
      const op = state.ops.find((candidate) => candidate.opId === opId);
      if (!op) return;
      const later = state.ops.filter((candidate) => candidate.questionId === op.questionId && candidate !== op);
      const latest = later[later.length - 1];
      if (latest) op.fields = latest.fields;
      state.ops = state.ops.filter((candidate) => !later.includes(candidate));
      op.state = 'conflict';
      op.theirs = theirs;
      op.theirsAuthor = theirsAuthor;
    });
  }

  /**
   * The expert keeps their version: it is sent again on top of the server's revision. A note, source or
   * evidence the expert left empty keeps the other person's: nothing of theirs is dropped silently.
   */
  keepMine(opId: string): void {
    this.update((state) => {
      const op = state.ops.find((candidate) => candidate.opId === opId);
      if (!op) return;
      if (op.theirs) op.fields = keptFields(op.fields, op.theirs);
      state.revisions[op.questionId] = op.theirs?.revision ?? 0;
      this.known.set(op.questionId, op.theirs?.revision ?? 0);
      op.opId = this.newOpId();
      op.baseRevision = null;
      op.state = 'waiting';
      op.attempts = 0;
      delete op.theirs;
      delete op.theirsAuthor;
    });
  }

  /** The expert takes the server's version: their changes to this question are withdrawn, by their explicit choice. */
  takeTheirs(opId: string): void {
    this.update((state) => {
      const op = state.ops.find((candidate) => candidate.opId === opId);
      if (!op) return;
      state.ops = state.ops.filter((candidate) => candidate.questionId !== op.questionId);
      state.revisions[op.questionId] = op.theirs?.revision ?? 0;
      this.known.set(op.questionId, op.theirs?.revision ?? 0);
      if (op.theirs) state.saved[op.questionId] = { fields: answerFieldsOf(op.theirs), revision: op.theirs.revision };
    });
  }

  /** The server refused the value (400): kept, marked, not retried until the expert edits it. */
  rejected(opId: string, error: string): void {
    this.update((state) => {
      const op = state.ops.find((candidate) => candidate.opId === opId);
      if (!op) return;
      op.state = 'rejected';
      op.error = error;
      // Never applied: an edit may reuse it with a fresh base revision.
      op.baseRevision = null;
      op.opId = this.newOpId();
    });
  }

  ops(): PendingOp[] {
    return this.read().ops;
  }

  /** The operation of a question waiting for the expert's decision, if any. */
  conflictOf(questionId: string): PendingOp | undefined {
    return this.read().ops.find((op) => op.questionId === questionId && op.state === 'conflict');
  }
}
