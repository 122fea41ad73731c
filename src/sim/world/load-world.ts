// Reads and validates a world file (by default the committed src/sim/world/world.json).

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { FileReadError } from '../../app/errors.js';
import { checkWorld } from './check-world.js';
import { WorldFileError, type WorldIssue } from './errors.js';
import { worldSchema, type World } from './world-schema.js';

export const COMMITTED_WORLD_FILE = fileURLToPath(new URL('./world.json', import.meta.url));

export type ParseWorldResult = { readonly ok: true; readonly world: World } | { readonly ok: false; readonly issues: readonly WorldIssue[] };

/** Validates parsed JSON as a world: the schema first, then the cross-checks. Collects every issue. */
export function parseWorld(value: unknown): ParseWorldResult {
  const parsed = worldSchema.safeParse(value);
  if (!parsed.success) {
    return { ok: false, issues: parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })) };
  }
  const issues = checkWorld(parsed.data);
  return issues.length > 0 ? { ok: false, issues } : { ok: true, world: parsed.data };
}

/** @throws FileReadError when the file cannot be read; WorldFileError when it is not a valid world. */
export function loadWorld(file: string = COMMITTED_WORLD_FILE): World {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new FileReadError(file, err);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new WorldFileError(file, [{ path: '', message: `not JSON (${err instanceof Error ? err.message : String(err)})` }]);
  }
  const result = parseWorld(json);
  if (!result.ok) throw new WorldFileError(file, result.issues);
  return result.world;
}
