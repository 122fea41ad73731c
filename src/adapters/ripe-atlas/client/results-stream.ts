// Turns a JSON Lines results body into results, one line at a time. A line that is not a JSON object
// is yielded as an AtlasLineError in its place (the stream goes on); a broken transfer ends the
// stream with AtlasStreamInterrupted, after the results that did arrive.

import { AtlasError, AtlasLineError, AtlasStreamInterrupted } from './errors.js';
import { splitLines } from './json-lines.js';
import { errorCode, isBodyTimeoutCode } from './transport.js';

const EXCERPT_CHARS = 80;

export interface ResultLinesOptions {
  readonly measurementId: number;
  readonly maxLineBytes: number;
  /** Cuts excerpts and scrubs them of the API key. */
  readonly excerpt: (text: string, max: number) => string;
  /** A caller's abort ends the stream with the abort reason, not as an interruption. */
  readonly signal?: AbortSignal | undefined;
}

export async function* parseResultLines(chunks: AsyncIterable<Uint8Array>, options: ResultLinesOptions): AsyncGenerator<unknown> {
  let yielded = 0;
  try {
    for await (const line of splitLines(chunks, options.maxLineBytes)) {
      if (line.kind === 'too-long') {
        yield new AtlasLineError(options.measurementId, line.lineNumber, 'line-too-long', options.excerpt(line.head, EXCERPT_CHARS));
        continue;
      }
      let value: unknown;
      try {
        value = JSON.parse(line.text);
      } catch {
        yield new AtlasLineError(options.measurementId, line.lineNumber, 'invalid-json', options.excerpt(line.text, EXCERPT_CHARS));
        continue;
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        yield new AtlasLineError(options.measurementId, line.lineNumber, 'not-an-object', options.excerpt(line.text, EXCERPT_CHARS));
        continue;
      }
      yielded++;
      yield value;
    }
  } catch (e) {
    if (e instanceof AtlasError) throw e;
    if (options.signal?.aborted === true) throw options.signal.reason;
    const code = errorCode(e);
    throw new AtlasStreamInterrupted(options.measurementId, isBodyTimeoutCode(code) ? 'body-timeout' : 'connection-lost', code, yielded);
  }
}
