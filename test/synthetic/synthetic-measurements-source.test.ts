// Synthetic feeds -> LatencyMeasurements with source 'synthetic', through a local HTTP feed and a file.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeedFetcher } from '../../src/adapters/synthetic/fetch-feed.js';
import { SyntheticMeasurementsSource } from '../../src/adapters/synthetic/synthetic-measurements-source.js';
import { SyntheticSignalSource } from '../../src/adapters/synthetic/synthetic-signal-source.js';
import { policySchema, type Policy } from '../../src/policy/schema.js';
import { latencyMeasurementSchema } from '../../src/snapshot/schema.js';

const NOW = new Date('2026-03-02T12:00:00Z');
let dir: string;
let http: Server;
let base: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ga-steer-synthetic-measurements-'));
  await writeFile(
    join(dir, 'office.csv'),
    [
      'timestamp,vantage,client_group,region,rtt_ms,sent,received',
      '2026-03-02T11:50:00Z,fra-1,DE,eu-central-1,3,10,10',
      '2026-03-02T11:51:00Z,fra-1,DE,eu-central-1,5,10,10',
      '2026-03-02T11:50:00Z,ber-1,DE,eu-central-1,9,10,8',
      '2026-03-02T11:50:00Z,fra-1,DE,eu-west-1,20,10,10',
      '2026-03-02T08:00:00Z,fra-1,DE,eu-west-1,400,10,10',
      '2026-03-02T11:50:00Z,lab,office-berlin,eu-west-1,22,1,1',
    ].join('\n'),
  );
  http = createServer((req, res) => {
    if ((req.url ?? '').startsWith('/fr.jsonl')) res.writeHead(200).end('{"timestamp":"2026-03-02T11:58:00Z","vantage":"par-1","clientGroup":"FR-AS3215","region":"eu-west-1","rttMs":11.5}\n');
    else res.writeHead(503).end();
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});
afterAll(async () => {
  // Guarded: when beforeAll failed, its error is the one to read, not a crash here.
  if (http !== undefined) await new Promise<void>((resolve) => http.close(() => resolve()));
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

function policyWith(synthetic: { name: string; url: string; format: 'jsonl' | 'csv' }[]): Policy {
  return policySchema.parse({
    apiVersion: 'ga-steer.io/v1',
    name: 'synthetic-test',
    accelerator: { arn: 'arn:aws:globalaccelerator::123456789012:accelerator/abcd-1234' },
    regions: { 'eu-central-1': { capacity: { signal: 'flows', full: 100 } }, 'eu-west-1': { capacity: { signal: 'flows', full: 100 } } },
    signals: { synthetic },
  });
}

function source(): SyntheticMeasurementsSource {
  return new SyntheticMeasurementsSource(new SyntheticSignalSource(new FeedFetcher({ baseDir: dir, timeoutMs: 2000 })));
}

describe('SyntheticMeasurementsSource', () => {
  it('summarises every feed per client group and Region, with the newest sample as the age', async () => {
    const policy = policyWith([
      { name: 'office', url: 'office.csv', format: 'csv' },
      { name: 'paris', url: `${base}/fr.jsonl?token=SECRET-TOKEN`, format: 'jsonl' },
      { name: 'broken', url: `${base}/down.jsonl?token=SECRET-TOKEN`, format: 'jsonl' },
    ]);
    const readout = await source().collect(policy, NOW);
    const latency = readout.latency ?? [];
    for (const m of latency) latencyMeasurementSchema.parse(m);
    expect(latency.every((m) => m.source === 'synthetic')).toBe(true);
    const de = latency.find((m) => m.clientGroup === 'DE' && m.region === 'eu-central-1');
    // fra-1's median is 4 ms, ber-1's 9 ms: p50 across the two vantages 6.5 ms; loss per vantage 0 % and 20 %.
    expect(de).toMatchObject({ p50Ms: 6.5, vantageCount: 2, sampleCount: 3, lossPercent: 10, observedAt: '2026-03-02T11:51:00.000Z' });
    // The 400 ms line is older than the latency age limit (3600 s) and left out.
    expect(latency.find((m) => m.clientGroup === 'DE' && m.region === 'eu-west-1')).toMatchObject({ p50Ms: 20, sampleCount: 1 });
    expect(latency.find((m) => m.clientGroup === 'FR-AS3215')).toMatchObject({ region: 'eu-west-1', p50Ms: 11.5 });
    expect(latency.find((m) => m.clientGroup === 'office-berlin')).toMatchObject({ p50Ms: 22 });
    expect(readout.clientGroups).toEqual([
      { id: 'DE', countryCode: 'DE' },
      { id: 'FR-AS3215', countryCode: 'FR', asn: 3215 },
    ]);
    expect(readout.problems).toHaveLength(1);
    expect(readout.problems[0]).toMatch(/^synthetic: broken: .*503/);
    expect(JSON.stringify(readout)).not.toContain('SECRET-TOKEN');
  });

  it('does nothing without feeds', async () => {
    expect(await source().collect(policyWith([]), NOW)).toEqual({ problems: [] });
  });
});
