// Runs a ga-steer command in-process and captures what it writes.

import { runCli } from '../../src/cli/run-cli.js';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function runGaSteer(argv: readonly string[], env: Record<string, string | undefined> = {}, signal?: AbortSignal, onStdout?: (text: string) => void): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: (t) => {
      stdout += t;
      onStdout?.(t);
    },
    stderr: (t) => void (stderr += t),
    env,
    cwd: process.cwd(),
    ...(signal !== undefined ? { signal } : {}),
  });
  return { code, stdout, stderr };
}
