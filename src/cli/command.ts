// One `ga-steer` sub-command. Commands write through `io`, never to process.stdout directly,
// so tests can run them in-process.

import type { SecretRedactor } from '../app/redact.js';

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** Aborted on SIGINT/SIGTERM; long-running commands (emulator, run) stop when it fires. */
  readonly signal?: AbortSignal;
}

/** What a command gets: `stdout` and `stderr` hide every secret `secrets` knows of. */
export interface CommandIo extends CliIo {
  /** Built once by runCli; commands add the secrets their policy names, and write files through it. */
  readonly secrets: SecretRedactor;
}

export interface Command {
  readonly name: string;
  readonly summary: string;
  /** Full `--help` text. */
  readonly help: string;
  /** Returns the process exit code. Bad input: message on stderr naming the place, exit 1. */
  run(argv: readonly string[], io: CommandIo): Promise<number>;
}

export const EXIT_OK = 0;
export const EXIT_ERROR = 1;
/** `plan --detailed-exitcode`: the plan has changes. */
export const EXIT_CHANGES = 2;
/** `apply`: some changes were not applied (stale, failed or not attempted); the report says which. */
export const EXIT_APPLY_INCOMPLETE = 3;
