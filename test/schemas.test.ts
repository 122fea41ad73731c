import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateJsonSchemas } from '../src/schemas/json-schemas.js';
import { parseSnapshotText } from '../src/snapshot/parse-snapshot.js';

describe('committed JSON Schemas', () => {
  it('are up to date with the zod sources (run `npm run schemas` after changing them)', () => {
    for (const s of generateJsonSchemas()) expect(readFileSync(s.file, 'utf8'), s.file).toBe(s.content);
  });

  it('example snapshots parse', () => {
    const files = readdirSync('examples/snapshots').filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const r = parseSnapshotText(readFileSync(`examples/snapshots/${f}`, 'utf8'), f);
      expect(r.ok ? [] : r.issues, f).toEqual([]);
    }
  });
});
