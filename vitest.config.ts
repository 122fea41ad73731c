import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/** Long simulations, run by `npm run test:slow` (CI runs it too), not by `npm test`. */
const SLOW_TESTS = ['test/sim/simulation.test.ts'];

const timeouts = { testTimeout: 30_000, hookTimeout: 30_000 };

// Two projects: `npm test` runs `fast`, `npm run test:slow` runs `slow`; `npx vitest run FILE` finds a file
// in either. The browser tests have their own configuration (vitest.browser.config.ts).
export default defineConfig({
  test: {
    pool: 'forks',
    // Vitest's default (cores - 1) runs one file at a time on a 2-core machine, while most suites spend
    // their time waiting on local servers and timers: run at least two side by side.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // The Lambda bundle is imported by Node itself, as Lambda runs it: through Vite's transform its
    // 11 MiB took several seconds to load.
    server: { deps: { external: [/\/dist\/lambda\//] } },
    projects: [
      {
        extends: true,
        test: {
          name: 'fast',
          include: ['test/**/*.test.ts'],
          exclude: ['test/browser/**', 'node_modules/**', ...SLOW_TESTS],
          ...timeouts,
          // Files in one worker share loaded modules (the AWS SDK, the emulator, the parsers) instead of
          // loading them again for every file: about half the CPU time. Suites must leave the process as
          // they found it (the Lambda suite restores the environment it sets).
          isolate: false,
        },
      },
      {
        extends: true,
        test: { name: 'slow', include: SLOW_TESTS, ...timeouts },
      },
    ],
  },
});
