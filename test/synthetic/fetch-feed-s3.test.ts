// Feeds in S3, read by the real S3 client (SigV4, path-style) from a local server that answers
// GetObject as S3 does, XML errors included.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeedFetchError } from '../../src/adapters/synthetic/feed-fetch-error.js';
import { FeedFetcher } from '../../src/adapters/synthetic/fetch-feed.js';
import { parseFeed } from '../../src/adapters/synthetic/parse-feed.js';
import { readAll, rejection } from '../support/feed-reading.js';
import { startS3ObjectServer, type S3ObjectServer } from '../support/s3-object-server.js';

const FEED = [
  '{"timestamp":"2025-06-01T11:50:00Z","vantage":"sin-1","clientGroup":"SG","region":"ap-southeast-1","rttMs":1.8}',
  '{"timestamp":"2025-06-01T11:50:00Z","vantage":"sin-1","clientGroup":"SG","region":"ap-northeast-1","rttMs":69.5,"sent":10,"received":10}',
  'this line is not JSON',
].join('\n');

let s3: S3ObjectServer;
let fetcher: FeedFetcher;

beforeAll(async () => {
  s3 = await startS3ObjectServer();
  s3.put('probe-results', 'ga-steer/2025/06/latest feed.jsonl', FEED);
  s3.put('probe-results', 'big.csv', 'z'.repeat(2048));
  s3.put('probe-results', 'stalled.jsonl', FEED);
  s3.stallBody.add('probe-results/stalled.jsonl');
  s3.put('probe-results', 'silent.jsonl', FEED);
  s3.stallHeaders.add('probe-results/silent.jsonl');
  fetcher = new FeedFetcher({
    timeoutMs: 400,
    maxBytes: 1024,
    s3: { region: 'ap-southeast-1', endpoint: s3.endpoint, credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey } },
  });
});

afterAll(async () => {
  // Guarded: when beforeAll failed, its error is the one to read, not a crash here.
  fetcher?.close();
  await s3?.close();
});

describe('feeds in S3', () => {
  it('gets the object path-style, signed for the configured Region, and parses it', async () => {
    const parsed = await parseFeed(await fetcher.open('sg', 's3://probe-results/ga-steer/2025/06/latest%20feed.jsonl'), { feedName: 'sg', format: 'jsonl' });
    expect(parsed.samples.map((s) => [s.region, s.rttMs, s.sent])).toEqual([['ap-southeast-1', 1.8, 1], ['ap-northeast-1', 69.5, 10]]);
    expect(parsed.problems).toEqual(['sg:line 3: not valid JSON']);
    expect(s3.requests.at(-1)).toEqual({ method: 'GET', bucket: 'probe-results', key: 'ga-steer/2025/06/latest feed.jsonl', region: 'ap-southeast-1' });
  });

  it('reports NoSuchKey and NoSuchBucket as not-found with S3\'s code and status', async () => {
    const key = await rejection(fetcher.open('sg', 's3://probe-results/missing.jsonl'));
    expect(key).toBeInstanceOf(FeedFetchError);
    expect(key).toMatchObject({ failure: 'not-found', status: 404, message: 'sg: cannot read s3://probe-results/missing.jsonl: S3 NoSuchKey (HTTP 404)' });
    const bucket = await rejection(fetcher.open('sg', 's3://no-such-bucket/feed.jsonl'));
    expect(bucket).toMatchObject({ failure: 'not-found', status: 404, message: 'sg: cannot read s3://no-such-bucket/feed.jsonl: S3 NoSuchBucket (HTTP 404)' });
  });

  it('reports refused credentials as access-denied', async () => {
    const wrongKey = new FeedFetcher({ timeoutMs: 400, s3: { region: 'ap-southeast-1', endpoint: s3.endpoint, credentials: { accessKeyId: 'local-wrong-access-key', secretAccessKey: 'x' } } });
    try {
      expect(await rejection(wrongKey.open('sg', 's3://probe-results/big.csv'))).toMatchObject({ failure: 'access-denied', status: 403, message: 'sg: cannot read s3://probe-results/big.csv: S3 InvalidAccessKeyId (HTTP 403)' });
    } finally {
      wrongKey.close();
    }
  });

  it('refuses an object over the size cap, a server that stalls, and a location without a key', async () => {
    expect(await rejection(fetcher.open('sg', 's3://probe-results/big.csv'))).toMatchObject({ failure: 'too-large', message: 'sg: cannot read s3://probe-results/big.csv: 2048 bytes, more than the 1024-byte limit' });
    expect(await rejection(fetcher.open('sg', 's3://probe-results/stalled.jsonl').then(readAll))).toMatchObject({ failure: 'timeout' });
    expect(await rejection(fetcher.open('sg', 's3://probe-results/silent.jsonl'))).toMatchObject({ failure: 'timeout', message: 'sg: cannot read s3://probe-results/silent.jsonl: no complete answer within 400 ms' });
    expect(await rejection(fetcher.open('sg', 's3://probe-results'))).toMatchObject({ failure: 'unsupported-location', message: 'sg: cannot read s3://probe-results: an S3 location must read s3://bucket/key' });
  });
});
