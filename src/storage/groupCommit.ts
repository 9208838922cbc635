/**
 * The queue of a group commit, shared by writeBatcher.ts (Kysely, both engines) and sqliteWriter.ts
 * (prepared statements on SQLite): every item that arrives while a batch is committing joins the next
 * batch, and each caller is answered only after the commit holding its item has returned — a commit
 * that fails answers every item of its batch with a failure, since none of them is stored.
 */
export type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/**
 * Runs `items` in one transaction, pushing one outcome per item in order (a failed item rolled back
 * alone), and returns once the transaction has committed; throws if it did not.
 */
export type CommitBatch<W> = (items: readonly W[], outcomes: Outcome[]) => Promise<void>;

interface Pending<W> {
  work: W;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

export class GroupCommit<W> {
  private queue: Pending<W>[] = [];
  private flushing = false;
  /** Largest batch committed so far (reported by tests and the benchmark). */
  largestBatch = 0;

  constructor(private readonly commit: CommitBatch<W>, private readonly maxBatch = 500) {}

  /** Runs `work` in the next batch; settles after that batch's commit. */
  run<T>(work: W): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.flushing || this.queue.length === 0) return;
    this.flushing = true;
    // After the current I/O callbacks: requests that arrived meanwhile join this batch.
    setImmediate(() => void this.flush());
  }

  private async flush(): Promise<void> {
    const batch = this.queue.splice(0, this.maxBatch);
    this.largestBatch = Math.max(this.largestBatch, batch.length);
    const outcomes: Outcome[] = [];
    try {
      await this.commit(batch.map((item) => item.work), outcomes);
      batch.forEach((item, i) => {
        const outcome = outcomes[i];
        if (outcome?.ok) item.resolve(outcome.value);
        else item.reject(outcome?.error);
      });
    } catch (commitError) {
      // The commit failed: nothing in this batch is stored, so nobody may be told it is.
      batch.forEach((item, i) => {
        const outcome = outcomes[i];
        item.reject(outcome && !outcome.ok ? outcome.error : commitError);
      });
    } finally {
      this.flushing = false;
      this.schedule();
    }
  }
}
