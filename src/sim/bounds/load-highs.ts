// Loads the HiGHS LP solver (compiled to wasm) once per process.

import * as highsModule from 'highs';
import type { Highs, LegacyHighs } from 'highs';

/** The part of HiGHS the bounds use: one-shot solves of CPLEX LP-format text. */
export type LpSolver = Pick<LegacyHighs, 'solve'>;

type HighsLoader = () => Promise<Highs>;

function isLoader(value: unknown): value is HighsLoader {
  return typeof value === 'function';
}

// The package's declarations are CommonJS-shaped, so under NodeNext TypeScript sees the loader as
// `default.default`, while Node's ESM build exports it as `default`. Accept whichever is there.
function highsLoader(): HighsLoader {
  const outer: unknown = highsModule.default;
  if (isLoader(outer)) return outer;
  const inner: unknown = (outer as { default?: unknown } | undefined)?.default;
  if (isLoader(inner)) return inner;
  throw new TypeError('the highs package exports no loader function');
}

let cached: Promise<Highs> | undefined;

/** The wasm solver, initialised on first use; a failed load is not cached, so a later call retries. */
export function loadHighs(): Promise<Highs> {
  if (cached === undefined) {
    const loading = highsLoader()();
    cached = loading;
    loading.catch(() => {
      if (cached === loading) cached = undefined;
    });
  }
  return cached;
}
