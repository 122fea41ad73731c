// The emulator's answers carry its own clock in `Date` (IMF-fixdate, as AWS sends it), and the SDK
// middleware reads it from every answer, errors included, beside the local clock when it arrived.

import { ListAcceleratorsCommand } from '@aws-sdk/client-global-accelerator';
import { GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ServerClockObserver } from '../../src/adapters/aws/server-clock.js';
import { CloudWatchClientPool } from '../../src/adapters/cloudwatch/client-pool.js';
import { createGlobalAcceleratorClient } from '../../src/adapters/global-accelerator/client.js';
import { startEmulator, type Emulator } from '../../src/emulator/emulator.js';
import { exampleSnapshot, TEST_CREDENTIALS } from '../support/emulator.js';

const EMULATOR_MS = Date.UTC(2026, 11, 1, 6, 0, 0, 750);
const LOCAL_MS = EMULATOR_MS - 235_000;
let emulator: Emulator;

beforeEach(async () => {
  emulator = await startEmulator({ topology: exampleSnapshot('crazycall-hot.json').accelerators, now: () => EMULATOR_MS });
});
afterEach(async () => {
  await emulator.close();
});

describe('the server clock', () => {
  it('is the emulator\'s clock in every answer\'s Date header, as IMF-fixdate', async () => {
    const res = await fetch(`${emulator.url}/_emulator/health`);
    expect(res.headers.get('date')).toBe('Tue, 01 Dec 2026 06:00:00 GMT');
  });

  it('is read from Global Accelerator and CloudWatch answers, errors included, beside the local clock', async () => {
    const observer = new ServerClockObserver({ now: () => new Date(LOCAL_MS) });
    const options = { endpoint: emulator.url, credentials: TEST_CREDENTIALS };
    const ga = createGlobalAcceleratorClient(options, observer);
    const cloudWatch = new CloudWatchClientPool(options, observer);
    try {
      const mark = observer.mark();
      await ga.send(new ListAcceleratorsCommand({}));
      emulator.faults.add({ operation: 'GetMetricData', kind: 'throttle' });
      await expect(cloudWatch.forRegion('eu-west-1').send(new GetMetricDataCommand({ StartTime: new Date(LOCAL_MS - 600_000), EndTime: new Date(LOCAL_MS), MetricDataQueries: [] }))).rejects.toThrow();
      const serverMs = Date.UTC(2026, 11, 1, 6, 0, 0);
      expect(observer.since(mark)).toEqual([
        { source: 'globalaccelerator', serverMs, localMs: LOCAL_MS },
        { source: 'cloudwatch eu-west-1', serverMs, localMs: LOCAL_MS },
      ]);
      expect(observer.since(observer.mark())).toEqual([]);
    } finally {
      ga.destroy();
      cloudWatch.destroy();
    }
  });

  it('reads nothing from a call that got no answer', async () => {
    const observer = new ServerClockObserver({ now: () => new Date(LOCAL_MS) });
    const ga = createGlobalAcceleratorClient({ endpoint: emulator.url, credentials: TEST_CREDENTIALS }, observer);
    try {
      emulator.faults.add({ operation: 'ListAccelerators', kind: 'disconnect' });
      await expect(ga.send(new ListAcceleratorsCommand({}))).rejects.toThrow();
      expect(observer.since(0)).toEqual([]);
    } finally {
      ga.destroy();
    }
  });
});
