// The Global Accelerator calls ga-steer makes, each under a deadline, returning checked ga-steer types.
// Reads retry and follow pagination; writes are one attempt each (their caller reads afresh and judges
// again before another). The only file that sends GA commands.

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
import { callAwsOnce, callWithRetry, DEFAULT_RETRY, type RetryPolicy } from '../aws/retry.js';
import type { EndpointGroupTopology } from '../../snapshot/schema.js';
import { GA_API_REGION } from './client.js';
import { endpointGroupOf, UnexpectedResponseError } from './wire-to-topology.js';
import type { Accelerator } from '@aws-sdk/client-global-accelerator';

const SERVICE = 'GlobalAccelerator';
const PAGE_SIZE = 100;

export class GaApi {
  constructor(
    private readonly client: GlobalAcceleratorClient,
    readonly retry: RetryPolicy = DEFAULT_RETRY,
  ) {}

  private call<T>(operation: string, send: (signal: AbortSignal) => Promise<T>): Promise<T> {
    return callWithRetry(SERVICE, operation, this.retry, send, GA_API_REGION);
  }

  /** One attempt (`attempt` is its number, for messages): a failed write is never repeated from here. */
  private write<T>(attempt: number, send: (signal: AbortSignal) => Promise<T>): Promise<T> {
    return callAwsOnce({ service: SERVICE, operation: 'UpdateEndpointGroup', target: GA_API_REGION }, this.retry, send, attempt);
  }

  async describeAccelerator(arn: string): Promise<Accelerator> {
    const out = await this.call('DescribeAccelerator', (abortSignal) => this.client.send(new DescribeAcceleratorCommand({ AcceleratorArn: arn }), { abortSignal }));
    if (out.Accelerator === undefined) throw new UnexpectedResponseError('DescribeAccelerator', arn, 'Accelerator is missing');
    return out.Accelerator;
  }

  async listListeners(acceleratorArn: string): Promise<Listener[]> {
    const all: Listener[] = [];
    let token: string | undefined;
    do {
      const out = await this.call('ListListeners', (abortSignal) =>
        this.client.send(new ListListenersCommand({ AcceleratorArn: acceleratorArn, MaxResults: PAGE_SIZE, ...(token !== undefined ? { NextToken: token } : {}) }), { abortSignal }),
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
      const out = await this.call('ListEndpointGroups', (abortSignal) =>
        this.client.send(new ListEndpointGroupsCommand({ ListenerArn: listenerArn, MaxResults: PAGE_SIZE, ...(token !== undefined ? { NextToken: token } : {}) }), { abortSignal }),
      );
      all.push(...(out.EndpointGroups ?? []));
      token = out.NextToken;
    } while (token !== undefined && token !== '');
    return all;
  }

  async describeEndpointGroup(arn: string): Promise<EndpointGroupTopology> {
    const out = await this.call('DescribeEndpointGroup', (abortSignal) => this.client.send(new DescribeEndpointGroupCommand({ EndpointGroupArn: arn }), { abortSignal }));
    if (out.EndpointGroup === undefined) throw new UnexpectedResponseError('DescribeEndpointGroup', arn, 'EndpointGroup is missing');
    return endpointGroupOf(out.EndpointGroup, 'DescribeEndpointGroup');
  }

  /** Sends only the dial: every other setting, the endpoint list included, stays as it is. One attempt. */
  async setDial(arn: string, dialPercent: number, attempt = 1): Promise<EndpointGroupTopology> {
    const out = await this.write(attempt, (abortSignal) => this.client.send(new UpdateEndpointGroupCommand({ EndpointGroupArn: arn, TrafficDialPercentage: dialPercent }), { abortSignal }));
    if (out.EndpointGroup === undefined) throw new UnexpectedResponseError('UpdateEndpointGroup', arn, 'EndpointGroup is missing');
    return endpointGroupOf(out.EndpointGroup, 'UpdateEndpointGroup');
  }

  /**
   * Replaces the endpoint list (the API's only way to change weights). The caller passes every endpoint
   * with its id, weight and client-IP flag, because omitted endpoints are removed and omitted fields reset.
   * One attempt.
   */
  async setEndpoints(arn: string, endpoints: readonly { endpointId: string; weight: number; clientIpPreservation: boolean }[], attempt = 1): Promise<EndpointGroupTopology> {
    const configurations: EndpointConfiguration[] = endpoints.map((e) => ({
      EndpointId: e.endpointId,
      // Always explicit: an omitted weight becomes 128, and weight 0 is meaningful.
      Weight: e.weight,
      ClientIPPreservationEnabled: e.clientIpPreservation,
    }));
    const out = await this.write(attempt, (abortSignal) => this.client.send(new UpdateEndpointGroupCommand({ EndpointGroupArn: arn, EndpointConfigurations: configurations }), { abortSignal }));
    if (out.EndpointGroup === undefined) throw new UnexpectedResponseError('UpdateEndpointGroup', arn, 'EndpointGroup is missing');
    return endpointGroupOf(out.EndpointGroup, 'UpdateEndpointGroup');
  }
}
