// Errors of the simulated world's data.

import { GaSteerError } from '../../app/errors.js';

/** One problem in a world file, at a dotted path such as `metros.12.rttMs.eu-central-1`. */
export interface WorldIssue {
  readonly path: string;
  readonly message: string;
}

export function formatWorldIssue(issue: WorldIssue): string {
  return issue.path === '' ? issue.message : `${issue.path}: ${issue.message}`;
}

/** A world file that cannot be used; lists every issue found. */
export class WorldFileError extends GaSteerError {
  override readonly name = 'WorldFileError';
  constructor(
    readonly file: string,
    readonly issues: readonly WorldIssue[],
  ) {
    super(`${file}: not a usable world file\n${issues.map((i) => `  ${formatWorldIssue(i)}`).join('\n')}`);
  }
}
