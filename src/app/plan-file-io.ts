// Plan files on disk: made from a plan and the topology it was read from, read back through the
// guarded JSON reader (every issue at file:line:col), and judged against the live accelerator before
// `apply --plan` writes anything.

import { finishIssues, placeFindings } from '../input/places.js';
import { readJsonText } from '../input/read-json.js';
import { checkShape } from '../input/shape.js';
import { planFileSchema, PLAN_FILE_VERSION, type GroupBefore, type PlanFile } from '../plan/plan-file.js';
import type { Plan } from '../plan/types.js';
import type { AcceleratorTopology } from '../snapshot/schema.js';
import { GaSteerError, InputFileError } from './errors.js';
import { readTextFile } from './input-files.js';

export class PlanRefusedError extends GaSteerError {
  override readonly name = 'PlanRefusedError';
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(`${file}: refusing to apply this plan, nothing was written:\n${problems.map((p) => `  - ${p}`).join('\n')}\nMake a new plan (ga-steer plan --out) and review it.`);
  }
}

export function planFileOf(plan: Plan, topology: AcceleratorTopology): PlanFile {
  return { planFileVersion: PLAN_FILE_VERSION, before: { acceleratorArn: topology.arn, observedAt: topology.observedAt, groups: groupsOf(topology) }, plan };
}

export async function loadPlanFile(file: string): Promise<PlanFile> {
  // A plan is far smaller than a snapshot; the snapshot's cap bounds it.
  const text = await readTextFile(file, 'snapshot');
  const read = readJsonText(text, file, 'snapshot');
  if (!read.ok) throw new InputFileError(file, read.issues);
  const shape = checkShape(planFileSchema, read.data);
  if (!shape.ok) throw new InputFileError(file, finishIssues(placeFindings(shape.findings, file, read.locate), file));
  return shape.value;
}

/** Why the file may not be applied before anything is read: another accelerator, too old. */
export function staticRefusals(planFile: PlanFile, acceleratorArn: string, now: Date, maxAgeMs: number): string[] {
  const problems: string[] = [];
  if (planFile.plan.acceleratorArn !== acceleratorArn || planFile.before.acceleratorArn !== acceleratorArn) {
    problems.push(`the plan is for accelerator ${planFile.plan.acceleratorArn}, the policy governs ${acceleratorArn}`);
  }
  const ageMs = now.getTime() - Date.parse(planFile.plan.generatedAt);
  if (ageMs > maxAgeMs) problems.push(`the plan was made at ${planFile.plan.generatedAt}, ${Math.round(ageMs / 1000)} s ago: older than the limit of ${Math.round(maxAgeMs / 1000)} s (--plan-max-age)`);
  if (ageMs < -60_000) problems.push(`the plan was made at ${planFile.plan.generatedAt}, in the future`);
  return problems;
}

/** Every way the live topology differs from the plan's `before`: dials, endpoint lists, weights, groups. */
export function driftFrom(planFile: PlanFile, live: AcceleratorTopology): string[] {
  const problems: string[] = [];
  const liveGroups = new Map(groupsOf(live).map((g) => [g.endpointGroupArn, g]));
  const planned = new Set<string>();
  for (const before of planFile.before.groups) {
    planned.add(before.endpointGroupArn);
    const now = liveGroups.get(before.endpointGroupArn);
    const where = `${before.region} group ${before.endpointGroupArn.slice(before.endpointGroupArn.lastIndexOf('/') + 1)}`;
    if (now === undefined) {
      problems.push(`${where}: no longer in the accelerator`);
      continue;
    }
    if (Math.abs(now.trafficDialPercent - before.trafficDialPercent) > 1e-6) problems.push(`${where}: traffic dial is ${now.trafficDialPercent}, the plan was made at ${before.trafficDialPercent}`);
    const ids = (g: GroupBefore): string => g.endpoints.map((e) => e.endpointId).join(', ');
    if (ids(now) !== ids(before)) problems.push(`${where}: endpoints are [${ids(now)}], the plan was made with [${ids(before)}]`);
    else {
      for (const [i, e] of before.endpoints.entries()) {
        const w = now.endpoints[i]?.weight;
        if (w !== e.weight) problems.push(`${where}: endpoint ${e.endpointId} has weight ${String(w)}, the plan was made at ${e.weight}`);
      }
    }
  }
  for (const arn of liveGroups.keys()) if (!planned.has(arn)) problems.push(`endpoint group ${arn} was added since the plan was made`);
  return problems;
}

function groupsOf(topology: AcceleratorTopology): GroupBefore[] {
  return topology.listeners.flatMap((l) =>
    l.endpointGroups.map((g) => ({
      endpointGroupArn: g.arn,
      listenerArn: l.arn,
      region: g.region,
      trafficDialPercent: g.trafficDialPercent,
      endpoints: g.endpoints.map((e) => ({ endpointId: e.endpointId, weight: e.weight })),
    })),
  );
}
