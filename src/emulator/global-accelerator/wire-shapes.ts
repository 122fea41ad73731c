// The emulated store's objects in Global Accelerator's wire shapes (timestamps as epoch seconds).

import type { GaStore, GaAccelerator, GaEndpointGroup, GaListener } from './store.js';

export function acceleratorShape(store: GaStore, a: GaAccelerator): Record<string, unknown> {
  const id = a.arn.slice(a.arn.lastIndexOf('/') + 1).replace(/-/g, '');
  return {
    AcceleratorArn: a.arn,
    Name: a.name,
    IpAddressType: 'IPV4',
    Enabled: a.enabled,
    IpSets: [{ IpFamily: 'IPv4', IpAddressFamily: 'IPv4', IpAddresses: [...a.ipAddresses] }],
    DnsName: `a${id.slice(0, 16)}.awsglobalaccelerator.com`,
    Status: store.status(a),
    CreatedTime: a.createdAtMs / 1000,
    LastModifiedTime: a.lastModifiedAtMs / 1000,
    Events: [],
  };
}

export function listenerShape(l: GaListener): Record<string, unknown> {
  return {
    ListenerArn: l.arn,
    PortRanges: l.portRanges.map((p) => ({ FromPort: p.fromPort, ToPort: p.toPort })),
    Protocol: l.protocol,
    ClientAffinity: l.clientAffinity,
  };
}

export function endpointGroupShape(g: GaEndpointGroup): Record<string, unknown> {
  return {
    EndpointGroupArn: g.arn,
    EndpointGroupRegion: g.region,
    EndpointDescriptions: g.endpoints.map((e) => ({
      EndpointId: e.endpointId,
      Weight: e.weight,
      HealthState: e.healthState,
      ...(e.healthReason !== undefined ? { HealthReason: e.healthReason } : {}),
      ClientIPPreservationEnabled: e.clientIpPreservation,
    })),
    // GA stores the dial as a 32-bit float; echo it as one, as the service would.
    TrafficDialPercentage: Math.fround(g.trafficDialPercent),
    ...(g.healthCheck.port !== undefined ? { HealthCheckPort: g.healthCheck.port } : {}),
    HealthCheckProtocol: g.healthCheck.protocol,
    ...(g.healthCheck.path !== undefined ? { HealthCheckPath: g.healthCheck.path } : {}),
    HealthCheckIntervalSeconds: g.healthCheck.intervalSeconds,
    ThresholdCount: g.healthCheck.thresholdCount,
    PortOverrides: g.portOverrides.map((p) => ({ ListenerPort: p.listenerPort, EndpointPort: p.endpointPort })),
  };
}
