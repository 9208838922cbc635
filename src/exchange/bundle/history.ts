/**
 * Identity of answer revisions across installations. Revision numbers are local counters: two laptops
 * both write "revision 4" of the same answer. An entry's fingerprint hashes what it says, who wrote it
 * and when, so the same revision copied between installations keeps its identity and two different
 * revisions with the same number do not.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../canonicalJson.js';
import type { HistoryEntry } from './model.js';

export function fingerprint(entry: HistoryEntry): string {
  // opId is left out: it is transport metadata, and a copied revision may lose it (see merge.ts).
  const content = [entry.revision, entry.value, entry.note, entry.source, entry.evidence, entry.author, entry.createdAt];
  return createHash('sha256').update(canonicalJson(content)).digest('hex');
}

/** How many leading entries two chains share. */
export function commonPrefixLength(a: readonly string[], b: readonly string[]): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n += 1;
  return n;
}

/** True when `prefix` is the start of `chain` (or all of it). */
export function startsWith(chain: readonly string[], prefix: readonly string[]): boolean {
  return prefix.length <= chain.length && commonPrefixLength(chain, prefix) === prefix.length;
}
