// Wires the live adapters for one policy: Global Accelerator and CloudWatch through the AWS SDK (or the
// emulator), RIPE Atlas and synthetic feeds when the policy lists them, the state store, and the
// notifier. Used by `ga-steer plan`/`apply`/`run` and the Lambdas.

import { createHash } from 'node:crypto';
import { CloudWatchClientPool } from '../adapters/cloudwatch/client-pool.js';
import { CloudWatchSignalSource } from '../adapters/cloudwatch/cloudwatch-signal-source.js';
import type { AwsClientOptions } from '../adapters/aws/client-config.js';
import { DEFAULT_RETRY, type RetryPolicy } from '../adapters/aws/retry.js';
import type { GlobalAcceleratorClient } from '@aws-sdk/client-global-accelerator';
import { createGlobalAcceleratorClient } from '../adapters/global-accelerator/client.js';
import { ServerClockObserver } from '../adapters/aws/server-clock.js';
import { GlobalAcceleratorGateway } from '../adapters/global-accelerator/gateway.js';
import { RipeAtlasSignalSource } from '../adapters/ripe-atlas/atlas-signal-source.js';
import { ATLAS_DEFAULTS } from '../adapters/ripe-atlas/client/config.js';
import { LogNotifier } from '../adapters/slack/log-notifier.js';
import { SlackNotifier } from '../adapters/slack/slack-notifier.js';
import { FileStateStore } from '../adapters/state/file-state-store.js';
import { MemoryStateStore } from '../adapters/state/memory-state-store.js';
import { SyntheticMeasurementsSource } from '../adapters/synthetic/synthetic-measurements-source.js';
import type { Policy } from '../policy/schema.js';
import { systemClock, type Clock } from '../ports/clock.js';
import type { Notifier } from '../ports/notifier.js';
import type { SignalSource } from '../ports/signal-source.js';
import type { StateStore } from '../ports/state-store.js';
import type { ControlCycleDeps, LeaseSettings } from './control-cycle.js';
import { DEFAULT_LEASE_TTL_MS, processLeaseOwner } from './lease-owner.js';

export interface LiveWiringOptions {
  /** The emulator or another endpoint for both GA and CloudWatch; otherwise the SDK resolves it. */
  readonly endpointUrl?: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Where state persists; absent means in memory (plan, tests). */
  readonly stateFile?: string;
  readonly stateStore?: StateStore;
  /** The lease an applying cycle takes; default: this process as owner, DEFAULT_LEASE_TTL_MS. */
  readonly lease?: Partial<LeaseSettings>;
  /** false: alerts only go to the log (plan never alerts Slack). */
  readonly notify: boolean;
  readonly log: (line: string) => void;
  readonly clock?: Clock;
  readonly retry?: RetryPolicy;
  readonly deployTimeoutMs?: number;
  readonly pollIntervalMs?: number;
  /** More signal sources (the simulator's, tests'). */
  readonly extraSources?: readonly SignalSource[];
  /**
   * false: leave out the RIPE Atlas and synthetic sources the policy configures (the simulator and
   * tests bring their own latency). Default true.
   */
  readonly policySources?: boolean;
  /** Origin of the RIPE Atlas API (a local server in tests); else env GA_STEER_ATLAS_URL, else https://atlas.ripe.net. */
  readonly atlasBaseUrl?: string;
  /** Keep signal sources (and their incremental windows) across calls in this process: `run`, Lambda. */
  readonly reuseSources?: boolean;
  /** Waits between polls and retries; the simulator passes one that advances simulated time. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Hides secrets in alert texts before they leave (the CLI's and Lambda's redactor). */
  readonly redact?: (text: string) => string;
  /** AWS clients made once and kept by the caller (a warm Lambda): used, and left open by close(). Made with the same clock. */
  readonly clients?: LiveClients;
}

/** The AWS clients a cycle uses, and what their responses said of AWS's clock. */
export interface LiveClients {
  readonly ga: GlobalAcceleratorClient;
  readonly cloudWatch: CloudWatchClientPool;
  readonly serverClock: ServerClockObserver;
}

/**
 * Clients for `wireLive`'s `clients`, made once per process by callers that run many cycles. `clock`
 * (default the system's) is the one the cycles run on: responses' `Date` is compared with it.
 */
export function createLiveClients(options: Pick<LiveWiringOptions, 'endpointUrl' | 'env' | 'clock'>): LiveClients & { destroy(): void } {
  const aws = awsClientOptions(options);
  const serverClock = new ServerClockObserver(options.clock ?? systemClock);
  const ga = createGlobalAcceleratorClient(aws, serverClock);
  const cloudWatch = new CloudWatchClientPool(aws, serverClock);
  return {
    ga,
    cloudWatch,
    serverClock,
    destroy() {
      ga.destroy();
      cloudWatch.destroy();
    },
  };
}

export interface LiveWiring {
  readonly deps: ControlCycleDeps;
  close(): void;
}

/** Credentials that satisfy SigV4 signing when talking to a local emulator and none are configured. */
const EMULATOR_CREDENTIALS = { accessKeyId: 'ga-steer-emulator', secretAccessKey: 'ga-steer-emulator' };

export function awsClientOptions(options: Pick<LiveWiringOptions, 'endpointUrl' | 'env'>): AwsClientOptions {
  const env = options.env;
  const local = options.endpointUrl ?? env.AWS_ENDPOINT_URL_GLOBAL_ACCELERATOR ?? env.AWS_ENDPOINT_URL;
  const hasCredentials = env.AWS_ACCESS_KEY_ID !== undefined || env.AWS_PROFILE !== undefined || env.AWS_WEB_IDENTITY_TOKEN_FILE !== undefined;
  const isLoopback = local !== undefined && /^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\/?$/.test(local);
  return {
    ...(options.endpointUrl !== undefined ? { endpoint: options.endpointUrl } : {}),
    ...(isLoopback && !hasCredentials ? { credentials: EMULATOR_CREDENTIALS } : {}),
  };
}

export function wireLive(policy: Policy, options: LiveWiringOptions): LiveWiring {
  const clock = options.clock ?? systemClock;
  const clients = options.clients ?? createLiveClients({ ...options, clock });
  const { ga, cloudWatch } = clients;
  const retry = options.retry !== undefined || options.sleep !== undefined ? { ...(options.retry ?? DEFAULT_RETRY), ...(options.sleep !== undefined ? { sleep: options.sleep } : {}) } : undefined;
  const gateway = new GlobalAcceleratorGateway(ga, {
    now: () => clock.now(),
    ...(retry !== undefined ? { retry } : {}),
    ...(options.sleep !== undefined ? { sleep: options.sleep } : {}),
    ...(options.deployTimeoutMs !== undefined ? { deployTimeoutMs: options.deployTimeoutMs } : {}),
    ...(options.pollIntervalMs !== undefined ? { pollIntervalMs: options.pollIntervalMs } : {}),
  });
  const stateStore = options.stateStore ?? (options.stateFile !== undefined ? new FileStateStore(options.stateFile) : new MemoryStateStore());
  return {
    deps: {
      gateway,
      sources: [new CloudWatchSignalSource(cloudWatch, retry), ...policySourcesFor(policy, options), ...(options.extraSources ?? [])],
      stateStore,
      lease: { owner: options.lease?.owner ?? processLeaseOwner(options.env), ttlMs: options.lease?.ttlMs ?? DEFAULT_LEASE_TTL_MS },
      notifier: notifierFor(policy, options),
      clock,
      serverClock: clients.serverClock,
      log: options.log,
    },
    close() {
      if (options.clients === undefined) {
        ga.destroy();
        cloudWatch.destroy();
      }
    },
  };
}

/** A control cycle runs every minute or so: the Atlas client gives up sooner than its defaults. */
const ATLAS_CYCLE_CLIENT = { timeoutMs: 20_000, maxRetries: 2 } as const;
/** Each RIPE Atlas request, body included, within this (and the cycle's deadline). */
const ATLAS_CALL_TIMEOUT_MS = 60_000;
/** Ask again for a few minutes before the last result seen: RIPE Atlas stores some results late. */
const ATLAS_OVERLAP_SECONDS = 300;

// Long-lived processes (`ga-steer run`, a warm Lambda) keep one RIPE Atlas source per API and key, so
// its windows of samples persist and each cycle fetches only what is new.
const reusedAtlasSources = new Map<string, RipeAtlasSignalSource>();

function atlasSourceKey(baseUrl: string, apiKey: string | undefined): string {
  return `${baseUrl}\n${createHash('sha256').update(apiKey ?? '').digest('hex')}`;
}

function policySourcesFor(policy: Policy, options: LiveWiringOptions): SignalSource[] {
  if (options.policySources === false) return [];
  const sources: SignalSource[] = [];
  if ((policy.signals.ripeAtlas?.measurements.length ?? 0) > 0) {
    const fromEnv = options.env.GA_STEER_ATLAS_URL;
    const baseUrl = options.atlasBaseUrl ?? (fromEnv !== undefined && fromEnv !== '' ? fromEnv : ATLAS_DEFAULTS.baseUrl);
    const sleep = options.sleep;
    const make = (): RipeAtlasSignalSource =>
      new RipeAtlasSignalSource({
        env: options.env,
        baseUrl,
        overlapSeconds: ATLAS_OVERLAP_SECONDS,
        callTimeoutMs: ATLAS_CALL_TIMEOUT_MS,
        client: { ...ATLAS_CYCLE_CLIENT, ...(sleep !== undefined ? { sleep: (ms: number) => sleep(ms) } : {}) },
      });
    if (options.reuseSources === true) {
      const key = atlasSourceKey(baseUrl, options.env[policy.signals.ripeAtlas?.apiKeyEnv ?? 'RIPE_ATLAS_KEY']);
      let source = reusedAtlasSources.get(key);
      if (source === undefined) {
        source = make();
        reusedAtlasSources.set(key, source);
      }
      sources.push(source);
    } else {
      sources.push(make());
    }
  }
  if (policy.signals.synthetic.length > 0) sources.push(new SyntheticMeasurementsSource());
  return sources;
}

function notifierFor(policy: Policy, options: LiveWiringOptions): Notifier {
  const slack = policy.alerts.slack;
  if (!options.notify || slack === undefined) return new LogNotifier(options.log);
  const url = options.env[slack.webhookUrlEnv];
  if (url === undefined || url === '') {
    options.log(`alerts: ${slack.webhookUrlEnv} is not set; alerts go to the log only`);
    return new LogNotifier(options.log);
  }
  return new SlackNotifier({ webhookUrl: url, ...(slack.channel !== undefined ? { channel: slack.channel } : {}), ...(options.redact !== undefined ? { redact: options.redact } : {}) });
}
