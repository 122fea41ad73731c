// Endpoint groups the planner must not move this cycle, decided before any dial is chosen: pins, a
// cooldown after ga-steer's own change, and changes made by someone else (ga-steer backs off rather
// than fight a human). A human's change freezes every group of that Region: whoever touched one of
// its groups is handling the Region.

import { dialsEqual, type RegionCode } from '../domain/traffic.js';
import type { Hold, HoldReason } from '../plan/types.js';
import type { Policy } from '../policy/schema.js';
import type { ControllerState, GroupState } from './controller-state.js';
import type { GovernedGroup } from './governed-topology.js';

export interface FrozenGroup {
  readonly reason: Extract<HoldReason, 'Pinned' | 'CoolingDown' | 'HumanOverride'>;
}

export interface FreezeResult {
  /** Endpoint group ARN -> why it stays where it is. Weight changes honour pins and overrides only. */
  readonly frozen: ReadonlyMap<string, FrozenGroup>;
  readonly holds: readonly Hold[];
  /** Group states after noticing or adopting human changes. */
  readonly groupStates: Readonly<Record<string, GroupState>>;
}

export function freezeGroups(policy: Policy, groups: readonly GovernedGroup[], state: ControllerState, now: Date): FreezeResult {
  const frozen = new Map<string, FrozenGroup>();
  const holds: Hold[] = [];
  const groupStates: Record<string, GroupState> = { ...state.groups };
  const nowMs = now.getTime();
  const freeze = (g: GovernedGroup, reason: FrozenGroup['reason']): void => {
    if (!frozen.has(g.address.endpointGroupArn)) frozen.set(g.address.endpointGroupArn, { reason });
  };

  for (const pin of policy.pins) {
    if (pin.until !== undefined && Date.parse(pin.until) <= nowMs) continue;
    const until = pin.until ?? null;
    const pinned = groups.filter((x) => x.address.region === pin.region && (pin.listener === undefined || x.address.listenerArn === pin.listener));
    for (const g of pinned) freeze(g, 'Pinned');
    if (pin.listener === undefined) {
      holds.push({ scope: { kind: 'region', region: pin.region }, reason: 'Pinned', message: `${pin.region} is pinned: ${pin.reason}`, evidence: { until } });
    } else {
      for (const g of pinned) {
        holds.push({ scope: { kind: 'endpoint-group', address: g.address }, reason: 'Pinned', message: `${pin.region} on listener ${pin.listener} is pinned: ${pin.reason}`, evidence: { until } });
      }
    }
  }

  const overriddenRegions = new Set<RegionCode>();
  for (const g of groups) {
    const arn = g.address.endpointGroupArn;
    const s = groupStates[arn] ?? {};
    const override = describeOverride(g, s);
    if (override === undefined) continue;
    const liveDial = g.group.trafficDialPercent;
    const liveWeights = weightsOf(g);
    // A further change during the back-off restarts it: someone is still at work on the group.
    const changedAgain =
      s.humanOverrideSeenAt !== undefined &&
      ((s.humanOverrideDialPercent !== undefined && !dialsEqual(s.humanOverrideDialPercent, liveDial)) ||
        (s.humanOverrideWeights !== undefined && !sameWeights(s.humanOverrideWeights, liveWeights)));
    const seenAt = s.humanOverrideSeenAt === undefined || changedAgain ? now.toISOString() : s.humanOverrideSeenAt;
    const elapsed = (nowMs - Date.parse(seenAt)) / 1000;
    if (elapsed < policy.guardrails.humanOverrideBackoffSeconds) {
      groupStates[arn] = { ...s, humanOverrideSeenAt: seenAt, humanOverrideDialPercent: liveDial, humanOverrideWeights: liveWeights };
      overriddenRegions.add(g.address.region);
      holds.push({
        scope: { kind: 'endpoint-group', address: g.address },
        reason: 'HumanOverride',
        message: `${override} outside ga-steer; backing off for ${Math.ceil(policy.guardrails.humanOverrideBackoffSeconds - elapsed)} s`,
        evidence: { seenAt, backoffSeconds: policy.guardrails.humanOverrideBackoffSeconds },
      });
      continue;
    }
    // Back-off over: the human's values become the baseline ga-steer works from.
    groupStates[arn] = {
      ...(s.lastChangeAt !== undefined ? { lastChangeAt: s.lastChangeAt } : {}),
      ...(s.lastDirection !== undefined ? { lastDirection: s.lastDirection } : {}),
      ...(s.weightsChangedAt !== undefined ? { weightsChangedAt: s.weightsChangedAt } : {}),
    };
  }
  for (const g of groups) if (overriddenRegions.has(g.address.region)) freeze(g, 'HumanOverride');

  // One cooldown hold per Region (its groups changed together), naming how long is left.
  const cooling = new Map<RegionCode, { lastChangeAt: string; elapsed: number; groups: number }>();
  for (const g of groups) {
    const lastChangeAt = groupStates[g.address.endpointGroupArn]?.lastChangeAt;
    if (lastChangeAt === undefined || frozen.has(g.address.endpointGroupArn)) continue;
    const elapsed = (nowMs - Date.parse(lastChangeAt)) / 1000;
    if (elapsed >= policy.guardrails.cooldownSeconds) continue;
    freeze(g, 'CoolingDown');
    const prev = cooling.get(g.address.region);
    if (prev === undefined || elapsed < prev.elapsed) cooling.set(g.address.region, { lastChangeAt, elapsed, groups: (prev?.groups ?? 0) + 1 });
    else cooling.set(g.address.region, { ...prev, groups: prev.groups + 1 });
  }
  for (const [region, c] of cooling) {
    holds.push({
      scope: { kind: 'region', region },
      reason: 'CoolingDown',
      message: `${region} changed ${Math.max(0, Math.floor(c.elapsed))} s ago; waiting ${Math.ceil(policy.guardrails.cooldownSeconds - c.elapsed)} s more for the change to show in load${c.groups > 1 ? ` (${c.groups} endpoint groups)` : ''}`,
      evidence: { lastChangeAt: c.lastChangeAt, cooldownSeconds: policy.guardrails.cooldownSeconds, endpointGroups: c.groups },
    });
  }
  return { frozen, holds, groupStates };
}

function describeOverride(g: GovernedGroup, s: GroupState): string | undefined {
  if (s.expectedDialPercent !== undefined && !dialsEqual(s.expectedDialPercent, g.group.trafficDialPercent)) {
    return `the dial of ${g.address.region} was changed from ${s.expectedDialPercent} % to ${g.group.trafficDialPercent} %`;
  }
  if (s.expectedWeights !== undefined && !sameWeights(s.expectedWeights, weightsOf(g))) return `the endpoints or weights of ${g.address.region} were changed`;
  // Put back to what ga-steer set during a back-off: still someone else's change (a further one restarts it).
  if (s.humanOverrideSeenAt !== undefined) return `the dial and endpoints of ${g.address.region} were put back to what ga-steer had set`;
  return undefined;
}

function weightsOf(g: GovernedGroup): Record<string, number> {
  return Object.fromEntries(g.group.endpoints.map((e) => [e.endpointId, e.weight]));
}

function sameWeights(a: Readonly<Record<string, number>>, b: Readonly<Record<string, number>>): boolean {
  return Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([id, w]) => b[id] === w);
}
