// A feed on the local disk: a path (relative to a base directory) or a file:// URL.

import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FeedFetchError } from './feed-fetch-error.js';
import { guardBody } from './guard-body.js';

export interface FileFeedTarget {
  readonly feedName: string;
  readonly location: string;
  /** Shown in messages: the location as written, already redacted. */
  readonly shown: string;
  readonly baseDir: string;
  readonly maxBytes: number;
}

export async function readFileFeed(target: FileFeedTarget): Promise<AsyncIterable<Uint8Array>> {
  const fail = (failure: ConstructorParameters<typeof FeedFetchError>[2], detail: string): FeedFetchError =>
    new FeedFetchError(target.feedName, target.shown, failure, detail);

  let path: string;
  try {
    path = target.location.startsWith('file:') ? fileURLToPath(target.location) : isAbsolute(target.location) ? target.location : resolve(target.baseDir, target.location);
  } catch {
    throw fail('unsupported-location', 'not a usable file URL');
  }
  let size: number;
  try {
    const s = await stat(path);
    if (!s.isFile()) throw fail('read-failed', 'not a regular file');
    size = s.size;
  } catch (e) {
    if (e instanceof FeedFetchError) throw e;
    throw fileError(e, fail);
  }
  if (size > target.maxBytes) throw fail('too-large', `${size} bytes, more than the ${target.maxBytes}-byte limit`);

  const stream = createReadStream(path);
  return guardBody(stream, {
    maxBytes: target.maxBytes,
    fail: (e) => fileError(e, fail),
    tooLarge: () => fail('too-large', `more than the ${target.maxBytes}-byte limit`),
    release: () => stream.destroy(),
  });
}

function fileError(e: unknown, fail: (failure: 'not-found' | 'access-denied' | 'read-failed', detail: string) => FeedFetchError): FeedFetchError {
  const code = (e as { code?: unknown } | undefined)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return fail('not-found', 'no such file');
  if (code === 'EACCES' || code === 'EPERM') return fail('access-denied', `permission denied (${code})`);
  return fail('read-failed', typeof code === 'string' ? code : e instanceof Error ? e.name : 'unknown error');
}
