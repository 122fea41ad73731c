// Reads a scenario file and the policy it names (relative to the scenario file).

import { dirname, resolve } from 'node:path';
import { InputFileError } from '../../app/errors.js';
import { loadPolicyFile, readTextFile } from '../../app/input-files.js';
import type { Policy } from '../../policy/schema.js';
import { parseScenarioText } from './parse-scenario.js';
import type { Scenario } from './scenario-schema.js';

export interface LoadedScenario {
  readonly file: string;
  readonly scenario: Scenario;
  readonly policy: Policy;
  readonly policyFile: string;
}

export async function loadScenarioFile(file: string, policyOverride?: string): Promise<LoadedScenario> {
  const parsed = parseScenarioText(await readTextFile(file), file);
  if (!parsed.ok) throw new InputFileError(file, parsed.issues);
  const policyFile = policyOverride ?? resolve(dirname(file), parsed.scenario.policy);
  const { policy } = await loadPolicyFile(policyFile);
  return { file, scenario: parsed.scenario, policy, policyFile };
}
