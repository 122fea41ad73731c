// Hand-made plans for apply tests: the changes matter, the evidence does not.

import { PLAN_FORMAT_VERSION, type ChangeEvidence, type DialChange, type Plan, type PlannedChange, type WeightsChange } from '../../src/plan/types.js';
import type { AcceleratorTopology, EndpointGroupTopology } from '../../src/snapshot/schema.js';

const EVIDENCE: ChangeEvidence = {
  utilizationPercent: 90,
  predictedIfUnchangedPercent: 90,
  predictedUtilizationPercent: 74,
  targetPercent: 75,
  drainAbovePercent: 80,
  restoreBelowPercent: 60,
  predictedLanding: {},
  receiverUtilizationPercent: {},
  addedLatencyMs: { meanMs: 10, worstMs: 20, worstClientGroup: null },
  notes: [],
};

export function groupsOf(topology: AcceleratorTopology): { listenerArn: string; group: EndpointGroupTopology }[] {
  return topology.listeners.flatMap((l) => l.endpointGroups.map((group) => ({ listenerArn: l.arn, group })));
}

function addressOf(topology: AcceleratorTopology, groupArn: string) {
  const found = groupsOf(topology).find((g) => g.group.arn === groupArn);
  if (found === undefined) throw new Error(`no group ${groupArn}`);
  return { acceleratorArn: topology.arn, listenerArn: found.listenerArn, endpointGroupArn: groupArn, region: found.group.region };
}

export function dialChange(topology: AcceleratorTopology, groupArn: string, before: number, after: number, dryRun = false): DialChange {
  return {
    kind: 'dial',
    address: addressOf(topology, groupArn),
    before: { trafficDialPercent: before },
    after: { trafficDialPercent: after },
    reason: after < before ? 'DialReduced' : 'DialRestored',
    evidence: EVIDENCE,
    dryRun,
  };
}

export function weightsChange(topology: AcceleratorTopology, groupArn: string, before: Record<string, number>, after: Record<string, number>): WeightsChange {
  const list = (w: Record<string, number>) => Object.entries(w).map(([endpointId, weight]) => ({ endpointId, weight }));
  return { kind: 'weights', address: addressOf(topology, groupArn), before: { endpoints: list(before) }, after: { endpoints: list(after) }, reason: 'WeightsShifted', evidence: EVIDENCE, dryRun: false };
}

export function planOf(topology: AcceleratorTopology, changes: readonly PlannedChange[]): Plan {
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    generatedAt: '2026-11-22T12:00:00.000Z',
    policy: { name: 'test', apiVersion: 'ga-steer.io/v1' },
    snapshot: { takenAt: '2026-11-22T12:00:00.000Z' },
    acceleratorArn: topology.arn,
    changes,
    holds: [],
    regions: [],
    summary: {
      verdict: changes.length > 0 ? 'changes' : 'no-changes',
      changeCount: changes.length,
      appliedChangeCount: changes.filter((c) => !c.dryRun).length,
      dryRunChangeCount: changes.filter((c) => c.dryRun).length,
      holdCount: 0,
      hotRegions: [],
      movedDemandPercent: 0,
      predictedMeanAddedLatencyMs: 0,
      headline: 'test plan',
    },
  };
}
