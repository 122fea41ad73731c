// The AcceleratorGateway port over the real AWS SDK.

import type { GlobalAcceleratorClient } from '@aws-sdk/client-global-accelerator';
import type { Plan } from '../../plan/types.js';
import type { AcceleratorGateway, ApplyReport, WriteGuard } from '../../ports/accelerator-gateway.js';
import type { AcceleratorTopology } from '../../snapshot/schema.js';
import { DEFAULT_RETRY, type RetryPolicy } from '../aws/retry.js';
import { applyPlanToGa, type ApplyOptions } from './apply-plan.js';
import { GaApi } from './ga-api.js';
import { readAcceleratorTopology } from './read-topology.js';

export interface GlobalAcceleratorGatewayOptions extends ApplyOptions {
  readonly retry?: RetryPolicy;
  readonly now?: () => Date;
}

export class GlobalAcceleratorGateway implements AcceleratorGateway {
  private readonly api: GaApi;
  private readonly now: () => Date;

  constructor(
    client: GlobalAcceleratorClient,
    private readonly options: GlobalAcceleratorGatewayOptions = {},
  ) {
    this.api = new GaApi(client, options.retry ?? DEFAULT_RETRY);
    this.now = options.now ?? (() => new Date());
  }

  readTopology(acceleratorArn: string, listenerArns: readonly string[]): Promise<AcceleratorTopology> {
    return readAcceleratorTopology(this.api, acceleratorArn, listenerArns, this.now);
  }

  applyPlan(plan: Plan, guard?: WriteGuard): Promise<ApplyReport> {
    return applyPlanToGa(this.api, plan, this.options, guard);
  }
}
