// All of a policy's synthetic feeds at once: a file, an HTTP feed, an S3 feed, and feeds that fail.

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeedFetcher } from '../../src/adapters/synthetic/fetch-feed.js';
import { SyntheticSignalSource } from '../../src/adapters/synthetic/synthetic-signal-source.js';
import { parsePolicyText } from '../../src/policy/parse-policy.js';
import type { Policy } from '../../src/policy/schema.js';
import { REPO_ROOT } from '../support/repo-data.js';
import { startS3ObjectServer, type S3ObjectServer } from '../support/s3-object-server.js';

const NOW = new Date('2025-06-01T12:00:00Z');

let dir: string;
let s3: S3ObjectServer;
let http: Server;
let httpBase: string;
let basePolicy: Policy;
let fetcher: FeedFetcher;
const inFlight = { now: 0, max: 0 };

beforeAll(async () => {
  const parsed = parsePolicyText(await readFile(join(REPO_ROOT, 'policies', 'atlas-experiment.yaml'), 'utf8'), 'atlas-experiment.yaml');
  if (!parsed.ok) throw new Error('the example policy must parse');
  basePolicy = parsed.policy;

  dir = await mkdtemp(join(tmpdir(), 'ga-steer-synthetic-'));
  await writeFile(
    join(dir, 'office.csv'),
    'timestamp,vantage,client_group,region,rtt_ms\n2025-06-01T11:50:00Z,fra-1,DE,eu-central-1,3.1\n2025-06-01T09:00:00Z,fra-1,DE,eu-central-1,2.9\n2025-06-01T11:50:00Z,fra-1,DE,us-east-1,-1\n',
  );
  await writeFile(join(dir, 'stale.jsonl'), '{"timestamp":"2025-05-01T00:00:00Z","vantage":"old","region":"us-east-1","rttMs":80}\n');

  s3 = await startS3ObjectServer();
  s3.put('probes', 'apac.jsonl', '{"timestamp":"2025-06-01T11:45:00Z","vantage":"sin-1","clientGroup":"SG","region":"ap-southeast-1","rttMs":1.7}\n');

  http = createServer((req, res) => {
    inFlight.now++;
    inFlight.max = Math.max(inFlight.max, inFlight.now);
    // Slow enough that serial reads would show in the peak count of requests in flight.
    setTimeout(() => {
      inFlight.now--;
      if ((req.url ?? '').startsWith('/us.jsonl')) {
        res.writeHead(200).end('{"timestamp":1748778600,"vantage":"iad-1","clientGroup":"US","region":"us-east-1","rttMs":2.2}\n');
      } else {
        res.writeHead(503).end();
      }
    }, 150);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  httpBase = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;

  fetcher = new FeedFetcher({
    baseDir: dir,
    timeoutMs: 2000,
    s3: { region: 'eu-west-1', endpoint: s3.endpoint, credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey } },
  });
});

afterAll(async () => {
  // Guarded: when beforeAll failed, its error is the one to read, not a crash here.
  fetcher?.close();
  await s3?.close();
  if (http !== undefined) {
    http.closeAllConnections();
    await new Promise((resolve) => http.close(resolve));
  }
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

function withFeeds(feeds: Policy['signals']['synthetic']): Policy {
  return { ...basePolicy, signals: { ...basePolicy.signals, synthetic: feeds } };
}

describe('SyntheticSignalSource', () => {
  it('collects recent samples from every feed in parallel, and turns failing feeds into problems', async () => {
    const policy = withFeeds([
      { name: 'office', url: 'office.csv', format: 'csv' },
      { name: 'us', url: `${httpBase}/us.jsonl?token=abc123`, format: 'jsonl' },
      { name: 'down', url: `${httpBase}/down.jsonl?token=abc123`, format: 'jsonl' },
      { name: 'apac', url: 's3://probes/apac.jsonl', format: 'jsonl' },
      { name: 'lost', url: 's3://probes/lost.jsonl', format: 'jsonl' },
      { name: 'stale', url: 'stale.jsonl', format: 'jsonl' },
    ]);
    expect(policy.guardrails.maxSignalAgeSeconds.latency).toBe(3600);
    const { samples, problems } = await new SyntheticSignalSource(fetcher).collectSamples(policy, NOW);

    expect(samples).toEqual([
      { clientGroup: 'DE', vantage: 'fra-1', region: 'eu-central-1', rttMs: 3.1, sent: 1, received: 1, observedAt: '2025-06-01T11:50:00.000Z', source: 'synthetic' },
      { clientGroup: 'US', vantage: 'iad-1', region: 'us-east-1', rttMs: 2.2, sent: 1, received: 1, observedAt: '2025-06-01T11:50:00.000Z', source: 'synthetic' },
      { clientGroup: 'SG', vantage: 'sin-1', region: 'ap-southeast-1', rttMs: 1.7, sent: 1, received: 1, observedAt: '2025-06-01T11:45:00.000Z', source: 'synthetic' },
    ]);
    expect(problems).toEqual([
      'office:line 4: rtt_ms -1 is negative',
      `down: cannot read ${httpBase}/down.jsonl?[redacted]: HTTP 503`,
      'lost: cannot read s3://probes/lost.jsonl: S3 NoSuchKey (HTTP 404)',
      'stale: no samples since 2025-06-01T11:00:00.000Z (1 older line skipped)',
    ]);
    expect(problems.join('\n')).not.toContain('abc123');
    // Both HTTP feeds were in flight together.
    expect(inFlight.max).toBe(2);
  });

  it('returns nothing, without error, when the policy lists no feeds', async () => {
    expect(await new SyntheticSignalSource(fetcher).collectSamples(withFeeds([]), NOW)).toEqual({ samples: [], problems: [] });
  });
});
