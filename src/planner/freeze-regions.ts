// Holds that freeze a Region or a group before any dial is chosen: pins, cooldown after a change, and
// changes made by someone else (ga-steer backs off rather than fight a human).

import { dialsEqual, type RegionCode } from '../domain/traffic.js';
import type { Hold } from '../plan/types.js';
import type { Policy } from '../policy/schema.js';
import type { ControllerState, GroupState } from './controller-state.js';
import type { GovernedGroup } from './governed-topology.js';

export interface FreezeResult {
  readonly frozenRegions: ReadonlySet<RegionCode>;
  /** Groups pinned individually (by listener); their Region may still move. */
  readonly frozenGroups: ReadonlySet<string>;
  readonly holds: readonly Hold[];
  /** Group states after noticing or adopting human changes. */
  readonly groupStates: Readonly<Record<string, GroupState>>;
}

export function freezeRegions(policy: Policy, groups: readonly GovernedGroup[], state: ControllerState, now: Date): FreezeResult {
  const frozenRegions = new Set<RegionCode>();
  const frozenGroups = new Set<string>();
  const holds: Hold[] = [];
  const groupStates: Record<string, GroupState> = { ...state.groups };
  const nowMs = now.getTime();

  for (const pin of policy.pins) {
    if (pin.until !== undefined && Date.parse(pin.until) <= nowMs) continue;
    const until = pin.until ?? null;
    if (pin.listener === undefined) {
      frozenRegions.add(pin.region);
      holds.push({ scope: { kind: 'region', region: pin.region }, reason: 'Pinned', message: `${pin.region} is pinned: ${pin.reason}`, evidence: { until } });
    } else {
      for (const g of groups.filter((x) => x.address.region === pin.region && x.address.listenerArn === pin.listener)) {
        frozenGroups.add(g.address.endpointGroupArn);
        holds.push({ scope: { kind: 'endpoint-group', address: g.address }, reason: 'Pinned', message: `${pin.region} on listener ${pin.listener} is pinned: ${pin.reason}`, evidence: { until } });
      }
    }
  }

  for (const g of groups) {
    const arn = g.address.endpointGroupArn;
    const s = groupStates[arn] ?? {};
    const override = describeOverride(g, s);
    if (override !== undefined) {
      const seenAt = s.humanOverrideSeenAt ?? now.toISOString();
      const elapsed = (nowMs - Date.parse(seenAt)) / 1000;
      if (elapsed < policy.guardrails.humanOverrideBackoffSeconds) {
        groupStates[arn] = { ...s, humanOverrideSeenAt: seenAt };
        frozenRegions.add(g.address.region);
        holds.push({
          scope: { kind: 'endpoint-group', address: g.address },
          reason: 'HumanOverride',
          message: `${override} outside ga-steer; backing off for ${Math.ceil(policy.guardrails.humanOverrideBackoffSeconds - elapsed)} s`,
          evidence: { seenAt, backoffSeconds: policy.guardrails.humanOverrideBackoffSeconds },
        });
        continue;
      }
      // Backoff over: the human's values become the baseline ga-steer works from.
      groupStates[arn] = { lastChangeAt: s.lastChangeAt, lastDirection: s.lastDirection };
    }
    const lastChangeAt = s.lastChangeAt;
    if (lastChangeAt !== undefined) {
      const elapsed = (nowMs - Date.parse(lastChangeAt)) / 1000;
      if (elapsed < policy.guardrails.cooldownSeconds && !frozenRegions.has(g.address.region)) {
        frozenRegions.add(g.address.region);
        holds.push({
          scope: { kind: 'region', region: g.address.region },
          reason: 'CoolingDown',
          message: `${g.address.region} changed ${Math.floor(elapsed)} s ago; waiting ${Math.ceil(policy.guardrails.cooldownSeconds - elapsed)} s more for the change to show in load`,
          evidence: { lastChangeAt, cooldownSeconds: policy.guardrails.cooldownSeconds },
        });
      }
    }
  }
  return { frozenRegions, frozenGroups, holds, groupStates };
}

function describeOverride(g: GovernedGroup, s: GroupState): string | undefined {
  if (s.expectedDialPercent !== undefined && !dialsEqual(s.expectedDialPercent, g.group.trafficDialPercent)) {
    return `the dial of ${g.address.region} was changed from ${s.expectedDialPercent} % to ${g.group.trafficDialPercent} %`;
  }
  if (s.expectedWeights !== undefined) {
    const live = Object.fromEntries(g.group.endpoints.map((e) => [e.endpointId, e.weight]));
    const expected = s.expectedWeights;
    const same = Object.keys(live).length === Object.keys(expected).length && Object.entries(expected).every(([id, w]) => live[id] === w);
    if (!same) return `the endpoints or weights of ${g.address.region} were changed`;
  }
  return undefined;
}
