// The Global Accelerator calls ga-steer makes, each with retries and pagination, returning checked
// ga-steer types. The only file that sends GA commands.

import {
  DescribeAcceleratorCommand,
  DescribeEndpointGroupCommand,
  ListEndpointGroupsCommand,
  ListListenersCommand,
  UpdateEndpointGroupCommand,
  type EndpointConfiguration,
  type EndpointGroup,
  type GlobalAcceleratorClient,
  type Listener,
} from '@aws-sdk/client-global-accelerator';
import { callWithRetry, DEFAULT_RETRY, type RetryPolicy } from '../aws/retry.js';
import type { EndpointGroupTopology } from '../../snapshot/schema.js';
import { endpointGroupOf, UnexpectedResponseError } from './wire-to-topology.js';
import type { Accelerator } from '@aws-sdk/client-global-accelerator';

const SERVICE = 'GlobalAccelerator';
const PAGE_SIZE = 100;

export class GaApi {
  constructor(
    private readonly client: GlobalAcceleratorClient,
    private readonly retry: RetryPolicy = DEFAULT_RETRY,
  ) {}

  private call<T>(operation: string, send: () => Promise<T>): Promise<T> {
    return callWithRetry(SERVICE, operation, this.retry, send);
  }

  async describeAccelerator(arn: string): Promise<Accelerator> {
    const out = await this.call('DescribeAccelerator', () => this.client.send(new DescribeAcceleratorCommand({ AcceleratorArn: arn })));
    if (out.Accelerator === undefined) throw new UnexpectedResponseError('DescribeAccelerator', arn, 'Accelerator is missing');
    return out.Accelerator;
  }

  async listListeners(acceleratorArn: string): Promise<Listener[]> {
    const all: Listener[] = [];
    let token: string | undefined;
    do {
      const out = await this.call('ListListeners', () =>
        this.client.send(new ListListenersCommand({ AcceleratorArn: acceleratorArn, MaxResults: PAGE_SIZE, ...(token !== undefined ? { NextToken: token } : {}) })),
      );
      all.push(...(out.Listeners ?? []));
      token = out.NextToken;
    } while (token !== undefined && token !== '');
    return all;
  }

  async listEndpointGroups(listenerArn: string): Promise<EndpointGroup[]> {
    const all: EndpointGroup[] = [];
    let token: string | undefined;
    do {
      const out = await this.call('ListEndpointGroups', () =>
        this.client.send(new ListEndpointGroupsCommand({ ListenerArn: listenerArn, MaxResults: PAGE_SIZE, ...(token !== undefined ? { NextToken: token } : {}) })),
      );
      all.push(...(out.EndpointGroups ?? []));
      token = out.NextToken;
    } while (token !== undefined && token !== '');
    return all;
  }

  async describeEndpointGroup(arn: string): Promise<EndpointGroupTopology> {
    const out = await this.call('DescribeEndpointGroup', () => this.client.send(new DescribeEndpointGroupCommand({ EndpointGroupArn: arn })));
    if (out.EndpointGroup === undefined) throw new UnexpectedResponseError('DescribeEndpointGroup', arn, 'EndpointGroup is missing');
    return endpointGroupOf(out.EndpointGroup, 'DescribeEndpointGroup');
  }

  /** Sends only the dial: every other setting, the endpoint list included, stays as it is. */
  async setDial(arn: string, dialPercent: number): Promise<EndpointGroupTopology> {
    const out = await this.call('UpdateEndpointGroup', () =>
      this.client.send(new UpdateEndpointGroupCommand({ EndpointGroupArn: arn, TrafficDialPercentage: dialPercent })),
    );
    if (out.EndpointGroup === undefined) throw new UnexpectedResponseError('UpdateEndpointGroup', arn, 'EndpointGroup is missing');
    return endpointGroupOf(out.EndpointGroup, 'UpdateEndpointGroup');
  }

  /**
   * Replaces the endpoint list (the API's only way to change weights). The caller passes every endpoint
   * with its id, weight and client-IP flag, because omitted endpoints are removed and omitted fields reset.
   */
  async setEndpoints(arn: string, endpoints: readonly { endpointId: string; weight: number; clientIpPreservation: boolean }[]): Promise<EndpointGroupTopology> {
    const configurations: EndpointConfiguration[] = endpoints.map((e) => ({
      EndpointId: e.endpointId,
      // Always explicit: an omitted weight becomes 128, and weight 0 is meaningful.
      Weight: e.weight,
      ClientIPPreservationEnabled: e.clientIpPreservation,
    }));
    const out = await this.call('UpdateEndpointGroup', () =>
      this.client.send(new UpdateEndpointGroupCommand({ EndpointGroupArn: arn, EndpointConfigurations: configurations })),
    );
    if (out.EndpointGroup === undefined) throw new UnexpectedResponseError('UpdateEndpointGroup', arn, 'EndpointGroup is missing');
    return endpointGroupOf(out.EndpointGroup, 'UpdateEndpointGroup');
  }
}
