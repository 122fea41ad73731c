// Kept only for test/sim/simulation.test.ts, which imports REPO_ROOT from here and is being rewritten on
// another branch; new code imports test/support/repo-data.ts. Remove once nothing imports this file.

export { REPO_ROOT } from './repo-data.js';
