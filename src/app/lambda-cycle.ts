// The scheduled Lambda's work, kept out of the handler file so it is tested like any other module:
// configuration from the environment and the event (parsed, never trusted), one control cycle under a
// deadline that ends before the function's own timeout, structured logs and EMF metrics
// (lambda-telemetry.ts). Every log line and any error thrown (the runtime logs it) pass through the
// secret redactor. State and lease live in one DynamoDB item per accelerator: overlapping invocations
// (a retry, a second stage or Region) find the lease held and hold, and a stale holder's conditional
// writes are refused.
//
// A fleet: one function serves several policies, each from its own schedule whose event names it
// (`{"policy": "crazycall-voip"}`); only the policies the deployment lists (GA_STEER_FLEET_POLICIES) can
// be named. AWS clients and secrets are made or read once per cold start and kept; so are bundled policies.
// A policy in S3 (GA_STEER_POLICY=s3://bucket/key, or a fleet policy's entry in GA_STEER_POLICY_LOCATIONS)
// is read on every invocation, so a change needs no redeploy: a warm container asks S3 only whether it
// changed since (its ETag) and parses it only when it did. A policy that cannot be read or parsed fails
// the invocation before anything is read from or written to GA or the state store.

import { existsSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { join } from 'node:path';
import * as z from 'zod';
import { sdkConfig } from '../adapters/aws/client-config.js';
import { CycleDeadline } from '../adapters/deadline/cycle-deadline.js';
import { CycleDeadlineError, DeadlineExceededError } from '../adapters/deadline/errors.js';
import { isS3PolicyLocation, type S3PolicyReader } from '../adapters/policy/s3-policy-reader.js';
import { parseS3Url } from '../adapters/synthetic/read-s3-feed.js';
import type { SecretParameters } from '../adapters/ssm/secret-parameters.js';
import { DynamoDbStateStore } from '../adapters/state/dynamodb-state-store.js';
import type { Policy } from '../policy/schema.js';
import type { RanOutCall } from '../ports/ran-out-call.js';
import { AlertMemoryCaches } from './alert-delivery.js';
import { runControlCycle, type CycleMode, type CycleResult } from './control-cycle.js';
import { GaSteerError } from './errors.js';
import { loadPolicyFile } from './input-files.js';
import { environmentWithSecrets } from './lambda-secrets.js';
import { LambdaTelemetry, type InvocationContext } from './lambda-telemetry.js';
import { DEFAULT_LEASE_TTL_MS } from './lease-owner.js';
import { createLiveClients, wireLive, type LiveClients } from './live-wiring.js';
import { SecretRedactor } from './redact.js';

/**
 * The cycle's deadline when the runtime does not say how long is left. Below serverless.yml's
 * `timeout` (240 s); GA_STEER_CYCLE_TIMEOUT_SECONDS sets another.
 */
export const DEFAULT_LAMBDA_CYCLE_TIMEOUT_SECONDS = 200;
/** Kept back from the function's remaining time: the runtime's own work after the handler returns. */
const LAMBDA_MARGIN_MS = 15_000;

/** A policy's name as policies/<name>.yaml holds it (the policy schema's `name` rule). */
const POLICY_NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const policyName = z.string().regex(POLICY_NAME, 'a policy name (lower-case letters, digits, dashes)');

const envSchema = z.object({
  /** The policy of a single-policy deployment, or of an event that names none: a bundled file or s3://bucket/key. */
  GA_STEER_POLICY: z.string().min(1).default('policy.yaml').refine((v) => !isS3PolicyLocation(v) || parseS3Url(v) !== undefined, 'a file or s3://bucket/key'),
  /** A fleet: the policies (names) schedules may ask for, comma-separated. */
  GA_STEER_FLEET_POLICIES: z
    .string()
    .optional()
    .transform((v) => (v === undefined || v.trim() === '' ? [] : v.split(',').map((n) => n.trim())))
    .pipe(z.array(policyName)),
  /** Fleet policies read from S3 on every invocation: a JSON object of policy name -> s3://bucket/key. */
  GA_STEER_POLICY_LOCATIONS: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return {};
      try {
        return JSON.parse(v) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'a JSON object of policy name -> s3://bucket/key' });
        return z.NEVER;
      }
    })
    .pipe(z.record(policyName, z.string().refine((v) => parseS3Url(v) !== undefined, 's3://bucket/key'))),
  /** Where a fleet's policies are: <dir>/<name>.yaml. */
  GA_STEER_POLICY_DIR: z.string().min(1).default('policies'),
  /** The DynamoDB table of leases and states (one item per accelerator, keyed by its ARN). */
  GA_STEER_STATE_TABLE: z.string().regex(/^[A-Za-z0-9_.-]{3,255}$/, 'a DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -)'),
  /** How long the lease lasts unless renewed: how long a crashed invocation blocks the next one. */
  GA_STEER_LEASE_TTL_SECONDS: z.coerce.number().min(1).max(900).default(DEFAULT_LEASE_TTL_MS / 1000),
  /** The kill switch an on-call engineer can flip without a deploy of new code: plan only. */
  GA_STEER_MODE: z.enum(['apply', 'plan']).default('apply'),
  AWS_REGION: z.string().min(1).default('us-west-2'),
  GA_STEER_CYCLE_TIMEOUT_SECONDS: z.coerce.number().positive().default(DEFAULT_LAMBDA_CYCLE_TIMEOUT_SECONDS),
}).superRefine((env, ctx) => {
  // A location for a policy no schedule may name is a typo: say so rather than ignore it.
  for (const name of Object.keys(env.GA_STEER_POLICY_LOCATIONS)) {
    if (!env.GA_STEER_FLEET_POLICIES.includes(name)) ctx.addIssue({ code: 'custom', path: ['GA_STEER_POLICY_LOCATIONS', name], message: `'${name}' is not in GA_STEER_FLEET_POLICIES` });
  }
});
type LambdaEnv = z.output<typeof envSchema>;

/** A scheduler's event: its own fields (mode, policy) and whatever else the source adds. */
const eventSchema = z.looseObject({ mode: z.enum(['apply', 'plan']).optional(), policy: policyName.optional() });

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
  readonly durationMs: number;
  /** The call the cycle's deadline cut off, when it stopped the apply. */
  readonly ranOut?: RanOutCall;
}

export interface LambdaCycleOptions {
  /** The one redactor, built at cold start from the environment; else one is built here. */
  readonly secrets?: SecretRedactor;
  /** Logs and metrics, built at cold start; else built here from the redactor. */
  readonly telemetry?: LambdaTelemetry;
  /** The runtime's context: request id and cold start on every log line. */
  readonly context?: InvocationContext;
  /** The function's remaining time (context.getRemainingTimeInMillis()), when the runtime gives it. */
  readonly remainingTimeMs?: number;
}

/** What a warm container keeps between invocations. */
interface ColdStartCache {
  key: string;
  dynamoDb: DynamoDBClient;
  secretParameters: SecretParameters | undefined;
  ssm: SSMClient | undefined;
  s3: S3Client | undefined;
  /** AWS_ENDPOINT_URL_S3 (or AWS_ENDPOINT_URL): the SDK resolves it, but path-style must be chosen here. */
  s3Endpoint: string | undefined;
  policyReader: S3PolicyReader | undefined;
  live: LiveClients & { destroy(): void };
}
let cache: ColdStartCache | undefined;
const policies = new Map<string, Policy>();
/** Per accelerator, kept by a warm container: what the alerts said when the store could not be read, and in plan mode. */
const alertCaches = new AlertMemoryCaches();

export async function runLambdaCycle(event: unknown, env: Readonly<Record<string, string | undefined>>, options: LambdaCycleOptions = {}): Promise<LambdaCycleSummary> {
  const secrets = options.secrets ?? new SecretRedactor(env);
  const telemetry = options.telemetry ?? new LambdaTelemetry({ serviceName: env.POWERTOOLS_SERVICE_NAME ?? 'ga-steer', redact: secrets.redact });
  telemetry.startInvocation(options.context);
  const started = Date.now();
  let policyShown: string | undefined;
  try {
    const summary = await runCycle(event, env, secrets, telemetry, options.remainingTimeMs, started, (name) => (policyShown = name));
    return summary;
  } catch (e) {
    telemetry.error('cycle failed', { ...(policyShown !== undefined ? { policy: policyShown } : {}), error: errorText(e), ...ranOutOf(e) });
    telemetry.cycleFailed(policyShown, Date.now() - started);
    throw redactedError(e, secrets);
  }
}

async function runCycle(
  event: unknown,
  env: Readonly<Record<string, string | undefined>>,
  secrets: SecretRedactor,
  telemetry: LambdaTelemetry,
  remainingTimeMs: number | undefined,
  started: number,
  named: (policy: string) => void,
): Promise<LambdaCycleSummary> {
  const config = envSchema.safeParse(env);
  if (!config.success) throw new LambdaConfigError(`Lambda configuration: ${config.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const parsedEvent = eventSchema.safeParse(typeof event === 'object' && event !== null ? event : {});
  if (!parsedEvent.success) throw new LambdaConfigError(`Lambda event: ${parsedEvent.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  // The stricter of the two wins: the environment's plan-only switch cannot be overridden by an event.
  const mode: CycleMode = config.data.GA_STEER_MODE === 'plan' || parsedEvent.data.mode === 'plan' ? 'plan' : 'apply';

  const clients = clientsFor(config.data, env);
  const policyReadStarted = Date.now();
  const policy = await policyFor(parsedEvent.data.policy, config.data, clients);
  const policyReadMs = isS3PolicyLocation(policyLocationOf(parsedEvent.data.policy, config.data)) ? Date.now() - policyReadStarted : 0;
  named(policy.name);
  secrets.protectPolicy(policy);
  // The SSM client is loaded only by deployments that name secret parameters (a smaller cold start otherwise).
  const cycleEnv = await environmentWithSecrets(policy, env, async () => {
    if (clients.secretParameters === undefined) {
      const [{ SSMClient }, { SecretParameters }] = await Promise.all([import('@aws-sdk/client-ssm'), import('../adapters/ssm/secret-parameters.js')]);
      clients.ssm = new SSMClient(sdkConfig({}, config.data.AWS_REGION));
      clients.secretParameters = new SecretParameters(clients.ssm);
    }
    return clients.secretParameters;
  });
  secrets.protectValues(cycleEnv.secrets);

  const wiring = wireLive(policy, {
    reuseSources: true,
    env: cycleEnv.env,
    clients: clients.live,
    stateStore: new DynamoDbStateStore(clients.dynamoDb, config.data.GA_STEER_STATE_TABLE, policy.accelerator.arn),
    lease: { ttlMs: config.data.GA_STEER_LEASE_TTL_SECONDS * 1000 },
    notify: true,
    log: (line) => telemetry.warn(line, { policy: policy.name }),
    redact: secrets.redact,
    // A Lambda has minutes, not hours: wait for DEPLOYED at most two minutes.
    deployTimeoutMs: 120_000,
  });
  const configured = config.data.GA_STEER_CYCLE_TIMEOUT_SECONDS * 1000;
  // A policy read from S3 (up to POLICY_READ_RETRY's budget) comes off what the runtime said was left.
  const left = remainingTimeMs !== undefined ? remainingTimeMs - LAMBDA_MARGIN_MS - policyReadMs : undefined;
  const deadline = CycleDeadline.start(left !== undefined ? Math.max(0, Math.min(configured, left)) : configured);
  try {
    const { plan, report, problems, lease, ranOut } = await runControlCycle(wiring.deps, policy, mode, { deadline, alertCache: alertCaches.for(policy.accelerator.arn) });
    const durationMs = Date.now() - started;
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
      durationMs,
      ...(ranOut !== undefined ? { ranOut } : {}),
    };
    telemetry.info('cycle', { ...summary });
    telemetry.cycleSucceeded(policy.name, plan, report, durationMs);
    return summary;
  } finally {
    deadline.dispose();
    wiring.close();
  }
}

/**
 * The event's policy (a fleet's schedule names it) or the deployment's one: a bundled file, parsed once
 * per container, or an S3 object, read on every invocation (parsed again only when its ETag changed).
 */
async function policyFor(requested: string | undefined, config: LambdaEnv, clients: ColdStartCache): Promise<Policy> {
  if (requested !== undefined && !config.GA_STEER_FLEET_POLICIES.includes(requested)) {
    const served = config.GA_STEER_FLEET_POLICIES.length > 0 ? `this deployment serves ${config.GA_STEER_FLEET_POLICIES.join(', ')}` : 'this deployment lists no fleet (GA_STEER_FLEET_POLICIES)';
    throw new LambdaConfigError(`Lambda event: policy '${requested}' is not one of this deployment's policies: ${served}`);
  }
  const location = policyLocationOf(requested, config);
  let policy: Policy;
  if (isS3PolicyLocation(location)) {
    policy = (await (await policyReaderOf(clients, config)).read(location)).policy;
    // The stack scoped the role (and the lease item) to the accelerator of the fleet's bundled file:
    // an object that names another accelerator is refused here, before any call, not by AWS mid-cycle.
    const file = requested === undefined ? undefined : join(config.GA_STEER_POLICY_DIR, `${requested}.yaml`);
    if (file !== undefined && existsSync(file)) {
      const bundled = await bundledPolicy(file);
      if (bundled.accelerator.arn !== policy.accelerator.arn) {
        throw new LambdaConfigError(`${location}: the policy steers ${policy.accelerator.arn}, but this deployment was packaged for ${bundled.accelerator.arn} (${file}); deploy again to change accelerators`);
      }
    }
  } else {
    policy = await bundledPolicy(location);
  }
  // Checked on every read: an S3 object can be replaced by one naming another policy.
  if (requested !== undefined && policy.name !== requested) throw new LambdaConfigError(`${location}: the policy is named '${policy.name}', but the fleet lists it as '${requested}'`);
  return policy;
}

/** A policy file packaged with the function, parsed once per container. */
async function bundledPolicy(file: string): Promise<Policy> {
  const cached = policies.get(file);
  if (cached !== undefined) return cached;
  const parsed = (await loadPolicyFile(file, { use: 'live' })).policy;
  policies.set(file, parsed);
  return parsed;
}

/** A fleet policy's S3 location or bundled file, or the deployment's one. */
function policyLocationOf(requested: string | undefined, config: LambdaEnv): string {
  if (requested === undefined) return config.GA_STEER_POLICY;
  return config.GA_STEER_POLICY_LOCATIONS[requested] ?? join(config.GA_STEER_POLICY_DIR, `${requested}.yaml`);
}

/** The S3 client (loaded on first use, as for feeds) and the reader that keeps policies by ETag. */
async function policyReaderOf(clients: ColdStartCache, config: LambdaEnv): Promise<S3PolicyReader> {
  if (clients.policyReader === undefined) {
    const [{ S3Client }, { S3PolicyReader }] = await Promise.all([import('@aws-sdk/client-s3'), import('../adapters/policy/s3-policy-reader.js')]);
    const endpoint = clients.s3Endpoint;
    // An endpoint override (a local or S3-compatible store) rarely resolves bucket.host names: path-style.
    clients.s3 = new S3Client({ ...sdkConfig(endpoint !== undefined ? { endpoint } : {}, config.AWS_REGION), forcePathStyle: endpoint !== undefined });
    clients.policyReader = new S3PolicyReader(clients.s3);
  }
  return clients.policyReader;
}

/** Clients made once per container: again only when the Region or an endpoint override changes (tests). */
function clientsFor(config: LambdaEnv, env: Readonly<Record<string, string | undefined>>): ColdStartCache {
  const key = [config.AWS_REGION, env.AWS_ENDPOINT_URL, env.AWS_ENDPOINT_URL_DYNAMODB, env.AWS_ENDPOINT_URL_SSM, env.AWS_ENDPOINT_URL_GLOBAL_ACCELERATOR, env.AWS_ENDPOINT_URL_CLOUDWATCH, env.AWS_ENDPOINT_URL_S3].join('|');
  if (cache?.key !== key) {
    cache?.dynamoDb.destroy();
    cache?.ssm?.destroy();
    cache?.s3?.destroy();
    cache?.live.destroy();
    cache = {
      key,
      dynamoDb: new DynamoDBClient({ region: config.AWS_REGION, maxAttempts: 1 }),
      ssm: undefined,
      s3: undefined,
      s3Endpoint: env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL,
      policyReader: undefined,
      secretParameters: undefined,
      live: createLiveClients({ env }),
    };
  }
  return cache;
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
