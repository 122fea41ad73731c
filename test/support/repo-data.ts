// Paths into the repository: its root, and the recorded real data in data/ (provenance and licences in
// data/*/SOURCES.md). Tests and benchmarks find the data through here, never outside the clone.

import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DATA_DIR = resolve(REPO_ROOT, 'data');

/** Absolute path of a file under data/; a missing file is an error naming it. */
export function dataPath(...parts: string[]): string {
  const p = resolve(DATA_DIR, ...parts);
  if (!existsSync(p)) throw new Error(`repository data file missing: ${p} (see data/README.md)`);
  return p;
}
