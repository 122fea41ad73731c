// Exact nesting depth of a parsed YAML CST, walked with an explicit stack (the CST may be deeper than
// the call stack allows): the last check before yaml's composer, which recurses once per level.

import type { CST } from 'yaml';

export interface TooDeep {
  readonly offset: number;
}

/** The first token deeper than `maxDepth` levels of collections, or undefined. */
export function findTooDeep(root: CST.Token, maxDepth: number): TooDeep | undefined {
  const stack: { token: CST.Token; depth: number }[] = [{ token: root, depth: 0 }];
  for (let entry = stack.pop(); entry !== undefined; entry = stack.pop()) {
    const { token, depth } = entry;
    if (depth > maxDepth) return { offset: 'offset' in token ? token.offset : 0 };
    if (token.type === 'document') {
      if (token.value !== undefined) stack.push({ token: token.value, depth });
      continue;
    }
    if (token.type === 'block-map' || token.type === 'block-seq' || token.type === 'flow-collection') {
      for (const item of token.items) {
        if ('key' in item && item.key !== undefined && item.key !== null) stack.push({ token: item.key, depth: depth + 1 });
        if (item.value !== undefined) stack.push({ token: item.value, depth: depth + 1 });
      }
    }
  }
  return undefined;
}
