// Errors of the benchmark's bounds: a problem that does not describe a usable instant, or a solver
// outcome the bound cannot be read from.

import { GaSteerError } from '../../app/errors.js';

/** An AssignmentProblem that is inconsistent (lengths, missing RTTs, negative demand...); lists every issue. */
export class BoundsInputError extends GaSteerError {
  override readonly name = 'BoundsInputError';
  constructor(readonly issues: readonly string[]) {
    super(`not a usable assignment problem:\n${issues.map((i) => `  ${i}`).join('\n')}`);
  }
}

/** HiGHS ended without an optimal solution (the LP is built to be always feasible and bounded). */
export class LpSolveError extends GaSteerError {
  override readonly name = 'LpSolveError';
  constructor(
    readonly status: string,
    readonly metros: number,
    readonly regions: number,
  ) {
    super(`LP bound: HiGHS ended with status "${status}" (${metros} metros x ${regions} Regions)`);
  }
}

/** Flows placed on a Region for which the metro has no RTT, so no latency can be given to them. */
export class MissingRttError extends GaSteerError {
  override readonly name = 'MissingRttError';
  constructor(
    readonly metroId: string,
    readonly region: string,
  ) {
    super(`metro ${metroId} has flows on ${region} but no RTT to it`);
  }
}

/** A best-dial search option out of range. */
export class BestDialOptionsError extends GaSteerError {
  override readonly name = 'BestDialOptionsError';
  constructor(
    readonly option: string,
    readonly value: number,
  ) {
    super(`best-dial search: ${option} cannot be ${value}`);
  }
}
