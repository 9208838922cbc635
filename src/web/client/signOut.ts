/**
 * Signing out keeps unsent answers in this browser (they are sent after the next sign-in), but the
 * expert should know they exist before walking away from a shared computer.
 */
import type { QueueState } from './pendingQueue.js';

export function countUnsent(storage: Storage): number {
  let count = 0;
  for (let i = 0; i < storage.length; i += 1) {
    const key = storage.key(i);
    if (!key?.startsWith('ena.pending.') || key.includes('.corrupt.')) continue;
    try {
      count += (JSON.parse(storage.getItem(key) ?? '{}') as Partial<QueueState>).ops?.length ?? 0;
    } catch {
      count += 1;
    }
  }
  return count;
}

/**
 * Removes what the browser keeps only for display (copies of saved answers, known revisions), so that
 * after sign-out the answers of a real state stay on this computer only while they are still unsent.
 */
export function forgetSavedCopies(storage: Storage): void {
  const keys: string[] = [];
  for (let i = 0; i < storage.length; i += 1) {
    const key = storage.key(i);
    if (key?.startsWith('ena.pending.') && !key.includes('.corrupt.')) keys.push(key);
  }
  for (const key of keys) {
    try {
      const state = JSON.parse(storage.getItem(key) ?? '{}') as Partial<QueueState>;
      if (!state.ops || state.ops.length === 0) storage.removeItem(key);
      else storage.setItem(key, JSON.stringify({ ops: state.ops, revisions: state.revisions ?? {}, saved: {} }));
    } catch {
      // A corrupt entry is left for support to look at; it is never sent.
    }
  }
}

export function guardSignOut(root: Document): void {
  const button = root.querySelector<HTMLButtonElement>('[data-sign-out]');
  const message = button?.dataset.unsentWarning;
  if (!button || !message) return;
  button.form?.addEventListener('submit', (event) => {
    const unsent = countUnsent(window.localStorage);
    if (unsent > 0 && !window.confirm(message.replace('{{n}}', String(unsent)))) {
      event.preventDefault();
      return;
    }
    forgetSavedCopies(window.localStorage);
  });
}
