// Reading the inputs a decision needs from files: policy, snapshot, controller state.

import { readFile } from 'node:fs/promises';
import { parsePolicyText } from '../policy/parse-policy.js';
import type { PolicyIssue } from '../policy/issues.js';
import type { Policy } from '../policy/schema.js';
import { storedControllerStateSchema, emptyControllerState, type ControllerState } from '../planner/controller-state.js';
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

/** A missing state file is a first run: empty state. A corrupt one is an error, never silently reset. */
export async function loadStateFile(file: string): Promise<ControllerState> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') return emptyControllerState();
    throw new FileReadError(file, e);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new InputFileError(file, [{ severity: 'error', file, line: 0, column: 0, path: '', message: `not valid JSON: ${(e as Error).message}` }]);
  }
  const parsed = storedControllerStateSchema.safeParse(data);
  if (!parsed.success) {
    throw new InputFileError(
      file,
      parsed.error.issues.map((i) => ({ severity: 'error' as const, file, line: 0, column: 0, path: i.path.map(String).join('.'), message: i.message })),
    );
  }
  return parsed.data;
}
