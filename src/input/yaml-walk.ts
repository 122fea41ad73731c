// One pass over a composed YAML document, in document order and with an explicit stack (the depth was
// checked before, but no recursion is needed): aliases that point nowhere or into their own node, too
// many aliases, keys that are not plain values or that reach the object prototype (errors), and plain
// words that YAML 1.1 tools read as booleans (warnings).

import { isAlias, isMap, isPair, isScalar, isSeq, Scalar, type Document, type Node } from 'yaml';
import { clip } from './describe-value.js';
import { forbiddenKeyMessage, isForbiddenKey } from './forbidden-keys.js';
import type { Finding, Place, SourcePosition } from './places.js';
import { keyText } from './yaml-locator.js';
import { readsAsYaml11Boolean, yaml11BooleanMessage } from './yaml11-booleans.js';

export interface YamlWalkResult {
  readonly errors: readonly Finding[];
  readonly warnings: readonly Finding[];
}

type Step =
  | { readonly kind: 'enter'; readonly node: unknown; readonly path: readonly PropertyKey[]; readonly keyPlace?: Place }
  | { readonly kind: 'leave'; readonly anchor: string };

/** `positionOf`: line and column of a text offset (for places a path cannot name, such as a second key). */
export function walkYamlDocument(doc: Document, maxAliases: number, positionOf: (offset: number) => SourcePosition): YamlWalkResult {
  const errors: Finding[] = [];
  const warnings: Finding[] = [];
  const anchorsSeen = new Set<string>();
  const openAnchors = new Map<string, number>(); // anchors on the current node's ancestors
  let aliases = 0;

  const stack: Step[] = [{ kind: 'enter', node: doc.contents, path: [] }];
  for (let step = stack.pop(); step !== undefined; step = stack.pop()) {
    if (step.kind === 'leave') {
      const n = (openAnchors.get(step.anchor) ?? 1) - 1;
      if (n === 0) openAnchors.delete(step.anchor);
      else openAnchors.set(step.anchor, n);
      continue;
    }
    const { node, path } = step;
    const place: Place = step.keyPlace ?? { path };
    if (isAlias(node)) {
      aliases += 1;
      if (aliases > maxAliases) {
        errors.push({ severity: 'error', place, message: `more than ${maxAliases} YAML aliases: write the values out` });
        break;
      }
      if (!anchorsSeen.has(node.source)) {
        errors.push({ severity: 'error', place, message: `alias *${clip(node.source)} refers to no anchor &${clip(node.source)} defined before it` });
      } else if (openAnchors.has(node.source)) {
        errors.push({ severity: 'error', place, message: `alias *${clip(node.source)} refers to the node that contains it (a cycle)` });
      }
      continue;
    }
    const anchor = (node as { anchor?: unknown } | null)?.anchor;
    if (typeof anchor === 'string') {
      anchorsSeen.add(anchor);
      openAnchors.set(anchor, (openAnchors.get(anchor) ?? 0) + 1);
      stack.push({ kind: 'leave', anchor });
    }
    if (isScalar(node)) {
      if (node.type === Scalar.PLAIN && typeof node.value === 'string' && readsAsYaml11Boolean(node.value)) {
        warnings.push({ severity: 'warning', place, message: yaml11BooleanMessage(node.value) });
      }
    } else if (isMap(node)) {
      const children: Step[] = [];
      const keys = new Set<string>();
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const key = keyText(pair.key);
        if (key === undefined) {
          errors.push({ severity: 'error', place: { path }, message: 'a key must be a plain value, not a mapping, list or alias' });
          continue;
        }
        if (keys.has(key)) {
          // Placed by position: the path names the first occurrence, which the locator would find.
          const at = (pair.key as Node).range?.[0];
          const position = at === undefined ? undefined : positionOf(at);
          errors.push({ severity: 'error', place: { path, key }, ...(position !== undefined ? { position } : {}), message: `duplicate key "${clip(key)}": keys must be unique` });
          continue;
        }
        keys.add(key);
        const keyPlace: Place = { path, key };
        if (isForbiddenKey(key)) errors.push({ severity: 'error', place: keyPlace, message: forbiddenKeyMessage(key) });
        children.push({ kind: 'enter', node: pair.key, path, keyPlace });
        children.push({ kind: 'enter', node: pair.value, path: [...path, key] });
      }
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
    } else if (isSeq(node)) {
      for (let i = node.items.length - 1; i >= 0; i--) stack.push({ kind: 'enter', node: node.items[i], path: [...path, i] });
    }
  }
  return { errors, warnings };
}
