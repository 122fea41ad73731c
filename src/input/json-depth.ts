// Nesting depth of JSON text, in one pass over the characters with early exit: JSON strings are the
// only place where brackets do not count, and they are unambiguous. Checked before any parser that
// recurses per level sees the text.

export interface JsonTooDeep {
  readonly offset: number;
}

export function findJsonTooDeep(text: string, maxDepth: number): JsonTooDeep | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // Skip the string: up to the next quote not escaped by a backslash.
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c) i++;
        else if (d === 0x22) break;
      }
    } else if (c === 0x5b || c === 0x7b) {
      depth += 1;
      if (depth > maxDepth) return { offset: i };
    } else if (c === 0x5d || c === 0x7d) {
      depth = Math.max(0, depth - 1);
    }
  }
  return undefined;
}
