// The Lambda as deployed: the zipped package `osls package` builds for the example fleet (bundle and
// policies, no source maps), and the cold init: importing the bundled handler in a fresh Node process,
// as the runtime does on a cold start (module parsing, compilation and top-level code, AWS clients not
// yet connected). Median of several fresh processes.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface LambdaBenchResult {
  readonly zipBytes: number;
  readonly coldInitMedianMs: number;
  readonly coldInitMaxMs: number;
  /** CPU time (user + system) of the same imports: less disturbed by other work on a shared machine. */
  readonly coldInitCpuMedianMs: number;
  readonly runs: number;
  readonly zipTargetBytes: number;
  readonly coldInitTargetMs: number;
}

const ZIP_TARGET_BYTES = 1.5 * 1024 * 1024;
const COLD_INIT_TARGET_MS = 300;

export function benchLambda(runs = 7): LambdaBenchResult {
  execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build-lambda.ts'], { stdio: 'pipe' });
  const dir = mkdtempSync(join(tmpdir(), 'ga-steer-bench-package-'));
  let zipBytes: number;
  try {
    execFileSync(process.execPath, [resolve('node_modules/osls/bin/serverless.js'), 'package', '--param=fleet=example', '--package', dir], {
      stdio: 'pipe',
      env: { ...process.env, AWS_EC2_METADATA_DISABLED: 'true', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' },
    });
    zipBytes = statSync(join(dir, 'ga-steer.zip')).size;
    // A package without the bundle (dist/lambda rebuilt or removed meanwhile by other work) is tiny and
    // would pass the size target for nothing.
    if (zipBytes < 100 * 1024) throw new Error(`the package is ${zipBytes} bytes: it holds no handler bundle (is dist/lambda being rebuilt by other work?)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const bundle = pathToFileURL(resolve('dist/lambda/control-cycle.mjs')).href;
  const script = `const c = process.cpuUsage(); const t = performance.now(); await import(${JSON.stringify(bundle)}); const u = process.cpuUsage(c); process.stdout.write(JSON.stringify([performance.now() - t, (u.user + u.system) / 1000]));`;
  const times: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', AWS_REGION: 'us-west-2', AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand' } });
    const [wall, cpuMs] = JSON.parse(out) as [number, number];
    times.push(wall);
    cpu.push(cpuMs);
  }
  times.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  return {
    zipBytes,
    coldInitMedianMs: times[Math.floor(times.length / 2)] ?? Number.NaN,
    coldInitMaxMs: times.at(-1) ?? Number.NaN,
    coldInitCpuMedianMs: cpu[Math.floor(cpu.length / 2)] ?? Number.NaN,
    runs,
    zipTargetBytes: ZIP_TARGET_BYTES,
    coldInitTargetMs: COLD_INIT_TARGET_MS,
  };
}
