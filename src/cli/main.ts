// The `ga-steer` executable.

import { runCli } from './run-cli.js';
import { flushed, tolerateClosedReader } from './flush-output.js';

tolerateClosedReader(process.stdout);
tolerateClosedReader(process.stderr);
const stop = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => stop.abort());

const code = await runCli(process.argv.slice(2), {
  stdout: (t) => void process.stdout.write(t),
  stderr: (t) => void process.stderr.write(t),
  env: process.env,
  cwd: process.cwd(),
  signal: stop.signal,
});
process.exitCode = code;
// Into a pipe, writes past its buffer (64 KiB) are still queued: exiting now would cut the output.
await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
// Lingering keep-alive sockets must not hold the process open after the command is done.
process.exit(code);
