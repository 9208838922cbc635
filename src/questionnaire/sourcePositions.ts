/**
 * Maps a path inside a parsed YAML document (as zod reports it) back to the file's line and column,
 * so that every error can say exactly where to look.
 */
import { isMap, isSeq, type Document, type LineCounter, type Node, isNode, isPair, isScalar } from 'yaml';

export type DocPath = readonly PropertyKey[];

export interface Position {
  line: number;
  column: number;
}

/** `sections[2].questions[4].text.ru` — the form authors see in error messages. */
export function formatPath(path: DocPath): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '(document)' : out;
}

function childNode(node: unknown, key: PropertyKey): { node: Node | undefined; keyNode: Node | undefined } {
  if (isMap(node)) {
    const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(key));
    if (!pair) return { node: undefined, keyNode: undefined };
    return { node: isNode(pair.value) ? pair.value : undefined, keyNode: isNode(pair.key) ? pair.key : undefined };
  }
  if (isSeq(node) && typeof key === 'number') {
    const item = node.items[key];
    return { node: isNode(item) ? item : undefined, keyNode: undefined };
  }
  return { node: undefined, keyNode: undefined };
}

/**
 * The position of the deepest node along `path` that exists. For a missing key this is its parent
 * (where the key should be added); with `atKey`, the position of the key itself rather than its value.
 */
export function positionOf(doc: Document, lines: LineCounter, path: DocPath, atKey = false): Position {
  let node: unknown = doc.contents;
  let best: Node | undefined = isNode(node) ? node : undefined;
  for (const [index, key] of path.entries()) {
    const child = childNode(node, key);
    if (!child.node && !child.keyNode) break;
    const isLast = index === path.length - 1;
    best = (isLast && atKey && child.keyNode) || child.node || child.keyNode || best;
    node = child.node;
  }
  const offset = best?.range?.[0] ?? 0;
  const { line, col } = lines.linePos(offset);
  return { line, column: col };
}
