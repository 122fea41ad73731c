// Starts the emulator in-process, seeded from an example snapshot, with SDK clients pointed at it.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { GlobalAcceleratorClient } from '@aws-sdk/client-global-accelerator';
import { startEmulator, type Emulator } from '../../src/emulator/emulator.js';
import { snapshotSchema, type Snapshot } from '../../src/snapshot/schema.js';
import { REPO_ROOT } from './repo-data.js';

export const TEST_CREDENTIALS = { accessKeyId: 'local-emulator-access-key', secretAccessKey: 'emulator-secret' };

export function exampleSnapshot(name: string): Snapshot {
  return snapshotSchema.parse(JSON.parse(readFileSync(resolve(REPO_ROOT, 'examples', 'snapshots', name), 'utf8')));
}

export interface TestEmulator {
  readonly emulator: Emulator;
  readonly snapshot: Snapshot;
  /** SDK clients with the SDK's own retries off, so each fault is seen once. */
  readonly ga: GlobalAcceleratorClient;
  cloudWatch(region: string): CloudWatchClient;
  close(): Promise<void>;
}

export async function startTestEmulator(snapshotName = 'crazycall-hot.json', options: { deployDelayMs?: number; now?: () => number } = {}): Promise<TestEmulator> {
  const snapshot = exampleSnapshot(snapshotName);
  const emulator = await startEmulator({ topology: snapshot.accelerators, deployDelayMs: options.deployDelayMs ?? 50, ...(options.now !== undefined ? { now: options.now } : {}) });
  const ga = new GlobalAcceleratorClient({ region: 'us-west-2', endpoint: emulator.url, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
  const cw = new Map<string, CloudWatchClient>();
  return {
    emulator,
    snapshot,
    ga,
    cloudWatch(region) {
      let c = cw.get(region);
      if (c === undefined) {
        c = new CloudWatchClient({ region, endpoint: emulator.url, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
        cw.set(region, c);
      }
      return c;
    },
    async close() {
      ga.destroy();
      for (const c of cw.values()) c.destroy();
      await emulator.close();
    },
  };
}
