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

export function guardSignOut(root: Document): void {
  const button = root.querySelector<HTMLButtonElement>('[data-sign-out]');
  const message = button?.dataset.unsentWarning;
  if (!button || !message) return;
  button.form?.addEventListener('submit', (event) => {
    const unsent = countUnsent(window.localStorage);
    if (unsent > 0 && !window.confirm(message.replace('{{n}}', String(unsent)))) event.preventDefault();
  });
}
