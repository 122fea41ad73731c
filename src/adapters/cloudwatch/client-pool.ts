// One CloudWatch client per Region: endpoint metrics live in the endpoint's own Region, GA's in us-west-2.

import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { sdkConfig, type AwsClientOptions } from '../aws/client-config.js';
import { watchServerClock, type ServerClockObserver } from '../aws/server-clock.js';

export class CloudWatchClientPool {
  private readonly clients = new Map<string, CloudWatchClient>();

  /** With `serverClock`, every response's `Date` is compared with the local clock. */
  constructor(
    private readonly options: AwsClientOptions = {},
    private readonly serverClock?: ServerClockObserver,
  ) {}

  forRegion(region: string): CloudWatchClient {
    let client = this.clients.get(region);
    if (client === undefined) {
      client = new CloudWatchClient(sdkConfig(this.options, region));
      if (this.serverClock !== undefined) watchServerClock(client.middlewareStack, this.serverClock, `cloudwatch ${region}`);
      this.clients.set(region, client);
    }
    return client;
  }

  destroy(): void {
    for (const c of this.clients.values()) c.destroy();
    this.clients.clear();
  }
}
