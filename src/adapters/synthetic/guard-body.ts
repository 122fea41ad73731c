// Wraps a feed body as it streams: caps its size, turns transport errors into FeedFetchError, and
// releases the source when the reader stops early.

import { FeedFetchError } from './feed-fetch-error.js';

export interface BodyGuard {
  readonly maxBytes: number;
  /** The error to throw for a transport failure mid-body. */
  readonly fail: (cause: unknown) => FeedFetchError;
  readonly tooLarge: () => FeedFetchError;
  /** Frees the connection or file handle. */
  readonly release: () => void;
  /** Called once the body is over, however it ended (stops the transfer's deadline). */
  readonly end?: () => void;
}

export async function* guardBody(source: AsyncIterable<Uint8Array | string>, guard: BodyGuard): AsyncGenerator<Uint8Array> {
  let bytes = 0;
  let done = false;
  try {
    for await (const chunk of source) {
      const data = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      bytes += data.byteLength;
      if (bytes > guard.maxBytes) throw guard.tooLarge();
      yield data;
    }
    done = true;
  } catch (e) {
    if (e instanceof FeedFetchError) throw e;
    throw guard.fail(e);
  } finally {
    if (!done) guard.release();
    guard.end?.();
  }
}
