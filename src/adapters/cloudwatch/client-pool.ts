// One CloudWatch client per Region: endpoint metrics live in the endpoint's own Region, GA's in us-west-2.

import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { sdkConfig, type AwsClientOptions } from '../aws/client-config.js';

export class CloudWatchClientPool {
  private readonly clients = new Map<string, CloudWatchClient>();

  constructor(private readonly options: AwsClientOptions = {}) {}

  forRegion(region: string): CloudWatchClient {
    let client = this.clients.get(region);
    if (client === undefined) {
      client = new CloudWatchClient(sdkConfig(this.options, region));
      this.clients.set(region, client);
    }
    return client;
  }

  destroy(): void {
    for (const c of this.clients.values()) c.destroy();
    this.clients.clear();
  }
}
