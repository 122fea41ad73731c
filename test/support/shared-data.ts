// Paths to the project's shared real data, which CI checks out beside the repository.

import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SHARED_DATA = resolve(REPO_ROOT, '..', 'shared', 'data');

export function sharedDataPath(...parts: string[]): string {
  const p = resolve(SHARED_DATA, ...parts);
  if (!existsSync(p)) throw new Error(`shared data file missing: ${p} (the shared/ folder must sit beside the repository)`);
  return p;
}
