// Maps a path in the parsed data back to a line and column of the YAML text.

import { isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

/**
 * The position of the node at `path`. When the path does not exist in the text (a missing key, a
 * default), the deepest existing ancestor is used. For `keyOf` (unknown keys) the key itself is used.
 */
export function locatePath(
  doc: Document,
  lineCounter: LineCounter,
  path: readonly PropertyKey[],
  keyOf?: string,
): SourcePosition {
  let node: unknown = doc.contents;
  let offset = rangeStart(node) ?? 0;
  for (const segment of path) {
    const child = childOf(node, segment);
    if (child === undefined) break;
    node = child.value;
    offset = rangeStart(child.value) ?? child.keyOffset ?? offset;
  }
  if (keyOf !== undefined && isMap(node)) {
    const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === keyOf);
    const keyStart = pair !== undefined ? rangeStart(pair.key) : undefined;
    if (keyStart !== undefined) offset = keyStart;
  }
  const pos = lineCounter.linePos(offset);
  return { line: pos.line, column: pos.col };
}

function childOf(node: unknown, segment: PropertyKey): { value: unknown; keyOffset: number | undefined } | undefined {
  if (isMap(node)) {
    const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment));
    if (pair === undefined) return undefined;
    return { value: pair.value, keyOffset: rangeStart(pair.key) };
  }
  if (isSeq(node) && typeof segment === 'number') {
    const item = node.items[segment];
    return item === undefined ? undefined : { value: item, keyOffset: undefined };
  }
  return undefined;
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return Array.isArray(range) ? range[0] : undefined;
}
