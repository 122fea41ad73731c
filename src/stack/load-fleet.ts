// Reads a fleet file and the policies it lists (each validated for live use, as the Lambda will load
// it): every problem an issue at file:line:col, all of them at once, before anything is packaged.

import { join } from 'node:path';
import { InputFileError } from '../app/errors.js';
import { loadPolicyFile, readTextFile } from '../app/input-files.js';
import { finishIssues, issueAt, NO_POSITION, placeFindings, type Finding } from '../input/places.js';
import { readYamlText } from '../input/read-yaml.js';
import { checkShape } from '../input/shape.js';
import type { Policy } from '../policy/schema.js';
import { fleetSchema, SCHEDULE_RATE, type FleetFile } from './fleet-schema.js';

export interface FleetPolicy {
  readonly name: string;
  readonly file: string;
  readonly policy: Policy;
  /** s3://bucket/key: the Lambda reads the policy there on every invocation instead of the bundled file. */
  readonly location?: string;
  readonly schedule: string;
  readonly mode: 'apply' | 'plan';
  readonly heartbeatMinutes: number;
}

export interface Fleet {
  readonly name: string;
  readonly file: string;
  readonly policies: readonly FleetPolicy[];
  readonly secrets: FleetFile['secrets'];
  readonly alarms: FleetFile['alarms'];
}

/** Minutes between cycles of a `rate(...)` schedule. */
export function scheduleMinutes(schedule: string): number {
  const m = SCHEDULE_RATE.exec(schedule);
  if (m?.[1] === undefined || m[2] === undefined) throw new Error(`not a rate schedule: ${schedule}`);
  return Number(m[1]) * (m[2].startsWith('hour') ? 60 : 1);
}

/** The fleet `name` as fleets/<name>.yaml under `root`, with its policies from policies/. */
export async function loadFleet(root: string, name: string): Promise<Fleet> {
  if (!/^[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?$/.test(name)) {
    throw new InputFileError('--param=fleet', [issueAt('--param=fleet', 'error', NO_POSITION, `'${name}' is not a fleet name (lower-case letters, digits, dashes, at most 32)`)]);
  }
  const file = join(root, 'fleets', `${name}.yaml`);
  const read = readYamlText(await readTextFile(file, 'fleet'), file, 'fleet');
  if (!read.ok) throw new InputFileError(file, read.issues);
  const shape = checkShape(fleetSchema, read.data);
  if (!shape.ok) throw new InputFileError(file, finishIssues(placeFindings(shape.findings, file, read.locate), file));
  const fleet = shape.value;

  const findings: Finding[] = [];
  const seen = new Map<string, number>();
  fleet.policies.forEach((p, i) => {
    const minutes = scheduleMinutes(p.schedule);
    if (minutes < 1 || minutes > 1440) findings.push({ severity: 'error', place: { path: ['policies', i, 'schedule'] }, message: `a schedule between 1 minute and 24 hours, got ${p.schedule}` });
    if (p.heartbeatMinutes !== undefined && p.heartbeatMinutes < 2 * minutes) {
      findings.push({ severity: 'error', place: { path: ['policies', i, 'heartbeatMinutes'] }, message: `at least two schedule intervals (${2 * minutes}): a heartbeat shorter than that alarms between healthy cycles` });
    }
    const before = seen.get(p.name);
    if (before !== undefined) findings.push({ severity: 'error', place: { path: ['policies', i, 'name'] }, message: `policy '${p.name}' is listed twice (also policies[${before}])` });
    seen.set(p.name, i);
  });
  if (findings.length > 0) throw new InputFileError(file, finishIssues(placeFindings(findings, file, read.locate), file));

  const policies: FleetPolicy[] = [];
  const accelerators = new Map<string, string>();
  for (const [i, entry] of fleet.policies.entries()) {
    const policyFile = join(root, 'policies', `${entry.name}.yaml`);
    const { policy } = await loadPolicyFile(policyFile, { use: 'live' });
    if (policy.name !== entry.name) findings.push({ severity: 'error', place: { path: ['policies', i, 'name'] }, message: `${policyFile} names its policy '${policy.name}', not '${entry.name}'` });
    // One accelerator, one lease: two policies steering it would fight each other.
    const other = accelerators.get(policy.accelerator.arn);
    if (other !== undefined) findings.push({ severity: 'error', place: { path: ['policies', i, 'name'] }, message: `policies '${other}' and '${entry.name}' govern the same accelerator ${policy.accelerator.arn}` });
    accelerators.set(policy.accelerator.arn, entry.name);
    const minutes = scheduleMinutes(entry.schedule);
    policies.push({ name: entry.name, file: policyFile, policy, ...(entry.location !== undefined ? { location: entry.location } : {}), schedule: entry.schedule, mode: entry.mode, heartbeatMinutes: entry.heartbeatMinutes ?? Math.max(15, 3 * minutes) });
  }
  if (findings.length > 0) throw new InputFileError(file, finishIssues(placeFindings(findings, file, read.locate), file));
  return { name, file, policies, secrets: fleet.secrets, alarms: fleet.alarms };
}
