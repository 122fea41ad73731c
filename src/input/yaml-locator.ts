// Positions of paths in a composed YAML document. Each mapping's keys are indexed the first time a
// path goes through it, so locating many issues (100,000 unknown keys) stays linear in the document.

import { isMap, isScalar, isSeq, type Document, type LineCounter, type Node, type Pair } from 'yaml';
import { NO_POSITION, type Locator, type Place, type SourcePosition } from './places.js';

type AnyPair = Pair<unknown, unknown>;

export function yamlLocator(doc: Document, lineCounter: LineCounter): Locator {
  const keyIndexes = new WeakMap<object, Map<string, AnyPair>>();
  const pairOf = (map: { items: AnyPair[] }, key: string): AnyPair | undefined => {
    let index = keyIndexes.get(map);
    if (index === undefined) {
      index = new Map();
      for (const pair of map.items) {
        const k = keyText(pair.key);
        if (k !== undefined && !index.has(k)) index.set(k, pair);
      }
      keyIndexes.set(map, index);
    }
    return index.get(key);
  };

  const locateOne = (place: Place): SourcePosition => {
    let node: unknown = doc.contents;
    let offset = rangeStart(node);
    for (const segment of place.path) {
      let child: unknown;
      let keyOffset: number | undefined;
      if (isMap(node)) {
        const pair = pairOf(node, String(segment));
        child = pair?.value;
        keyOffset = rangeStart(pair?.key);
        if (pair === undefined) break;
      } else if (isSeq(node) && /^\d+$/.test(String(segment))) {
        child = node.items[Number(segment)];
        if (child === undefined) break;
      } else break;
      node = child;
      // A key with no value (`key:`) has an empty value node (or none): the key is the place.
      offset = (isEmpty(child) ? undefined : rangeStart(child)) ?? keyOffset ?? offset;
    }
    if (place.key !== undefined && isMap(node)) offset = rangeStart(pairOf(node, place.key)?.key) ?? offset;
    if (offset === undefined) return NO_POSITION;
    const pos = lineCounter.linePos(offset);
    return { line: pos.line, column: pos.col };
  };

  return (places) => places.map(locateOne);
}

export function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return key.value === null ? '' : String(key.value);
  return undefined;
}

function isEmpty(node: unknown): boolean {
  const range = (node as Node | null | undefined)?.range;
  return !Array.isArray(range) || range[0] === range[1];
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return Array.isArray(range) ? range[0] : undefined;
}
