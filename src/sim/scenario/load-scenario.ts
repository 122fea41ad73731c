// Reads a scenario file and the policy it names (relative to the scenario file).

import { dirname, resolve } from 'node:path';
import { InputFileError } from '../../app/errors.js';
import { loadPolicyFile, readTextFile } from '../../app/input-files.js';
import type { PolicyIssue } from '../../policy/issues.js';
import type { Policy } from '../../policy/schema.js';
import { parseScenarioText } from './parse-scenario.js';
import type { Scenario } from './scenario-schema.js';

export interface LoadedScenario {
  readonly file: string;
  readonly scenario: Scenario;
  readonly policy: Policy;
  readonly policyFile: string;
  /** The scenario's warnings, then the policy's. */
  readonly warnings: readonly PolicyIssue[];
}

export async function loadScenarioFile(file: string, policyOverride?: string): Promise<LoadedScenario> {
  const parsed = parseScenarioText(await readTextFile(file, 'scenario'), file);
  if (!parsed.ok) throw new InputFileError(file, parsed.issues);
  const policyFile = policyOverride ?? resolve(dirname(file), parsed.scenario.policy);
  // The simulator records load like a snapshot: the policy is checked as for recorded snapshots.
  const { policy, warnings } = await loadPolicyFile(policyFile, { use: 'snapshot' });
  return { file, scenario: parsed.scenario, policy, policyFile, warnings: [...parsed.warnings, ...warnings] };
}
