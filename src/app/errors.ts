// Errors of the application layer (file loading, wiring). Each carries the place it is about.

import { formatIssue, type PolicyIssue } from '../policy/issues.js';

export class GaSteerError extends Error {
  override readonly name: string = 'GaSteerError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** An input file (policy, snapshot, state, plan) that cannot be used; lists every issue found. */
export class InputFileError extends GaSteerError {
  override readonly name = 'InputFileError';
  constructor(
    readonly file: string,
    readonly issues: readonly PolicyIssue[],
  ) {
    super(issues.map(formatIssue).join('\n'));
  }
}

export class FileReadError extends GaSteerError {
  override readonly name = 'FileReadError';
  constructor(
    readonly file: string,
    cause: unknown,
  ) {
    const code = (cause as { code?: string } | undefined)?.code;
    super(`${file}: cannot read the file${code !== undefined ? ` (${code})` : ''}`, { cause });
  }
}
