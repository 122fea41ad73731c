// Reading the inputs a decision needs from files: policy and snapshot. The controller state is read by
// its store (adapters/state), which owns its format.

import { readFile } from 'node:fs/promises';
import { parsePolicyText } from '../policy/parse-policy.js';
import type { PolicyIssue } from '../policy/issues.js';
import type { Policy } from '../policy/schema.js';
import { parseSnapshotText } from '../snapshot/parse-snapshot.js';
import type { Snapshot } from '../snapshot/schema.js';
import { FileReadError, InputFileError } from './errors.js';

export async function readTextFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    throw new FileReadError(file, e);
  }
}

export async function loadPolicyFile(file: string): Promise<{ policy: Policy; warnings: readonly PolicyIssue[] }> {
  const result = parsePolicyText(await readTextFile(file), file);
  if (!result.ok) throw new InputFileError(file, result.issues);
  return { policy: result.policy, warnings: result.warnings };
}

export async function loadSnapshotFile(file: string): Promise<Snapshot> {
  const result = parseSnapshotText(await readTextFile(file), file);
  if (!result.ok) throw new InputFileError(file, result.issues);
  return result.snapshot;
}
