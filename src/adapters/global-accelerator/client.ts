// The Global Accelerator client. The API lives only in us-west-2, whatever Region ga-steer runs in.

import { GlobalAcceleratorClient } from '@aws-sdk/client-global-accelerator';
import { sdkConfig, type AwsClientOptions } from '../aws/client-config.js';
import { watchServerClock, type ServerClockObserver } from '../aws/server-clock.js';

export const GA_API_REGION = 'us-west-2';

/** With `serverClock`, every response's `Date` is compared with the local clock. */
export function createGlobalAcceleratorClient(options: AwsClientOptions = {}, serverClock?: ServerClockObserver): GlobalAcceleratorClient {
  const client = new GlobalAcceleratorClient(sdkConfig(options, GA_API_REGION));
  if (serverClock !== undefined) watchServerClock(client.middlewareStack, serverClock, 'globalaccelerator');
  return client;
}
