// The emulated Global Accelerator, driven by the unmodified AWS SDK client over HTTP.

import {
  AddEndpointsCommand,
  DescribeAcceleratorCommand,
  DescribeEndpointGroupCommand,
  EndpointGroupNotFoundException,
  InvalidArgumentException,
  InvalidNextTokenException,
  LimitExceededException,
  ListAcceleratorsCommand,
  ListEndpointGroupsCommand,
  ListListenersCommand,
  ListTagsForResourceCommand,
  RemoveEndpointsCommand,
  UpdateEndpointGroupCommand,
  AcceleratorNotFoundException,
  ListenerNotFoundException,
} from '@aws-sdk/client-global-accelerator';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';

let t: TestEmulator;
beforeEach(async () => {
  t = await startTestEmulator('crazycall-hot.json', { deployDelayMs: 100 });
});
afterEach(async () => t.close());

const accelerator = (): string => t.snapshot.accelerators[0]?.arn as string;
const listener = (): string => t.snapshot.accelerators[0]?.listeners[0]?.arn as string;
const group = (): string => t.snapshot.accelerators[0]?.listeners[0]?.endpointGroups[0]?.arn as string;
const nlb = 'arn:aws:elasticloadbalancing:eu-central-1:123456789012:loadbalancer/net/voip-fra/7d3b2f1a9c4e5d60';

describe('Global Accelerator emulator (awsJson1_1 over HTTP, real SDK client)', () => {
  it('lists and describes what it was seeded with', async () => {
    const list = await t.ga.send(new ListAcceleratorsCommand({}));
    expect(list.Accelerators?.map((a) => a.AcceleratorArn)).toEqual([accelerator()]);
    expect(list.Accelerators?.[0]?.CreatedTime).toBeInstanceOf(Date);
    const listeners = await t.ga.send(new ListListenersCommand({ AcceleratorArn: accelerator() }));
    expect(listeners.Listeners).toHaveLength(2);
    const groups = await t.ga.send(new ListEndpointGroupsCommand({ ListenerArn: listener() }));
    expect(groups.EndpointGroups?.map((g) => g.EndpointGroupRegion)).toEqual(['eu-central-1', 'eu-west-1']);
    const g = await t.ga.send(new DescribeEndpointGroupCommand({ EndpointGroupArn: group() }));
    expect(g.EndpointGroup?.EndpointDescriptions?.[0]).toMatchObject({ EndpointId: nlb, Weight: 128, HealthState: 'HEALTHY', ClientIPPreservationEnabled: false });
    expect(t.emulator.calls.every((c) => c.region === 'us-west-2')).toBe(true);
  });

  it('pages with NextToken and rejects a token it did not issue', async () => {
    const first = await t.ga.send(new ListEndpointGroupsCommand({ ListenerArn: listener(), MaxResults: 1 }));
    expect(first.EndpointGroups).toHaveLength(1);
    expect(first.NextToken).toBeDefined();
    const second = await t.ga.send(new ListEndpointGroupsCommand({ ListenerArn: listener(), MaxResults: 1, NextToken: first.NextToken }));
    expect(second.EndpointGroups?.[0]?.EndpointGroupRegion).toBe('eu-west-1');
    expect(second.NextToken).toBeUndefined();
    await expect(t.ga.send(new ListEndpointGroupsCommand({ ListenerArn: listener(), NextToken: 'bogus' }))).rejects.toBeInstanceOf(InvalidNextTokenException);
    await expect(t.ga.send(new ListAcceleratorsCommand({ MaxResults: 101 }))).rejects.toBeInstanceOf(InvalidArgumentException);
  });

  it('a dial-only update changes the dial and nothing else; status goes IN_PROGRESS then DEPLOYED', async () => {
    const out = await t.ga.send(new UpdateEndpointGroupCommand({ EndpointGroupArn: group(), TrafficDialPercentage: 33.3 }));
    // GA stores the dial as a 32-bit float.
    expect(out.EndpointGroup?.TrafficDialPercentage).toBeCloseTo(33.3, 4);
    expect(out.EndpointGroup?.TrafficDialPercentage).not.toBe(33.3);
    expect(out.EndpointGroup?.EndpointDescriptions?.[0]).toMatchObject({ EndpointId: nlb, Weight: 128, ClientIPPreservationEnabled: false });
    const during = await t.ga.send(new DescribeAcceleratorCommand({ AcceleratorArn: accelerator() }));
    expect(during.Accelerator?.Status).toBe('IN_PROGRESS');
    await new Promise((r) => setTimeout(r, 150));
    const after = await t.ga.send(new DescribeAcceleratorCommand({ AcceleratorArn: accelerator() }));
    expect(after.Accelerator?.Status).toBe('DEPLOYED');
  });

  it('EndpointConfigurations replaces the whole list; omitted Weight and client-IP flag take defaults', async () => {
    const alb = 'arn:aws:elasticloadbalancing:eu-central-1:123456789012:loadbalancer/app/web-fra/1a2b3c4d5e6f7a8b';
    const out = await t.ga.send(new UpdateEndpointGroupCommand({ EndpointGroupArn: group(), EndpointConfigurations: [{ EndpointId: alb }] }));
    expect(out.EndpointGroup?.EndpointDescriptions).toEqual([{ EndpointId: alb, Weight: 128, HealthState: 'INITIAL', ClientIPPreservationEnabled: true }]);
    // The NLB that was left out is gone: this is why ga-steer always writes back every endpoint.
    const cleared = await t.ga.send(new UpdateEndpointGroupCommand({ EndpointGroupArn: group(), EndpointConfigurations: [] }));
    expect(cleared.EndpointGroup?.EndpointDescriptions).toEqual([]);
  });

  it('validates like the service and changes nothing on a rejected request', async () => {
    const bad = [
      { EndpointGroupArn: group(), TrafficDialPercentage: 101 },
      { EndpointGroupArn: group(), TrafficDialPercentage: -1 },
      { EndpointGroupArn: group(), EndpointConfigurations: [{ EndpointId: nlb, Weight: 256 }] },
      { EndpointGroupArn: group(), EndpointConfigurations: [{ EndpointId: nlb }, { EndpointId: nlb }] },
      { EndpointGroupArn: group(), EndpointConfigurations: Array.from({ length: 11 }, (_, i) => ({ EndpointId: `i-0000000000000000${i.toString(16)}` })) },
      { EndpointGroupArn: group(), EndpointConfigurations: [{ EndpointId: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/x/1234567890abcdef' }] },
      { EndpointGroupArn: group(), HealthCheckIntervalSeconds: 5 },
      { EndpointGroupArn: group(), HealthCheckPath: 'no-slash' },
      { EndpointGroupArn: 'not-an-arn', TrafficDialPercentage: 50 },
      { EndpointGroupArn: group(), EndpointConfigurations: [{ EndpointId: 'i-0123456789abcdef0', ClientIPPreservationEnabled: false }] },
    ];
    for (const input of bad) {
      await expect(t.ga.send(new UpdateEndpointGroupCommand(input)), JSON.stringify(input)).rejects.toBeInstanceOf(InvalidArgumentException);
    }
    const g = await t.ga.send(new DescribeEndpointGroupCommand({ EndpointGroupArn: group() }));
    expect(g.EndpointGroup).toMatchObject({ TrafficDialPercentage: 100, HealthCheckIntervalSeconds: 10 });
    expect(g.EndpointGroup?.EndpointDescriptions).toHaveLength(1);
    expect(t.emulator.ga.writeLog).toHaveLength(0);
  });

  it('reports unknown resources with the not-found shapes and status 400, as the API reference documents', async () => {
    const unknownGroup = `${listener()}/endpoint-group/ffffffffffff`;
    const e = await t.ga.send(new DescribeEndpointGroupCommand({ EndpointGroupArn: unknownGroup })).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(EndpointGroupNotFoundException);
    expect((e as EndpointGroupNotFoundException).$metadata.httpStatusCode).toBe(400);
    expect((e as EndpointGroupNotFoundException).message).toContain(unknownGroup);
    const noAccelerator = await t.ga.send(new DescribeAcceleratorCommand({ AcceleratorArn: 'arn:aws:globalaccelerator::123456789012:accelerator/nope' })).catch((x: unknown) => x);
    expect(noAccelerator).toBeInstanceOf(AcceleratorNotFoundException);
    expect((noAccelerator as AcceleratorNotFoundException).$metadata.httpStatusCode).toBe(400);
    const noListener = await t.ga.send(new ListEndpointGroupsCommand({ ListenerArn: `${accelerator()}/listener/ffffffff` })).catch((x: unknown) => x);
    expect(noListener).toBeInstanceOf(ListenerNotFoundException);
    expect((noListener as ListenerNotFoundException).$metadata.httpStatusCode).toBe(400);
  });

  it('adds and removes endpoints, within the 10-endpoint limit', async () => {
    const ids = Array.from({ length: 9 }, (_, i) => `i-0000000000000000${i}`);
    const added = await t.ga.send(new AddEndpointsCommand({ EndpointGroupArn: group(), EndpointConfigurations: ids.map((id) => ({ EndpointId: id, Weight: 10 })) }));
    expect(added.EndpointDescriptions).toHaveLength(9);
    const over = await t.ga.send(new AddEndpointsCommand({ EndpointGroupArn: group(), EndpointConfigurations: [{ EndpointId: 'i-00000000000000aa' }] })).catch((x: unknown) => x);
    expect(over).toBeInstanceOf(LimitExceededException);
    expect((over as LimitExceededException).$metadata.httpStatusCode).toBe(400);
    await t.ga.send(new RemoveEndpointsCommand({ EndpointGroupArn: group(), EndpointIdentifiers: [{ EndpointId: ids[0] as string }] }));
    const g = await t.ga.send(new DescribeEndpointGroupCommand({ EndpointGroupArn: group() }));
    expect(g.EndpointGroup?.EndpointDescriptions?.map((e) => e.EndpointId)).toEqual([nlb, ...ids.slice(1)]);
  });

  it('lists tags of an accelerator', async () => {
    const tags = await t.ga.send(new ListTagsForResourceCommand({ ResourceArn: accelerator() }));
    expect(tags.Tags).toEqual([{ Key: 'managed-by', Value: 'ga-steer-emulator' }]);
  });

  it('injects throttling, 5xx and disconnects as the SDK sees them', async () => {
    t.emulator.faults.add({ operation: 'DescribeEndpointGroup', kind: 'throttle' });
    t.emulator.faults.add({ operation: 'DescribeEndpointGroup', kind: 'server-error', after: 1 });
    const send = () => t.ga.send(new DescribeEndpointGroupCommand({ EndpointGroupArn: group() }));
    await expect(send()).rejects.toMatchObject({ name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
    await expect(send()).rejects.toMatchObject({ name: 'InternalServiceErrorException', $metadata: { httpStatusCode: 500 } });
    await expect(send()).resolves.toBeDefined();
    t.emulator.faults.add({ operation: '*', kind: 'disconnect' });
    await expect(send()).rejects.toThrow();
  });

  it('refuses unsigned requests and unknown targets', async () => {
    const res = await fetch(t.emulator.url, { method: 'POST', headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'GlobalAccelerator_V20180706.ListAccelerators' }, body: '{}' });
    expect(res.status).toBe(403);
    const unknown = await fetch(t.emulator.url, { method: 'POST', headers: { 'x-amz-target': 'Nope.Op' }, body: '{}' });
    expect(unknown.status).toBe(400);
  });
});
