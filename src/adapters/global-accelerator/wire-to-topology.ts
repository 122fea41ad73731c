// Global Accelerator responses, checked and turned into the snapshot's topology. Parse, don't trust:
// a response missing what the controller needs is an error, never a silently defaulted value.

import type { Accelerator, EndpointDescription, EndpointGroup, Listener } from '@aws-sdk/client-global-accelerator';
import { GaSteerError } from '../../app/errors.js';
import type { AcceleratorTopology, EndpointGroupTopology, EndpointTopology, ListenerTopology } from '../../snapshot/schema.js';

export class UnexpectedResponseError extends GaSteerError {
  override readonly name = 'UnexpectedResponseError';
  constructor(
    readonly operation: string,
    readonly resource: string,
    detail: string,
  ) {
    super(`Global Accelerator ${operation} returned an unusable response for ${resource}: ${detail}`);
  }
}

function need<T>(value: T | undefined | null, operation: string, resource: string, member: string): T {
  if (value === undefined || value === null) throw new UnexpectedResponseError(operation, resource, `${member} is missing`);
  return value;
}

export function endpointOf(e: EndpointDescription, operation: string, groupArn: string): EndpointTopology {
  const endpointId = need(e.EndpointId, operation, groupArn, 'EndpointDescriptions[].EndpointId');
  return {
    endpointId,
    weight: need(e.Weight, operation, groupArn, `weight of ${endpointId}`),
    healthState: need(e.HealthState, operation, groupArn, `health state of ${endpointId}`) as EndpointTopology['healthState'],
    ...(e.HealthReason !== undefined && e.HealthReason !== '' ? { healthReason: e.HealthReason } : {}),
    clientIpPreservation: e.ClientIPPreservationEnabled ?? false,
  };
}

export function endpointGroupOf(g: EndpointGroup, operation: string): EndpointGroupTopology {
  const arn = need(g.EndpointGroupArn, operation, 'endpoint group', 'EndpointGroupArn');
  const protocol = g.HealthCheckProtocol ?? 'TCP';
  return {
    arn,
    region: need(g.EndpointGroupRegion, operation, arn, 'EndpointGroupRegion'),
    trafficDialPercent: need(g.TrafficDialPercentage, operation, arn, 'TrafficDialPercentage'),
    healthCheck: {
      protocol: protocol as EndpointGroupTopology['healthCheck']['protocol'],
      ...(g.HealthCheckPort !== undefined ? { port: g.HealthCheckPort } : {}),
      ...(g.HealthCheckPath !== undefined && g.HealthCheckPath !== '' ? { path: g.HealthCheckPath } : {}),
      intervalSeconds: g.HealthCheckIntervalSeconds ?? 30,
      thresholdCount: g.ThresholdCount ?? 3,
    },
    endpoints: (g.EndpointDescriptions ?? []).map((e) => endpointOf(e, operation, arn)),
  };
}

export function listenerOf(l: Listener, groups: readonly EndpointGroup[]): ListenerTopology {
  const arn = need(l.ListenerArn, 'ListListeners', 'listener', 'ListenerArn');
  return {
    arn,
    protocol: need(l.Protocol, 'ListListeners', arn, 'Protocol'),
    portRanges: (l.PortRanges ?? []).map((p) => ({
      fromPort: need(p.FromPort, 'ListListeners', arn, 'PortRanges[].FromPort'),
      toPort: need(p.ToPort, 'ListListeners', arn, 'PortRanges[].ToPort'),
    })),
    clientAffinity: l.ClientAffinity ?? 'NONE',
    endpointGroups: groups.map((g) => endpointGroupOf(g, 'ListEndpointGroups')),
  };
}

export function acceleratorOf(a: Accelerator, listeners: readonly ListenerTopology[], observedAt: Date): AcceleratorTopology {
  const arn = need(a.AcceleratorArn, 'DescribeAccelerator', 'accelerator', 'AcceleratorArn');
  return {
    arn,
    name: a.Name ?? '',
    status: need(a.Status, 'DescribeAccelerator', arn, 'Status'),
    enabled: a.Enabled ?? false,
    observedAt: observedAt.toISOString(),
    listeners: [...listeners],
  };
}
