// The part of the accelerator a policy governs: its listeners and their endpoint groups. Planning is per
// endpoint group (one per Region per listener); a Region's dial and health are views over its groups.

import type { RegionCode } from '../domain/traffic.js';
import type { ChangeAddress } from '../plan/types.js';
import type { Policy } from '../policy/schema.js';
import type { AcceleratorTopology, EndpointGroupTopology, ListenerTopology } from '../snapshot/schema.js';

export interface GovernedGroup {
  readonly address: ChangeAddress;
  readonly listener: ListenerTopology;
  readonly group: EndpointGroupTopology;
  /** Has a healthy endpoint with weight > 0: GA sends it traffic by proximity and dial. */
  readonly healthy: boolean;
}

/** One listener's endpoint groups as the routing model sees them (governed Regions or not). */
export interface ListenerRouting {
  readonly arn: string;
  readonly groups: readonly { readonly region: RegionCode; readonly dialPercent: number; readonly healthy: boolean; readonly governed: boolean }[];
}

export interface GovernedTopology {
  readonly missingListeners: readonly string[];
  /** Groups in Regions the policy names, in listener order then Region order. */
  readonly groups: readonly GovernedGroup[];
  readonly listeners: readonly ListenerRouting[];
  /** Every Region with a group on a governed listener (governed or not): all of them receive traffic. */
  readonly regions: readonly RegionCode[];
  /** A Region is healthy when one of its groups has a healthy endpoint with weight > 0. */
  readonly regionHealth: ReadonlyMap<RegionCode, boolean>;
  /** A Region's dial as people read it: the mean over its groups (a view, never planned on). */
  readonly regionDials: ReadonlyMap<RegionCode, number>;
}

export function isGroupHealthy(group: EndpointGroupTopology): boolean {
  return group.endpoints.some((e) => e.healthState === 'HEALTHY' && e.weight > 0);
}

export function readGovernedTopology(policy: Policy, accelerator: AcceleratorTopology): GovernedTopology {
  const wanted = policy.accelerator.listeners;
  const listeners = wanted.length === 0 ? accelerator.listeners : accelerator.listeners.filter((l) => wanted.includes(l.arn));
  const missingListeners = wanted.filter((arn) => !accelerator.listeners.some((l) => l.arn === arn));
  const groups: GovernedGroup[] = [];
  const routing: ListenerRouting[] = [];
  const dialSums = new Map<RegionCode, { sum: number; n: number }>();
  const health = new Map<RegionCode, boolean>();
  for (const listener of listeners) {
    const sorted = [...listener.endpointGroups].sort((a, b) => a.region.localeCompare(b.region) || a.arn.localeCompare(b.arn));
    const seen = new Set<RegionCode>();
    const rows: ListenerRouting['groups'][number][] = [];
    for (const group of sorted) {
      // GA allows one endpoint group per Region and listener; a second one would be a malformed snapshot.
      if (seen.has(group.region)) continue;
      seen.add(group.region);
      const healthy = isGroupHealthy(group);
      const governed = group.region in policy.regions;
      rows.push({ region: group.region, dialPercent: group.trafficDialPercent, healthy, governed });
      const d = dialSums.get(group.region) ?? { sum: 0, n: 0 };
      dialSums.set(group.region, { sum: d.sum + group.trafficDialPercent, n: d.n + 1 });
      health.set(group.region, (health.get(group.region) ?? false) || healthy);
      if (governed) {
        groups.push({
          listener,
          group,
          healthy,
          address: { acceleratorArn: accelerator.arn, listenerArn: listener.arn, endpointGroupArn: group.arn, region: group.region },
        });
      }
    }
    routing.push({ arn: listener.arn, groups: rows });
  }
  const regionDials = new Map([...dialSums].map(([r, d]) => [r, d.sum / d.n]));
  return { missingListeners, groups, listeners: routing, regions: [...dialSums.keys()].sort(), regionHealth: health, regionDials };
}
