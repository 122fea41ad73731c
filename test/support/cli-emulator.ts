// `ga-steer emulator` run in-process on a free port, as the live CLI tests use it. Start-up waits for
// its "listening on" line, and fails at once, with the command's output, if it exits first.

import { runGaSteer, type CliRun } from './run-cli-in-process.js';

export interface CliEmulator {
  readonly url: string;
  /** Stops the emulator and resolves with the command's exit code and output. */
  stop(): Promise<CliRun>;
}

export async function startCliEmulator(snapshot: string, policy: string): Promise<CliEmulator> {
  const abort = new AbortController();
  let resolveUrl: (u: string) => void = () => undefined;
  const listening = new Promise<string>((r) => (resolveUrl = r));
  const running = runGaSteer(['emulator', '--snapshot', snapshot, '--policy', policy, '--port', '0', '--deploy-delay-ms', '10'], {}, abort.signal, (text) => {
    const m = /listening on (http:\/\/\S+)/.exec(text);
    if (m?.[1] !== undefined) resolveUrl(m[1]);
  });
  const first = await Promise.race([listening.then((url) => ({ url })), running.then((exited) => ({ exited }))]);
  if ('exited' in first) {
    throw new Error(`ga-steer emulator exited with code ${first.exited.code} before listening:\n${first.exited.stderr}${first.exited.stdout}`);
  }
  return {
    url: first.url,
    stop: async () => {
      abort.abort();
      return running;
    },
  };
}
