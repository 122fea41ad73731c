// The scheduled Lambda's work, kept out of the handler file so it is tested like any other module:
// configuration from the environment (parsed, never trusted), one control cycle under a deadline that
// ends before the function's own timeout, a one-line JSON log. Every log line and any error thrown
// (the runtime logs it) pass through the secret redactor. State and lease live in one DynamoDB item per
// accelerator: overlapping invocations (a retry, a second stage or Region) find the lease held and
// hold, and a stale holder's conditional writes are refused.

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { z } from 'zod';
import { CycleDeadline } from '../adapters/deadline/cycle-deadline.js';
import { CycleDeadlineError, DeadlineExceededError } from '../adapters/deadline/errors.js';
import { DynamoDbStateStore } from '../adapters/state/dynamodb-state-store.js';
import type { Policy } from '../policy/schema.js';
import type { RanOutCall } from '../ports/ran-out-call.js';
import { AlertMemoryCaches } from './alert-delivery.js';
import { runControlCycle, type CycleMode, type CycleResult } from './control-cycle.js';
import { GaSteerError } from './errors.js';
import { loadPolicyFile } from './input-files.js';
import { DEFAULT_LEASE_TTL_MS } from './lease-owner.js';
import { wireLive } from './live-wiring.js';
import { SecretRedactor } from './redact.js';

/**
 * The cycle's deadline when the runtime does not say how long is left. Below serverless.yml's
 * `timeout` (240 s); GA_STEER_CYCLE_TIMEOUT_SECONDS sets another.
 */
export const DEFAULT_LAMBDA_CYCLE_TIMEOUT_SECONDS = 200;
/** Kept back from the function's remaining time: the runtime's own work after the handler returns. */
const LAMBDA_MARGIN_MS = 15_000;

const envSchema = z.object({
  GA_STEER_POLICY: z.string().min(1).default('policy.yaml'),
  /** The DynamoDB table of leases and states (one item per accelerator, keyed by its ARN). */
  GA_STEER_STATE_TABLE: z.string().regex(/^[A-Za-z0-9_.-]{3,255}$/, 'a DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -)'),
  /** How long the lease lasts unless renewed: how long a crashed invocation blocks the next one. */
  GA_STEER_LEASE_TTL_SECONDS: z.coerce.number().min(1).max(900).default(DEFAULT_LEASE_TTL_MS / 1000),
  /** The kill switch an on-call engineer can flip without a deploy of new code: plan only. */
  GA_STEER_MODE: z.enum(['apply', 'plan']).default('apply'),
  AWS_REGION: z.string().min(1).default('us-west-2'),
  GA_STEER_CYCLE_TIMEOUT_SECONDS: z.coerce.number().positive().default(DEFAULT_LAMBDA_CYCLE_TIMEOUT_SECONDS),
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
  /** The call the cycle's deadline cut off, when it stopped the apply. */
  readonly ranOut?: RanOutCall;
}

export interface LambdaCycleOptions {
  /** The one redactor, built at cold start from the environment; else one is built here. */
  readonly secrets?: SecretRedactor;
  /** Where log lines go (already redacted); default console.log. */
  readonly log?: (line: string) => void;
  /** The function's remaining time (context.getRemainingTimeInMillis()), when the runtime gives it. */
  readonly remainingTimeMs?: number;
}

let cachedDynamoDb: { key: string; client: DynamoDBClient } | undefined;
let cachedPolicy: { file: string; policy: Policy } | undefined;
/** Per accelerator, kept by a warm container: what the alerts said when the store could not be read, and in plan mode. */
const alertCaches = new AlertMemoryCaches();

export async function runLambdaCycle(event: unknown, env: Readonly<Record<string, string | undefined>>, options: LambdaCycleOptions = {}): Promise<LambdaCycleSummary> {
  const secrets = options.secrets ?? new SecretRedactor(env);
  const print = options.log ?? ((l: string) => console.log(l));
  const log = (line: string): void => print(secrets.redact(line));
  try {
    return await runCycle(event, env, secrets, log, options.remainingTimeMs);
  } catch (e) {
    log(JSON.stringify({ level: 'error', message: 'cycle failed', error: errorText(e), ...ranOutOf(e) }));
    throw redactedError(e, secrets);
  }
}

async function runCycle(event: unknown, env: Readonly<Record<string, string | undefined>>, secrets: SecretRedactor, log: (line: string) => void, remainingTimeMs: number | undefined): Promise<LambdaCycleSummary> {
  const config = envSchema.safeParse(env);
  if (!config.success) throw new LambdaConfigError(`Lambda configuration: ${config.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const parsedEvent = eventSchema.safeParse(event ?? {});
  // The stricter of the two wins: the environment's plan-only switch cannot be overridden by an event.
  const mode: CycleMode = config.data.GA_STEER_MODE === 'plan' || (parsedEvent.success && parsedEvent.data.mode === 'plan') ? 'plan' : 'apply';

  if (cachedPolicy?.file !== config.data.GA_STEER_POLICY) {
    cachedPolicy = { file: config.data.GA_STEER_POLICY, policy: (await loadPolicyFile(config.data.GA_STEER_POLICY, { use: 'live' })).policy };
  }
  const policy = cachedPolicy.policy;
  secrets.protectPolicy(policy);
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
    redact: secrets.redact,
    // A Lambda has minutes, not hours: wait for DEPLOYED at most two minutes.
    deployTimeoutMs: 120_000,
  });
  const configured = config.data.GA_STEER_CYCLE_TIMEOUT_SECONDS * 1000;
  const deadline = CycleDeadline.start(remainingTimeMs !== undefined ? Math.max(0, Math.min(configured, remainingTimeMs - LAMBDA_MARGIN_MS)) : configured);
  try {
    const { plan, report, problems, lease, ranOut } = await runControlCycle(wiring.deps, policy, mode, { deadline, alertCache: alertCaches.for(policy.accelerator.arn) });
    const summary: LambdaCycleSummary = {
      policy: policy.name,
      mode,
      verdict: plan.summary.verdict,
      headline: plan.summary.headline,
      changes: plan.changes.length,
      holds: plan.holds.map((h) => h.reason),
      applyOutcome: report?.outcome ?? null,
      lease: lease.status,
      problems: problems.map(secrets.redact),
      ...(ranOut !== undefined ? { ranOut } : {}),
    };
    log(JSON.stringify({ level: 'info', message: 'cycle', ...summary }));
    return summary;
  } finally {
    deadline.dispose();
    wiring.close();
  }
}

function ranOutOf(e: unknown): { ranOut?: RanOutCall } {
  const ranOut = e instanceof CycleDeadlineError ? e.ranOut : e instanceof DeadlineExceededError ? e.toRanOutCall() : undefined;
  return ranOut !== undefined ? { ranOut } : {};
}

function errorText(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

/** The error the runtime will log: same name, secrets hidden, no cause (which could quote them). */
function redactedError(e: unknown, secrets: SecretRedactor): Error {
  const name = e instanceof Error ? e.name : 'Error';
  const out = new GaSteerError(secrets.redact(e instanceof Error ? e.message : String(e)));
  Object.defineProperty(out, 'name', { value: name });
  return out;
}
