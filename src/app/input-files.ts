// Reading the inputs a decision needs from files: policy and snapshot. A file over its kind's size cap
// is refused before it is read. The controller state is read by its store (adapters/state), which owns
// its format and reads it through the one guarded state parser (adapters/state/parse-state-text.ts).

import { readFile, stat } from 'node:fs/promises';
import type { InputKind } from '../input/limits.js';
import { isTooLarge, tooLargeIssue } from '../input/text-size.js';
import { parsePolicyText, type PolicyUse } from '../policy/parse-policy.js';
import type { PolicyIssue } from '../policy/issues.js';
import type { Policy } from '../policy/schema.js';
import { parseSnapshotText } from '../snapshot/parse-snapshot.js';
import type { Snapshot } from '../snapshot/schema.js';
import { FileReadError, InputFileError } from './errors.js';

export async function readTextFile(file: string, kind: InputKind): Promise<string> {
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch (e) {
    throw new FileReadError(file, e);
  }
  if (isTooLarge(kind, size)) throw new InputFileError(file, [tooLargeIssue(file, kind, size)]);
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    throw new FileReadError(file, e);
  }
}

export interface LoadPolicyOptions {
  /** `live` for commands that collect load from CloudWatch (a Region without a load query is an error). */
  readonly use: PolicyUse;
}

export async function loadPolicyFile(file: string, options: LoadPolicyOptions): Promise<{ policy: Policy; warnings: readonly PolicyIssue[] }> {
  const result = parsePolicyText(await readTextFile(file, 'policy'), file, { use: options.use });
  if (!result.ok) throw new InputFileError(file, result.issues);
  return { policy: result.policy, warnings: result.warnings };
}

export async function loadSnapshotFile(file: string): Promise<Snapshot> {
  const result = parseSnapshotText(await readTextFile(file, 'snapshot'), file);
  if (!result.ok) throw new InputFileError(file, result.issues);
  return result.snapshot;
}
