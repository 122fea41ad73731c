// Positions of paths in JSON text, found in one streaming pass (jsonc-parser's visitor) that skips
// every object and list no wanted path goes through: no tree is built, so a large snapshot with many
// issues costs one scan. Only used on text that JSON.parse accepted and whose depth was checked.

import { visit, type JSONPath } from 'jsonc-parser';
import type { Locator, Place, SourcePosition } from './places.js';
import { NO_POSITION } from './places.js';

export function jsonLocator(text: string): Locator {
  return (places) => {
    const wanted = new Set<string>();
    const wantedKeys = new Set<string>();
    for (const place of places) {
      for (let n = 0; n <= place.path.length; n++) wanted.add(encode(place.path.slice(0, n)));
      if (place.key !== undefined) wantedKeys.add(encode([...place.path, place.key]));
    }
    const values = new Map<string, SourcePosition>();
    const keys = new Map<string, SourcePosition>();
    const atValue = (line: number, character: number, pathOf: () => JSONPath): boolean => {
      const path = encode(pathOf());
      if (!wanted.has(path)) return false;
      values.set(path, { line: line + 1, column: character + 1 });
      return true;
    };
    visit(
      text,
      {
        onObjectBegin: (_o, _l, line, character, pathOf) => atValue(line, character, pathOf),
        onArrayBegin: (_o, _l, line, character, pathOf) => atValue(line, character, pathOf),
        // Needed although empty: jsonc-parser counts a skipped object or list as ended only through
        // these; without them everything after the first skipped one is skipped too.
        onObjectEnd: () => undefined,
        onArrayEnd: () => undefined,
        onLiteralValue: (_v, _o, _l, line, character, pathOf) => void atValue(line, character, pathOf),
        onObjectProperty: (property, _o, _l, line, character, pathOf) => {
          const path = encode([...pathOf(), property]);
          if (wantedKeys.has(path)) keys.set(path, { line: line + 1, column: character + 1 });
        },
      },
      { disallowComments: true, allowTrailingComma: false },
    );
    return places.map((place) => locateOne(place, values, keys));
  };
}

function locateOne(place: Place, values: ReadonlyMap<string, SourcePosition>, keys: ReadonlyMap<string, SourcePosition>): SourcePosition {
  if (place.key !== undefined) {
    const key = keys.get(encode([...place.path, place.key]));
    if (key !== undefined) return key;
  }
  for (let n = place.path.length; n >= 0; n--) {
    const pos = values.get(encode(place.path.slice(0, n)));
    if (pos !== undefined) return pos;
  }
  return NO_POSITION;
}

function encode(path: readonly PropertyKey[]): string {
  return JSON.stringify(path.map(String));
}
