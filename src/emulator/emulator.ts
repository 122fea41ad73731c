// The whole emulator: Global Accelerator and CloudWatch behind one loopback HTTP server.
// Started by `ga-steer emulator`, by the integration tests and by the simulator.

import type { AcceleratorTopology } from '../snapshot/schema.js';
import { CloudWatchService } from './cloudwatch/service.js';
import { MetricStore } from './cloudwatch/metric-store.js';
import { FaultInjector } from './faults.js';
import { GlobalAcceleratorService } from './global-accelerator/service.js';
import { applyHumanEdit } from './global-accelerator/human-edit.js';
import { GaStore } from './global-accelerator/store.js';
import { startEmulatorServer, type RecordedCall } from './http-server.js';

export interface EmulatorOptions {
  readonly topology: readonly AcceleratorTopology[];
  readonly host?: string;
  readonly port?: number;
  /** How long a change keeps the accelerator IN_PROGRESS (default 2000 ms). */
  readonly deployDelayMs?: number;
  /** Milliseconds since the epoch; the simulator passes its accelerated clock. */
  readonly now?: () => number;
  readonly log?: (line: string) => void;
}

export interface Emulator {
  readonly url: string;
  readonly port: number;
  readonly ga: GaStore;
  readonly metrics: MetricStore;
  readonly faults: FaultInjector;
  readonly calls: RecordedCall[];
  close(): Promise<void>;
}

export async function startEmulator(options: EmulatorOptions): Promise<Emulator> {
  const now = options.now ?? Date.now;
  const ga = GaStore.fromTopology(options.topology, { now, ...(options.deployDelayMs !== undefined ? { deployDelayMs: options.deployDelayMs } : {}) });
  const metrics = new MetricStore(now);
  const faults = new FaultInjector();
  const server = await startEmulatorServer({
    services: [new GlobalAcceleratorService(ga), new CloudWatchService(metrics)],
    faults,
    applyHumanEdit: (edit) => applyHumanEdit(ga, edit),
    ...(options.host !== undefined ? { host: options.host } : {}),
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.log !== undefined ? { log: options.log } : {}),
  });
  return { url: server.url, port: server.port, ga, metrics, faults, calls: server.calls, close: server.close };
}
