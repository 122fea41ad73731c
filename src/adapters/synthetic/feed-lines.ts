// Splits a feed into numbered lines as it arrives, so memory stays bounded by the longest accepted line
// whatever the feed's size. An overlong line is reported, not buffered.

/** What a feed can be read from: its whole text, or chunks (a Node Readable is an AsyncIterable). */
export type FeedInput = string | Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>;

export const DEFAULT_MAX_LINE_CHARS = 64 * 1024;

export type FeedLine =
  | { readonly kind: 'line'; readonly number: number; readonly text: string }
  | { readonly kind: 'overlong'; readonly number: number };

export async function* feedLines(input: FeedInput, maxLineChars = DEFAULT_MAX_LINE_CHARS): AsyncGenerator<FeedLine> {
  const decoder = new TextDecoder('utf-8');
  let pending = '';
  let overlong = false;
  let number = 0;

  function* take(chunk: string, final: boolean): Generator<FeedLine> {
    let start = 0;
    for (let nl = chunk.indexOf('\n', start); nl !== -1; nl = chunk.indexOf('\n', start)) {
      number++;
      if (overlong || pending.length + (nl - start) > maxLineChars) {
        yield { kind: 'overlong', number };
      } else {
        const text = stripEnd(pending + chunk.slice(start, nl));
        yield { kind: 'line', number, text: number === 1 ? stripBom(text) : text };
      }
      pending = '';
      overlong = false;
      start = nl + 1;
    }
    const rest = chunk.slice(start);
    if (!overlong && pending.length + rest.length > maxLineChars) {
      overlong = true;
      pending = '';
    } else if (!overlong) {
      pending += rest;
    }
    if (final && (pending.length > 0 || overlong)) {
      number++;
      yield overlong ? { kind: 'overlong', number } : { kind: 'line', number, text: number === 1 ? stripBom(stripEnd(pending)) : stripEnd(pending) };
      pending = '';
    }
  }

  if (typeof input === 'string') {
    yield* take(input, true);
    return;
  }
  for await (const chunk of input) {
    yield* take(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }), false);
  }
  yield* take(decoder.decode(), true);
}

function stripEnd(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

function stripBom(line: string): string {
  return line.charCodeAt(0) === 0xfeff ? line.slice(1) : line;
}
