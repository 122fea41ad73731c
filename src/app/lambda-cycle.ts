// The scheduled Lambda's work, kept out of the handler file so it is tested like any other module:
// configuration from the environment (parsed, never trusted), one control cycle, a one-line JSON log.
// State and lease live in one DynamoDB item per accelerator: overlapping invocations (a retry, a second
// stage or Region) find the lease held and hold, and a stale holder's conditional writes are refused.

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { z } from 'zod';
import { DynamoDbStateStore } from '../adapters/state/dynamodb-state-store.js';
import type { Policy } from '../policy/schema.js';
import { runControlCycle, type CycleMode, type CycleResult } from './control-cycle.js';
import { GaSteerError } from './errors.js';
import { loadPolicyFile } from './input-files.js';
import { DEFAULT_LEASE_TTL_MS } from './lease-owner.js';
import { wireLive } from './live-wiring.js';

const envSchema = z.object({
  GA_STEER_POLICY: z.string().min(1).default('policy.yaml'),
  /** The DynamoDB table of leases and states (one item per accelerator, keyed by its ARN). */
  GA_STEER_STATE_TABLE: z.string().regex(/^[A-Za-z0-9_.-]{3,255}$/, 'a DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -)'),
  /** How long the lease lasts unless renewed: how long a crashed invocation blocks the next one. */
  GA_STEER_LEASE_TTL_SECONDS: z.coerce.number().min(1).max(900).default(DEFAULT_LEASE_TTL_MS / 1000),
  /** The kill switch an on-call engineer can flip without a deploy of new code: plan only. */
  GA_STEER_MODE: z.enum(['apply', 'plan']).default('apply'),
  AWS_REGION: z.string().min(1).default('us-west-2'),
});

const eventSchema = z.looseObject({ mode: z.enum(['apply', 'plan']).optional() });

export class LambdaConfigError extends GaSteerError {
  override readonly name = 'LambdaConfigError';
}

export interface LambdaCycleSummary {
  readonly policy: string;
  readonly mode: CycleMode;
  readonly verdict: string;
  readonly headline: string;
  readonly changes: number;
  readonly holds: readonly string[];
  readonly applyOutcome: string | null;
  /** The lease: kept, held-elsewhere (this invocation held), lost (the state was not saved). */
  readonly lease: CycleResult['lease']['status'];
  readonly problems: readonly string[];
}

let cachedDynamoDb: { key: string; client: DynamoDBClient } | undefined;
let cachedPolicy: { file: string; policy: Policy } | undefined;

export async function runLambdaCycle(event: unknown, env: Readonly<Record<string, string | undefined>>, log: (line: string) => void = (l) => console.log(l)): Promise<LambdaCycleSummary> {
  const config = envSchema.safeParse(env);
  if (!config.success) throw new LambdaConfigError(`Lambda configuration: ${config.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const parsedEvent = eventSchema.safeParse(event ?? {});
  // The stricter of the two wins: the environment's plan-only switch cannot be overridden by an event.
  const mode: CycleMode = config.data.GA_STEER_MODE === 'plan' || (parsedEvent.success && parsedEvent.data.mode === 'plan') ? 'plan' : 'apply';

  if (cachedPolicy?.file !== config.data.GA_STEER_POLICY) {
    cachedPolicy = { file: config.data.GA_STEER_POLICY, policy: (await loadPolicyFile(config.data.GA_STEER_POLICY)).policy };
  }
  const policy = cachedPolicy.policy;
  // Made once per warm container, like the policy: not on every invocation.
  const dbKey = `${config.data.AWS_REGION}|${env.AWS_ENDPOINT_URL_DYNAMODB ?? ''}`;
  if (cachedDynamoDb?.key !== dbKey) {
    cachedDynamoDb?.client.destroy();
    cachedDynamoDb = { key: dbKey, client: new DynamoDBClient({ region: config.data.AWS_REGION, maxAttempts: 1 }) };
  }
  const wiring = wireLive(policy, {
    reuseSources: true,
    env,
    stateStore: new DynamoDbStateStore(cachedDynamoDb.client, config.data.GA_STEER_STATE_TABLE, policy.accelerator.arn),
    lease: { ttlMs: config.data.GA_STEER_LEASE_TTL_SECONDS * 1000 },
    notify: true,
    log: (line) => log(JSON.stringify({ level: 'warn', message: line })),
    // A Lambda has minutes, not hours: wait for DEPLOYED at most two minutes.
    deployTimeoutMs: 120_000,
  });
  try {
    const { plan, report, problems, lease } = await runControlCycle(wiring.deps, policy, mode);
    const summary: LambdaCycleSummary = {
      policy: policy.name,
      mode,
      verdict: plan.summary.verdict,
      headline: plan.summary.headline,
      changes: plan.changes.length,
      holds: plan.holds.map((h) => h.reason),
      applyOutcome: report?.outcome ?? null,
      lease: lease.status,
      problems,
    };
    log(JSON.stringify({ level: 'info', message: 'cycle', ...summary }));
    return summary;
  } finally {
    wiring.close();
  }
}
