// The part of the accelerator a policy governs: its listeners, their endpoint groups per Region, and the
// Region-level dial and health the routing model works with.

import type { RegionCode } from '../domain/traffic.js';
import type { ChangeAddress } from '../plan/types.js';
import type { Policy } from '../policy/schema.js';
import type { AcceleratorTopology, EndpointGroupTopology, ListenerTopology } from '../snapshot/schema.js';

export interface GovernedGroup {
  readonly address: ChangeAddress;
  readonly listener: ListenerTopology;
  readonly group: EndpointGroupTopology;
}

export interface GovernedTopology {
  readonly listeners: readonly ListenerTopology[];
  readonly missingListeners: readonly string[];
  /** Groups in Regions the policy names. */
  readonly groups: readonly GovernedGroup[];
  /** Every Region with a group on a governed listener (governed or not): all of them receive traffic. */
  readonly regions: readonly RegionCode[];
  /** Region-level dial: the mean over the Region's groups on governed listeners. */
  readonly regionDials: ReadonlyMap<RegionCode, number>;
  /** A Region is healthy when one of its groups has a healthy endpoint with weight > 0. */
  readonly regionHealth: ReadonlyMap<RegionCode, boolean>;
}

export function readGovernedTopology(policy: Policy, accelerator: AcceleratorTopology): GovernedTopology {
  const wanted = policy.accelerator.listeners;
  const listeners = wanted.length === 0 ? accelerator.listeners : accelerator.listeners.filter((l) => wanted.includes(l.arn));
  const missingListeners = wanted.filter((arn) => !accelerator.listeners.some((l) => l.arn === arn));
  const groups: GovernedGroup[] = [];
  const dialSums = new Map<RegionCode, { sum: number; n: number }>();
  const health = new Map<RegionCode, boolean>();
  for (const listener of listeners) {
    for (const group of listener.endpointGroups) {
      const d = dialSums.get(group.region) ?? { sum: 0, n: 0 };
      dialSums.set(group.region, { sum: d.sum + group.trafficDialPercent, n: d.n + 1 });
      const healthy = group.endpoints.some((e) => e.healthState === 'HEALTHY' && e.weight > 0);
      health.set(group.region, (health.get(group.region) ?? false) || healthy);
      if (group.region in policy.regions) {
        groups.push({
          listener,
          group,
          address: { acceleratorArn: accelerator.arn, listenerArn: listener.arn, endpointGroupArn: group.arn, region: group.region },
        });
      }
    }
  }
  const regionDials = new Map([...dialSums].map(([r, d]) => [r, d.sum / d.n]));
  return { listeners, missingListeners, groups, regions: [...dialSums.keys()].sort(), regionDials, regionHealth: health };
}
