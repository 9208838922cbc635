import { describe, expect, it } from 'vitest';
import type { AnswerDto } from '../../storage/answers.js';
import { answerKey } from './answerFields.js';
import { PendingQueue, type KeyValueStore } from './pendingQueue.js';

class MemoryStore implements KeyValueStore {
  readonly items = new Map<string, string>();
  getItem(key: string): string | null { return this.items.get(key) ?? null; }
  setItem(key: string, value: string): void { this.items.set(key, value); }
  removeItem(key: string): void { this.items.delete(key); }
}

function queue(store = new MemoryStore()): { queue: PendingQueue; store: MemoryStore } {
  let n = 0;
  return { queue: new PendingQueue(store, 'ena.pending.1.7', () => `op-${++n}`), store };
}

const theirs = (value: AnswerDto['value'], revision: number): AnswerDto => ({ questionId: 'q1', value, note: 'their note', source: null, evidence: null, revision, authorId: 2, updatedAt: '2025-01-01T00:00:00.000Z' });

describe('pending queue', () => {
  it('keeps every change in storage, so a new page (reload, reopened tab) finds it', () => {
    const { queue: first, store } = queue();
    first.learnRevisions({ q1: 0, q2: 3 });
    first.record('q1', { value: 'yes' }, undefined);
    first.record('q2', { value: 2, note: 'n' }, answerKey({ value: 1 }));
    const { queue: second } = queue(store);
    expect(second.ops().map((op) => [op.questionId, op.fields])).toEqual([['q1', { value: 'yes' }], ['q2', { value: 2, note: 'n' }]]);
    expect(second.revisionOf('q2')).toBe(3);
  });

  it('folds edits into an unsent operation and freezes it once sent, so a retry is the same write', () => {
    const { queue: q } = queue();
    q.record('q1', { value: 'a' }, undefined);
    q.record('q1', { value: 'ab' }, undefined);
    expect(q.ops()).toHaveLength(1);
    const sending = q.beginSend('op-1');
    expect(sending).toMatchObject({ baseRevision: 0, op: { fields: { value: 'ab' } } });
    q.record('q1', { value: 'abc' }, undefined);
    expect(q.ops().map((op) => [op.opId, op.fields.value, op.baseRevision])).toEqual([['op-1', 'ab', 0], ['op-2', 'abc', null]]);
    // A retry of the frozen operation keeps its id and base revision.
    expect(q.beginSend('op-1')).toMatchObject({ baseRevision: 0, op: { opId: 'op-1', attempts: 2 } });
    // The second operation waits for the first (same question), then builds on its revision.
    expect(q.next()?.opId).toBe('op-1');
    q.succeeded('op-1', 1);
    expect(q.next()?.opId).toBe('op-2');
    expect(q.beginSend('op-2')?.baseRevision).toBe(1);
  });

  it('drops an unsent change that returns to what the server holds', () => {
    const { queue: q } = queue();
    const saved = answerKey({ value: 'yes' });
    q.record('q1', { value: 'no' }, saved);
    q.record('q1', { value: 'yes' }, saved);
    expect(q.ops()).toEqual([]);
    q.record('q1', { value: 'yes' }, saved);
    expect(q.ops()).toEqual([]);
  });

  it('holds a note without an answer rather than sending or losing it', () => {
    const { queue: q } = queue();
    q.record('q1', { value: undefined, note: 'ask the ministry' }, undefined);
    expect(q.next()).toBeUndefined();
    expect(q.ops()[0]?.fields.note).toBe('ask the ministry');
    q.record('q1', { value: 'unknown', note: 'ask the ministry' }, undefined);
    expect(q.next()?.fields).toEqual({ value: 'unknown', note: 'ask the ministry' });
  });

  it('on a conflict, keeps the expert\'s latest version for the decision and sends nothing past it', () => {
    const { queue: q } = queue();
    q.record('q1', { value: 'a' }, undefined);
    q.beginSend('op-1');
    q.record('q1', { value: 'ab' }, undefined);
    q.conflicted('op-1', theirs('server', 4));
    expect(q.ops()).toEqual([expect.objectContaining({ opId: 'op-1', state: 'conflict', fields: { value: 'ab' } })]);
    q.record('q1', { value: 'abc' }, undefined);
    expect(q.ops()).toHaveLength(1);
    expect(q.conflictOf('q1')?.fields.value).toBe('abc');
    expect(q.next()).toBeUndefined();
    q.keepMine('op-1');
    const resend = q.next();
    expect(resend).toMatchObject({ state: 'waiting', fields: { value: 'abc' } });
    expect(resend?.opId).not.toBe('op-1');
    expect(q.beginSend(resend?.opId ?? '')?.baseRevision).toBe(4);
  });

  it('withdraws the expert\'s changes only when they take the server\'s version, and remembers it', () => {
    const { queue: q } = queue();
    q.learnRevisions({ q1: 1 });
    q.record('q1', { value: 'mine' }, undefined);
    q.beginSend('op-1');
    q.conflicted('op-1', theirs('server', 2));
    q.takeTheirs('op-1');
    expect(q.ops()).toEqual([]);
    expect(q.revisionOf('q1')).toBe(2);
    // A page rendered before the decision shows the server version from this browser's copy.
    expect(q.learnRevisions({ q1: 1 })).toEqual(new Map([['q1', { value: 'server', note: 'their note' }]]));
    expect(q.learnRevisions({ q1: 2 })).toEqual(new Map());
  });

  it('keeps a rejected value, marked, until the expert edits it', () => {
    const { queue: q } = queue();
    q.record('q1', { value: -5 }, undefined);
    q.beginSend('op-1');
    q.rejected('op-1', 'value: must be at least 0');
    expect(q.next()).toBeUndefined();
    expect(q.ops()[0]).toMatchObject({ state: 'rejected', error: 'value: must be at least 0', baseRevision: null });
    q.record('q1', { value: 5 }, undefined);
    expect(q.next()).toMatchObject({ state: 'waiting', fields: { value: 5 } });
  });

  it('keeps a corrupt entry aside instead of overwriting it silently', () => {
    const store = new MemoryStore();
    store.setItem('ena.pending.1.7', '{not json');
    const { queue: q } = queue(store);
    expect(q.ops()).toEqual([]);
    expect([...store.items.keys()].some((key) => key.startsWith('ena.pending.1.7.corrupt.'))).toBe(true);
  });
});

describe('keeping my version of a conflict', () => {
  it('keeps the other person\'s note, source and evidence where mine has none', async () => {
    const { keptFields } = await import('./pendingQueue.js');
    const theirs = { questionId: 'a', value: 'no', note: 'Their note', source: 'Their source', evidence: 'documented' as const, revision: 4, authorId: 2, updatedAt: '2025-01-01T00:00:00.000Z' };
    expect(keptFields({ value: 'yes', note: 'Mine' }, theirs)).toEqual({ value: 'yes', note: 'Mine', source: 'Their source', evidence: 'documented' });
  });
});
