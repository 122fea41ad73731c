// The emulated Global Accelerator's state: accelerators, listeners, endpoint groups and endpoints, with
// the accelerator status that goes IN_PROGRESS after every change and DEPLOYED after a delay.

import { createHash } from 'node:crypto';
import type { AcceleratorTopology } from '../../snapshot/schema.js';
import { endpointKindOf } from './arns.js';

export type HealthState = 'INITIAL' | 'HEALTHY' | 'UNHEALTHY';

export interface GaEndpoint {
  endpointId: string;
  weight: number;
  clientIpPreservation: boolean;
  healthState: HealthState;
  healthReason?: string;
}

export interface GaHealthCheck {
  port?: number;
  protocol: 'TCP' | 'HTTP' | 'HTTPS';
  path?: string;
  intervalSeconds: number;
  thresholdCount: number;
}

export interface GaEndpointGroup {
  arn: string;
  region: string;
  trafficDialPercent: number;
  healthCheck: GaHealthCheck;
  portOverrides: { listenerPort: number; endpointPort: number }[];
  endpoints: GaEndpoint[];
}

export interface GaListener {
  arn: string;
  protocol: 'TCP' | 'UDP';
  portRanges: { fromPort: number; toPort: number }[];
  clientAffinity: 'NONE' | 'SOURCE_IP';
  endpointGroups: GaEndpointGroup[];
}

export interface GaAccelerator {
  arn: string;
  name: string;
  enabled: boolean;
  createdAtMs: number;
  lastModifiedAtMs: number;
  /** Time the current change finishes deploying; status is IN_PROGRESS until then. */
  deployedAtMs: number;
  ipAddresses: [string, string];
  tags: { key: string; value: string }[];
  listeners: GaListener[];
}

export interface GaStoreOptions {
  /** How long a change stays IN_PROGRESS (default 2000 ms). */
  deployDelayMs?: number;
  /** Milliseconds since the epoch; injectable so accelerated simulations and tests control time. */
  now?: () => number;
}

export class GaStore {
  readonly accelerators: GaAccelerator[] = [];
  readonly deployDelayMs: number;
  readonly now: () => number;
  /** Every successful write, in order, for tests and the emulator log. */
  readonly writeLog: { operation: string; arn: string; atMs: number }[] = [];

  constructor(options: GaStoreOptions = {}) {
    this.deployDelayMs = options.deployDelayMs ?? 2000;
    this.now = options.now ?? Date.now;
  }

  static fromTopology(topologies: readonly AcceleratorTopology[], options: GaStoreOptions = {}): GaStore {
    const store = new GaStore(options);
    const t = store.now();
    for (const a of topologies) {
      store.accelerators.push({
        arn: a.arn,
        name: a.name,
        enabled: a.enabled,
        createdAtMs: t,
        lastModifiedAtMs: t,
        deployedAtMs: a.status === 'IN_PROGRESS' ? t + store.deployDelayMs : t,
        ipAddresses: anycastAddresses(a.arn),
        tags: [{ key: 'managed-by', value: 'ga-steer-emulator' }],
        listeners: a.listeners.map((l) => ({
          arn: l.arn,
          protocol: l.protocol,
          portRanges: l.portRanges.map((p) => ({ ...p })),
          clientAffinity: l.clientAffinity,
          endpointGroups: l.endpointGroups.map((g) => ({
            arn: g.arn,
            region: g.region,
            trafficDialPercent: g.trafficDialPercent,
            healthCheck: { ...g.healthCheck },
            portOverrides: [],
            endpoints: g.endpoints.map((e) => ({
              endpointId: e.endpointId,
              weight: e.weight,
              clientIpPreservation: e.clientIpPreservation,
              healthState: e.healthState,
              ...(e.healthReason !== undefined ? { healthReason: e.healthReason } : {}),
            })),
          })),
        })),
      });
    }
    return store;
  }

  status(a: GaAccelerator): 'DEPLOYED' | 'IN_PROGRESS' {
    return this.now() >= a.deployedAtMs ? 'DEPLOYED' : 'IN_PROGRESS';
  }

  findAccelerator(arn: string): GaAccelerator | undefined {
    return this.accelerators.find((a) => a.arn === arn);
  }

  findListener(arn: string): { accelerator: GaAccelerator; listener: GaListener } | undefined {
    for (const accelerator of this.accelerators) {
      const listener = accelerator.listeners.find((l) => l.arn === arn);
      if (listener !== undefined) return { accelerator, listener };
    }
    return undefined;
  }

  findEndpointGroup(arn: string): { accelerator: GaAccelerator; listener: GaListener; group: GaEndpointGroup } | undefined {
    for (const accelerator of this.accelerators) {
      for (const listener of accelerator.listeners) {
        const group = listener.endpointGroups.find((g) => g.arn === arn);
        if (group !== undefined) return { accelerator, listener, group };
      }
    }
    return undefined;
  }

  /** Records a change: the accelerator goes IN_PROGRESS and deploys after the delay. */
  touch(accelerator: GaAccelerator, operation: string, arn: string): void {
    const t = this.now();
    accelerator.lastModifiedAtMs = t;
    accelerator.deployedAtMs = t + this.deployDelayMs;
    this.writeLog.push({ operation, arn, atMs: t });
  }

  /** Endpoints added by a change pass their first health check once the change has deployed. */
  settle(): void {
    for (const a of this.accelerators) {
      if (this.status(a) !== 'DEPLOYED') continue;
      for (const l of a.listeners) for (const g of l.endpointGroups) for (const e of g.endpoints) if (e.healthState === 'INITIAL') e.healthState = 'HEALTHY';
    }
  }

  /** Health as the simulator or a fault sets it (GA computes it from health checks). */
  setEndpointHealth(endpointGroupArn: string, endpointId: string, healthState: HealthState, healthReason?: string): void {
    const found = this.findEndpointGroup(endpointGroupArn);
    const endpoint = found?.group.endpoints.find((e) => e.endpointId === endpointId);
    if (endpoint === undefined) throw new Error(`no endpoint ${endpointId} in ${endpointGroupArn}`);
    endpoint.healthState = healthState;
    if (healthReason !== undefined) endpoint.healthReason = healthReason;
    else delete endpoint.healthReason;
  }
}

/** The default client-IP-preservation flag GA gives an endpoint when the request omits it. */
export function defaultClientIpPreservation(endpointId: string): boolean {
  const kind = endpointKindOf(endpointId);
  return kind === 'alb' || kind === 'ec2';
}

/** Two stable addresses from GA's anycast ranges, derived from the ARN so runs are reproducible. */
function anycastAddresses(arn: string): [string, string] {
  const h = createHash('sha256').update(arn).digest();
  return [`75.2.${h[0] ?? 0}.${h[1] ?? 0}`, `99.83.${h[2] ?? 0}.${h[3] ?? 0}`];
}
