// The whole emulator: Global Accelerator, CloudWatch, SSM Parameter Store and (with `signals`) a RIPE Atlas API and a
// synthetic feed behind one loopback HTTP server. Started by `ga-steer emulator`, by the integration
// tests and by the simulator.

import type { AcceleratorTopology } from '../snapshot/schema.js';
import { CloudWatchService } from './cloudwatch/service.js';
import { MetricStore } from './cloudwatch/metric-store.js';
import { FaultInjector } from './faults.js';
import { GlobalAcceleratorService } from './global-accelerator/service.js';
import { applyHumanEdit } from './global-accelerator/human-edit.js';
import { GaStore } from './global-accelerator/store.js';
import { startEmulatorServer, type RecordedCall } from './http-server.js';
import { ParameterStore, type ParameterSeed } from './ssm/parameter-store.js';
import { SsmService } from './ssm/service.js';
import { emulateSignals, type EmulatedSignals, type SignalOptions } from './signals/emulated-signals.js';

export interface EmulatorOptions {
  readonly topology: readonly AcceleratorTopology[];
  readonly host?: string;
  readonly port?: number;
  /** How long a change keeps the accelerator IN_PROGRESS (default 2000 ms). */
  readonly deployDelayMs?: number;
  /** Milliseconds since the epoch; the simulator passes its accelerated clock. */
  readonly now?: () => number;
  readonly log?: (line: string) => void;
  /** Serve latency and landing that follow this snapshot (RIPE Atlas with the policy, a synthetic feed). */
  readonly signals?: Omit<SignalOptions, 'anycastAddress'>;
  /** SSM Parameter Store parameters to start with (SecureString unless a type is given). */
  readonly parameters?: readonly ParameterSeed[];
}

export interface Emulator {
  readonly url: string;
  readonly port: number;
  readonly ga: GaStore;
  readonly metrics: MetricStore;
  readonly faults: FaultInjector;
  readonly calls: RecordedCall[];
  /** SSM Parameter Store (the Lambda's secrets). */
  readonly ssm: ParameterStore;
  /** Set when started with `signals`. */
  readonly signals: EmulatedSignals | undefined;
  close(): Promise<void>;
}

export async function startEmulator(options: EmulatorOptions): Promise<Emulator> {
  const now = options.now ?? Date.now;
  const ga = GaStore.fromTopology(options.topology, { now, ...(options.deployDelayMs !== undefined ? { deployDelayMs: options.deployDelayMs } : {}) });
  const metrics = new MetricStore(now);
  const faults = new FaultInjector();
  const ssm = new ParameterStore(now, options.parameters ?? []);
  const signals = options.signals === undefined ? undefined : emulateSignals({ ...options.signals, anycastAddress: anycastAddressOf(ga, options.signals.policy?.accelerator.arn) }, now);
  const server = await startEmulatorServer({
    services: [new GlobalAcceleratorService(ga), new CloudWatchService(metrics), new SsmService(ssm)],
    ...(signals !== undefined ? { routes: signals.routes } : {}),
    faults,
    applyHumanEdit: (edit) => applyHumanEdit(ga, edit),
    now,
    ...(options.host !== undefined ? { host: options.host } : {}),
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.log !== undefined ? { log: options.log } : {}),
  });
  return { url: server.url, port: server.port, ga, metrics, faults, calls: server.calls, ssm, signals, close: server.close };
}

/** The first anycast address of the policy's accelerator (or of the first one seeded). */
function anycastAddressOf(ga: GaStore, acceleratorArn: string | undefined): string | undefined {
  const accelerator = (acceleratorArn !== undefined ? ga.findAccelerator(acceleratorArn) : undefined) ?? ga.accelerators[0];
  return accelerator?.ipAddresses[0];
}
