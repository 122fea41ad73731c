// Waiting for stdout and stderr to be written out before the process exits. Into a pipe, Node writes
// what fits in the pipe's buffer at once and queues the rest; process.exit() drops the queue, so a
// large plan piped into a slow reader (`ga-steer plan --format json | jq`) would lose its end.

type OutputStream = NodeJS.WritableStream & { destroyed?: boolean };

/**
 * A reader that goes away (EPIPE, `| head`) cannot be written to or waited for: the command's exit
 * code still stands, and the error must not crash the process. Call before anything is written.
 */
export function tolerateClosedReader(stream: OutputStream): void {
  stream.on('error', () => undefined);
}

/** Resolves once everything written to `stream` so far has been handed to the OS (or cannot be). */
export function flushed(stream: OutputStream): Promise<void> {
  return new Promise((resolve) => {
    if (stream.destroyed === true || stream.writable === false) return resolve();
    // Writes complete in order: this empty one's callback runs after every earlier one is out.
    stream.write('', () => resolve());
  });
}
