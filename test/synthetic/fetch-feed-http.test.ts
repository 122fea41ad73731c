// Feeds over real HTTP: a local node:http server on 127.0.0.1 answering good feeds, errors, slow and
// oversize bodies.

import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeedFetchError } from '../../src/adapters/synthetic/feed-fetch-error.js';
import { FeedFetcher } from '../../src/adapters/synthetic/fetch-feed.js';
import { parseFeed } from '../../src/adapters/synthetic/parse-feed.js';
import { redactLocation } from '../../src/adapters/synthetic/redact-location.js';
import { readAll, rejection } from '../support/feed-reading.js';

const CSV = 'timestamp,vantage,client_group,region,rtt_ms,loss_percent\n2025-06-01T11:50:00Z,fra-1,DE,eu-central-1,3.2,0\n2025-06-01T11:50:00Z,fra-1,DE,us-east-1,,100\n';
const SECRET = 's3cr3t-t0ken';
const LIMIT = 1000;

let server: Server;
let base: string;
const seen: string[] = [];
const hanging = new Set<ServerResponse>();

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    seen.push(`${req.method} ${url.pathname}${url.search}`);
    switch (url.pathname) {
      case '/probes.csv':
        if (url.searchParams.get('token') !== SECRET) return void res.writeHead(403).end('forbidden');
        return void res.writeHead(200, { 'content-type': 'text/csv' }).end(CSV);
      case '/slow-headers':
        hanging.add(res);
        return; // never answers
      case '/slow-body':
        hanging.add(res);
        res.writeHead(200, { 'content-type': 'application/x-ndjson' });
        res.write('{"timestamp":"2025-06-01T11:50:00Z",');
        return; // never finishes
      case '/big':
        return void res.writeHead(200, { 'content-length': String(LIMIT + 1) }).end('x'.repeat(LIMIT + 1));
      case '/big-chunked': {
        res.writeHead(200, { 'content-type': 'text/csv' });
        let sent = 0;
        const more = (): void => {
          if (sent > LIMIT * 3 || res.destroyed) return void res.end();
          sent += 100;
          res.write('y'.repeat(100), () => setImmediate(more));
        };
        return more();
      }
      case '/moved':
        return void res.writeHead(302, { location: `/probes.csv?token=${SECRET}` }).end();
      case '/boom':
        return void res.writeHead(500).end(`internal error, token=${SECRET}`);
      default:
        return void res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const r of hanging) r.destroy();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const fetcher = (): FeedFetcher => new FeedFetcher({ timeoutMs: 300, maxBytes: LIMIT });

describe('feeds over HTTP', () => {
  it('reads and parses a feed, passing the query string through to the server', async () => {
    const body = await fetcher().open('probes', `${base}/probes.csv?token=${SECRET}`);
    const parsed = await parseFeed(body, { feedName: 'probes', format: 'csv' });
    expect(parsed.problems).toEqual([]);
    expect(parsed.samples.map((s) => [s.region, s.rttMs, s.received])).toEqual([['eu-central-1', 3.2, 100], ['us-east-1', null, 0]]);
    expect(seen).toContain(`GET /probes.csv?token=${SECRET}`);
  });

  it('turns a non-2xx answer into a typed error with the status', async () => {
    const missing = await rejection(fetcher().open('probes', `${base}/nothing-here.jsonl`));
    expect(missing).toBeInstanceOf(FeedFetchError);
    expect(missing).toMatchObject({ failure: 'not-found', status: 404, message: `probes: cannot read ${base}/nothing-here.jsonl: HTTP 404` });
    expect(await rejection(fetcher().open('probes', `${base}/probes.csv?token=wrong`))).toMatchObject({ failure: 'access-denied', status: 403 });
    expect(await rejection(fetcher().open('probes', `${base}/boom`))).toMatchObject({ failure: 'http-status', status: 500, message: `probes: cannot read ${base}/boom: HTTP 500` });
    // Redirects are not followed: a feed URL says where the feed is.
    expect(await rejection(fetcher().open('probes', `${base}/moved`))).toMatchObject({ failure: 'http-status', status: 302 });
  });

  it('gives up on a server that does not answer, or stops mid-body, within the timeout', async () => {
    const started = Date.now();
    const noAnswer = await rejection(fetcher().open('probes', `${base}/slow-headers`));
    expect(noAnswer).toMatchObject({ failure: 'timeout', message: `probes: cannot read ${base}/slow-headers: no complete answer within 300 ms` });
    const stalled = await rejection(fetcher().open('probes', `${base}/slow-body`).then(readAll));
    expect(stalled).toMatchObject({ failure: 'timeout' });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('refuses a body over the size cap, declared or streamed', async () => {
    expect(await rejection(fetcher().open('probes', `${base}/big`))).toMatchObject({
      failure: 'too-large',
      message: `probes: cannot read ${base}/big: ${LIMIT + 1} bytes, more than the ${LIMIT}-byte limit`,
    });
    const streamed = await rejection(fetcher().open('probes', `${base}/big-chunked`).then(readAll));
    expect(streamed).toMatchObject({ failure: 'too-large', message: `probes: cannot read ${base}/big-chunked: more than the ${LIMIT}-byte limit` });
  });

  it('never shows a query string or user info, whatever the failure', async () => {
    // Nothing listens on the discard port, and no test's server is ever given it (a closed ephemeral
    // port can be, by another test file running alongside).
    const closedPort = 9;

    const failures = await Promise.all(
      [
        `${base}/nothing-here.jsonl?token=${SECRET}`,
        `${base}/boom?token=${SECRET}&x=1#frag-${SECRET}`,
        `${base}/slow-headers?token=${SECRET}`,
        `${base}/big?token=${SECRET}`,
        `http://reader:${SECRET}@127.0.0.1:${closedPort}/feed.jsonl?sig=${SECRET}`,
        `http://127.0.0.1:${closedPort}/feed.jsonl?token=${SECRET}`,
      ].map((url) => rejection(fetcher().open('probes', url).then(readAll))),
    );
    expect(failures.map((e) => (e as FeedFetchError).failure)).toEqual(['not-found', 'http-status', 'timeout', 'too-large', 'unreachable', 'unreachable']);
    for (const e of failures) {
      expect(e).toBeInstanceOf(FeedFetchError);
      for (const shown of [String(e), (e as Error).message, (e as Error).stack ?? '', inspect(e, { depth: 10 }), JSON.stringify(e)]) {
        expect(shown).not.toContain(SECRET);
      }
      expect((e as Error).message).toContain('?[redacted]');
    }
    expect((failures[4] as Error).message).toBe(`probes: cannot read http://[redacted]@127.0.0.1:${closedPort}/feed.jsonl?[redacted]: cannot connect (ECONNREFUSED)`);
  });
});

describe('redactLocation', () => {
  it('hides query strings and user info, keeps the rest, and leaves paths alone', () => {
    expect(redactLocation('https://feeds.example.com/a/b.csv?token=abc&x=1')).toBe('https://feeds.example.com/a/b.csv?[redacted]');
    expect(redactLocation('https://u:p@feeds.example.com:8443/b.csv#x')).toBe('https://[redacted]@feeds.example.com:8443/b.csv');
    expect(redactLocation('https://feeds.example.com/b.csv?')).toBe('https://feeds.example.com/b.csv?[redacted]');
    expect(redactLocation('s3://bucket/dir/feed.jsonl')).toBe('s3://bucket/dir/feed.jsonl');
    expect(redactLocation('http://u:p@[bad host/feed?k=v')).toBe('http://[redacted]@[bad host/feed?[redacted]');
    expect(redactLocation('./feeds/office.jsonl')).toBe('./feeds/office.jsonl');
  });
});
