// The scheduled Lambda's work, kept out of the handler file so it is tested like any other module:
// configuration from the environment (parsed, never trusted), one control cycle, a one-line JSON log.

import { S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';
import { S3StateStore } from '../adapters/state/s3-state-store.js';
import type { Policy } from '../policy/schema.js';
import { runControlCycle, type CycleMode } from './control-cycle.js';
import { GaSteerError } from './errors.js';
import { loadPolicyFile } from './input-files.js';
import { wireLive } from './live-wiring.js';

const envSchema = z.object({
  GA_STEER_POLICY: z.string().min(1).default('policy.yaml'),
  GA_STEER_STATE_BUCKET: z.string().min(3),
  GA_STEER_STATE_KEY: z.string().min(1).default('ga-steer/state.json'),
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
  readonly problems: readonly string[];
}

let cachedS3: { key: string; client: S3Client } | undefined;
let cachedPolicy: { file: string; policy: Policy } | undefined;

export async function runLambdaCycle(event: unknown, env: Readonly<Record<string, string | undefined>>, log: (line: string) => void = (l) => console.log(l)): Promise<LambdaCycleSummary> {
  const config = envSchema.safeParse(env);
  if (!config.success) throw new LambdaConfigError(`Lambda configuration: ${config.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const parsedEvent = eventSchema.safeParse(event ?? {});
  // The stricter of the two wins: the environment's plan-only switch cannot be overridden by an event.
  const mode: CycleMode = config.data.GA_STEER_MODE === 'plan' || (parsedEvent.success && parsedEvent.data.mode === 'plan') ? 'plan' : 'apply';

  if (cachedPolicy?.file !== config.data.GA_STEER_POLICY) {
    cachedPolicy = { file: config.data.GA_STEER_POLICY, policy: (await loadPolicyFile(config.data.GA_STEER_POLICY, { use: 'live' })).policy };
  }
  const policy = cachedPolicy.policy;
  // Made once per warm container, like the policy: not on every invocation.
  const s3key = `${config.data.AWS_REGION}|${env.AWS_ENDPOINT_URL_S3 ?? ''}`;
  if (cachedS3?.key !== s3key) {
    cachedS3?.client.destroy();
    cachedS3 = { key: s3key, client: new S3Client({ region: config.data.AWS_REGION, maxAttempts: 1, ...(env.AWS_ENDPOINT_URL_S3 !== undefined ? { forcePathStyle: true } : {}) }) };
  }
  const s3 = cachedS3.client;
  const wiring = wireLive(policy, {
    reuseSources: true,
    env,
    stateStore: new S3StateStore(s3, config.data.GA_STEER_STATE_BUCKET, config.data.GA_STEER_STATE_KEY),
    notify: true,
    log: (line) => log(JSON.stringify({ level: 'warn', message: line })),
    // A Lambda has minutes, not hours: wait for DEPLOYED at most two minutes.
    deployTimeoutMs: 120_000,
  });
  try {
    const { plan, report, problems } = await runControlCycle(wiring.deps, policy, mode);
    const summary: LambdaCycleSummary = {
      policy: policy.name,
      mode,
      verdict: plan.summary.verdict,
      headline: plan.summary.headline,
      changes: plan.changes.length,
      holds: plan.holds.map((h) => h.reason),
      applyOutcome: report?.outcome ?? null,
      problems,
    };
    log(JSON.stringify({ level: 'info', message: 'cycle', ...summary }));
    return summary;
  } finally {
    wiring.close();
  }
}
