import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeedFetcher } from '../../src/adapters/synthetic/fetch-feed.js';
import { FeedFetchError } from '../../src/adapters/synthetic/feed-fetch-error.js';
import { parseFeed } from '../../src/adapters/synthetic/parse-feed.js';
import { readAll, rejection } from '../support/feed-reading.js';

const FEED = [
  '{"timestamp":"2025-06-01T11:50:00Z","vantage":"fra-1","region":"eu-central-1","rttMs":3.2}',
  '{"timestamp":"2025-06-01T11:51:00Z","vantage":"fra-1","region":"us-east-1","rttMs":88}',
].join('\n');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ga-steer-feeds-'));
  await mkdir(join(dir, 'feeds'));
  await writeFile(join(dir, 'feeds', 'office.jsonl'), FEED);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('feeds on the local disk', () => {
  it('reads a relative path against the base directory, an absolute path and a file:// URL alike', async () => {
    const fetcher = new FeedFetcher({ baseDir: dir });
    const path = join(dir, 'feeds', 'office.jsonl');
    for (const location of ['feeds/office.jsonl', path, pathToFileURL(path).href]) {
      expect(await readAll(await fetcher.open('office', location))).toBe(FEED);
    }
    const parsed = await parseFeed(await fetcher.open('office', 'feeds/office.jsonl'), { feedName: 'office', format: 'jsonl' });
    expect(parsed.problems).toEqual([]);
    expect(parsed.samples.map((s) => [s.region, s.rttMs])).toEqual([['eu-central-1', 3.2], ['us-east-1', 88]]);
  });

  it('fails with a typed error naming the feed and the place', async () => {
    const fetcher = new FeedFetcher({ baseDir: dir, maxBytes: 100 });
    const missing = await rejection(fetcher.open('office', 'feeds/missing.jsonl'));
    expect(missing).toBeInstanceOf(FeedFetchError);
    expect(missing).toMatchObject({ feedName: 'office', location: 'feeds/missing.jsonl', failure: 'not-found', message: 'office: cannot read feeds/missing.jsonl: no such file' });

    const folder = await rejection(fetcher.open('office', 'feeds'));
    expect(folder).toMatchObject({ failure: 'read-failed', message: 'office: cannot read feeds: not a regular file' });

    const big = await rejection(fetcher.open('office', 'feeds/office.jsonl'));
    expect(big).toMatchObject({ failure: 'too-large', message: `office: cannot read feeds/office.jsonl: ${Buffer.byteLength(FEED)} bytes, more than the 100-byte limit` });

    const ftp = await rejection(fetcher.open('office', 'ftp://files.example.com/feed.csv'));
    expect(ftp).toMatchObject({ failure: 'unsupported-location', message: 'office: cannot read ftp://files.example.com/feed.csv: unsupported scheme ftp:// (use a path, file://, http(s):// or s3://)' });
  });
});
