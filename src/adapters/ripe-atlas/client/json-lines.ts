// Splits a byte stream into lines without holding more than one line (plus one chunk) in memory.
// Works on bytes, not strings, so a multi-byte UTF-8 character cut between chunks stays whole.

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

export type SplitLine =
  | { readonly kind: 'line'; readonly lineNumber: number; readonly text: string }
  /** A line longer than maxLineBytes: its bytes were dropped; only the start is kept. */
  | { readonly kind: 'too-long'; readonly lineNumber: number; readonly head: string };

/** Blank lines are counted but not yielded. A final line without a newline is yielded at the end. */
export async function* splitLines(chunks: AsyncIterable<Uint8Array>, maxLineBytes: number): AsyncGenerator<SplitLine> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let overflowHead: string | undefined;
  let lineNumber = 0;

  const finish = (last: Buffer): SplitLine | undefined => {
    lineNumber++;
    if (overflowHead !== undefined) {
      const head = overflowHead;
      overflowHead = undefined;
      pending = [];
      pendingBytes = 0;
      return { kind: 'too-long', lineNumber, head };
    }
    let bytes = pending.length === 0 ? last : Buffer.concat([...pending, last], pendingBytes + last.length);
    pending = [];
    pendingBytes = 0;
    if (bytes.length > 0 && bytes[bytes.length - 1] === CARRIAGE_RETURN) bytes = bytes.subarray(0, bytes.length - 1);
    if (bytes.length > maxLineBytes) return { kind: 'too-long', lineNumber, head: bytes.subarray(0, 120).toString('utf8') };
    const text = bytes.toString('utf8');
    return text.trim().length === 0 ? undefined : { kind: 'line', lineNumber, text };
  };

  for await (const raw of chunks) {
    const chunk = Buffer.isBuffer(raw) ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    let from = 0;
    for (let nl = chunk.indexOf(NEWLINE, from); nl !== -1; nl = chunk.indexOf(NEWLINE, from)) {
      const line = finish(chunk.subarray(from, nl));
      if (line !== undefined) yield line;
      from = nl + 1;
    }
    if (from < chunk.length) {
      const rest = chunk.subarray(from);
      if (overflowHead === undefined && pendingBytes + rest.length > maxLineBytes) {
        // Keep only the start of the runaway line, for the error report, and skip to its end.
        overflowHead = Buffer.concat([...pending, rest]).subarray(0, 120).toString('utf8');
        pending = [];
        pendingBytes = 0;
      } else if (overflowHead === undefined) {
        // Copy: a slice would pin the whole chunk for as long as the line stays incomplete.
        pending.push(Buffer.from(rest));
        pendingBytes += rest.length;
      }
    }
  }
  if (pendingBytes > 0 || overflowHead !== undefined) {
    const line = finish(Buffer.alloc(0));
    if (line !== undefined) yield line;
  }
}
