import { describe, expect, it } from 'vitest';
import { Autosaver, type SaveStatus } from './autosave.js';
import { PendingQueue, type KeyValueStore, type PendingOp } from './pendingQueue.js';

class MemoryStore implements KeyValueStore {
  readonly items = new Map<string, string>();
  getItem(key: string): string | null { return this.items.get(key) ?? null; }
  setItem(key: string, value: string): void { this.items.set(key, value); }
  removeItem(key: string): void { this.items.delete(key); }
}

interface Sent { url: string; body: Record<string, unknown>; csrf: string | null }

/** A scripted server: each call takes the next reply (a Response, or an Error for a network failure). */
function harness(replies: (Response | Error)[], options: { renewSession?: () => Promise<boolean>; store?: MemoryStore } = {}) {
  let n = 0;
  let token = 'token-1';
  const queue = new PendingQueue(options.store ?? new MemoryStore(), 'k', () => `op-${++n}`);
  const sent: Sent[] = [];
  const timers: { ms: number; run: () => void }[] = [];
  const events = { statuses: [] as SaveStatus[], saved: [] as [string, number][], conflicts: [] as PendingOp[], rejected: [] as string[] };
  const saver = new Autosaver(queue, {
    assessmentId: '7',
    csrfToken: () => token,
    random: () => 1,
    ...(options.renewSession ? { renewSession: async () => {
      const renewed = await options.renewSession?.();
      if (renewed) token = 'token-2';
      return renewed ?? false;
    } } : {}),
    setTimer: (run, ms) => timers.push({ ms, run }),
    clearTimer: () => undefined,
    fetch: async (url, init) => {
      const headers = new Headers(init?.headers);
      sent.push({ url: String(url), body: JSON.parse(String(init?.body)) as Record<string, unknown>, csrf: headers.get('x-csrf-token') });
      const reply = replies.shift();
      if (!reply || reply instanceof Error) throw reply ?? new Error('no reply scripted');
      return reply;
    },
    events: {
      status: (status) => events.statuses.push(status),
      saved: (op, revision) => events.saved.push([op.questionId, revision]),
      conflict: (op) => events.conflicts.push(op),
      rejected: (_op, message) => events.rejected.push(message),
    },
  });
  const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
  return { queue, saver, sent, timers, events, settle };
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('autosave', () => {
  it('sends each change with its base revision, op id and CSRF token, in order', async () => {
    const h = harness([json(200, { revision: 1 }), json(200, { revision: 4 })]);
    h.queue.learnRevisions({ a: 0, b: 3 });
    h.queue.record('a', { value: 'yes', note: 'n' }, undefined);
    h.queue.record('b', { value: 2 }, undefined);
    h.saver.kick();
    await h.settle();
    expect(h.sent).toEqual([
      { url: '/api/assessments/7/answers/a', body: { value: 'yes', note: 'n', baseRevision: 0, opId: 'op-1' }, csrf: 'token-1' },
      { url: '/api/assessments/7/answers/b', body: { value: 2, baseRevision: 3, opId: 'op-2' }, csrf: 'token-1' },
    ]);
    expect(h.events.saved).toEqual([['a', 1], ['b', 4]]);
    expect(h.saver.status()).toEqual({ kind: 'saved' });
  });

  it('retries with growing delays while the network is down, then resends the same operation', async () => {
    const h = harness([new TypeError('Failed to fetch'), new TypeError('Failed to fetch'), json(200, { revision: 1 })]);
    h.queue.record('a', { value: 'yes' }, undefined);
    h.saver.kick();
    await h.settle();
    expect(h.saver.status()).toEqual({ kind: 'offline', waiting: 1 });
    expect(h.timers.map((t) => t.ms)).toEqual([1000]);
    h.timers[0]?.run();
    await h.settle();
    expect(h.timers.map((t) => t.ms)).toEqual([1000, 2000]);
    h.timers[1]?.run();
    await h.settle();
    expect(h.sent.map((s) => s.body.opId)).toEqual(['op-1', 'op-1', 'op-1']);
    expect(h.saver.status()).toEqual({ kind: 'saved' });
  });

  it('turns a 409 into a conflict for the expert and keeps sending other questions', async () => {
    const current = { questionId: 'a', value: 'no', note: null, source: null, evidence: null, revision: 2, authorId: 9, updatedAt: '2025-01-01T00:00:00.000Z' };
    const h = harness([json(409, { error: { code: 'conflict', message: 'changed', details: [] }, current }), json(200, { revision: 1 })]);
    h.queue.record('a', { value: 'yes' }, undefined);
    h.queue.record('b', { value: 1 }, undefined);
    h.saver.kick();
    await h.settle();
    expect(h.events.conflicts).toEqual([expect.objectContaining({ questionId: 'a', theirs: current, fields: { value: 'yes' } })]);
    expect(h.events.saved).toEqual([['b', 1]]);
    expect(h.saver.status()).toEqual({ kind: 'attention', conflicts: 1, rejected: 0, waiting: 0 });
  });

  it('marks a value the server rejects and does not retry it', async () => {
    const h = harness([json(400, { error: { code: 'validation_failed', message: 'The answer to a is not valid.', details: [{ path: 'value', message: 'must be at least 0' }] } })]);
    h.queue.record('a', { value: -1 }, undefined);
    h.saver.kick();
    await h.settle();
    expect(h.events.rejected).toEqual(['The answer to a is not valid. value: must be at least 0']);
    expect(h.timers).toEqual([]);
    expect(h.queue.ops()[0]?.state).toBe('rejected');
  });

  it('stops on 401 and keeps the change for after the next sign-in', async () => {
    const h = harness([json(401, { error: { code: 'unauthenticated', message: 'Sign in first', details: [] } })]);
    h.queue.record('a', { value: 'yes' }, undefined);
    h.saver.kick();
    await h.settle();
    expect(h.saver.status()).toEqual({ kind: 'signedOut', waiting: 1 });
    expect(h.queue.ops()).toHaveLength(1);
  });

  it('picks up a session signed in again in another tab: renews the CSRF token and sends on', async () => {
    const h = harness([json(403, { error: { code: 'csrf_failed', message: 'token', details: [] } }), json(200, { revision: 1 })], { renewSession: async () => true });
    h.queue.record('a', { value: 'yes' }, undefined);
    h.saver.kick();
    await h.settle();
    expect(h.sent.map((s) => [s.body.opId, s.csrf])).toEqual([['op-1', 'token-1'], ['op-1', 'token-2']]);
    expect(h.saver.status()).toEqual({ kind: 'saved' });
  });

  it('stops when the session cannot be renewed, and resumes when the expert comes back', async () => {
    let signedIn = false;
    const h = harness([json(401, { error: { code: 'unauthenticated', message: 'Sign in first', details: [] } }), json(200, { revision: 1 })], { renewSession: async () => signedIn });
    h.queue.record('a', { value: 'yes' }, undefined);
    h.saver.kick();
    await h.settle();
    expect(h.saver.status()).toEqual({ kind: 'signedOut', waiting: 1 });
    signedIn = true;
    h.saver.resume();
    await h.settle();
    await h.settle();
    expect(h.saver.status()).toEqual({ kind: 'saved' });
  });

  it('does not invent a conflict when the server already holds the same version', async () => {
    const current = { questionId: 'a', value: 'yes', note: 'n', source: null, evidence: null, revision: 3, authorId: 1, updatedAt: '2025-01-01T00:00:00.000Z' };
    const h = harness([json(409, { error: { code: 'conflict', message: 'changed', details: [] }, current })]);
    h.queue.record('a', { value: 'yes', note: 'n' }, undefined);
    h.saver.kick();
    await h.settle();
    expect(h.events.conflicts).toEqual([]);
    expect(h.events.saved).toEqual([['a', 3]]);
    expect(h.queue.revisionOf('a')).toBe(3);
  });

  it('keeps the page\'s base revision when another tab wiped the browser\'s record (sign-out elsewhere)', async () => {
    const store = new MemoryStore();
    const h = harness([json(200, { revision: 6 })], { store });
    h.queue.learnRevisions({ a: 5 });
    // Signing out in another tab drops everything the browser kept only for display.
    store.items.clear();
    h.queue.record('a', { value: 'no' }, 'other');
    h.saver.kick();
    await h.settle();
    expect(h.sent[0]?.body.baseRevision).toBe(5);
    expect(h.events.saved).toEqual([['a', 6]]);
  });
});
