// The Global Accelerator client. The API lives only in us-west-2, whatever Region ga-steer runs in.

import { GlobalAcceleratorClient } from '@aws-sdk/client-global-accelerator';
import { sdkConfig, type AwsClientOptions } from '../aws/client-config.js';

export const GA_API_REGION = 'us-west-2';

export function createGlobalAcceleratorClient(options: AwsClientOptions = {}): GlobalAcceleratorClient {
  return new GlobalAcceleratorClient(sdkConfig(options, GA_API_REGION));
}
