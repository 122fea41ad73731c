// Runs the packaged handler (dist/lambda) as Lambda does: a fresh Node process (a cold start) that
// imports the bundle and is invoked with each event in turn (a warm container), with a runtime-like
// context. Returns each invocation's result or error, and every line the process wrote (Lambda sends
// stdout and stderr to CloudWatch Logs).

import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from './repo-data.js';

export type Invocation = { readonly ok: true; readonly result: Record<string, unknown> } | { readonly ok: false; readonly error: { name: string; message: string } };

export interface LambdaProcessRun {
  readonly invocations: readonly Invocation[];
  /** stdout and stderr, line by line. */
  readonly lines: readonly string[];
  readonly output: string;
}

const RUNNER = `
import { writeFileSync } from 'node:fs';
const [bundle, out, eventsJson] = process.argv.slice(1);
const { handler } = await import(bundle);
const results = [];
for (const [i, event] of JSON.parse(eventsJson).entries()) {
  const deadline = Date.now() + 240_000;
  const context = {
    awsRequestId: 'req-' + (i + 1) + '-0000-4000-8000-000000000000',
    functionName: 'ga-steer-test-control-cycle',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:eu-central-1:123456789012:function:ga-steer-test-control-cycle',
    memoryLimitInMB: '512',
    getRemainingTimeInMillis: () => deadline - Date.now(),
  };
  try {
    results.push({ ok: true, result: await handler(event, context) });
  } catch (e) {
    results.push({ ok: false, error: { name: e?.name ?? 'Error', message: e?.message ?? String(e) } });
  }
}
writeFileSync(out, JSON.stringify(results));
process.exit(0);
`;

/** What the Lambda runtime sets in every function's environment, of what the handler reads. */
const RUNTIME_ENV = { AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand', AWS_LAMBDA_FUNCTION_NAME: 'ga-steer-test-control-cycle', AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512' };

/** Invokes the bundle with `events`, one after another, in one new process with `env` as its whole environment. */
export async function invokeBundledLambda(events: readonly unknown[], env: Readonly<Record<string, string>>, bundleDir = resolve(REPO_ROOT, 'dist/lambda')): Promise<LambdaProcessRun> {
  const dir = mkdtempSync(join(tmpdir(), 'ga-steer-lambda-run-'));
  const out = join(dir, 'results.json');
  const bundle = pathToFileURL(join(bundleDir, 'control-cycle.mjs')).href;
  try {
    const output = await new Promise<string>((done, fail) => {
      const child = execFile(process.execPath, ['--input-type=module', '-e', RUNNER, bundle, out, JSON.stringify(events)], { env: { PATH: process.env.PATH ?? '', ...RUNTIME_ENV, ...env }, cwd: REPO_ROOT, maxBuffer: 64 * 1024 * 1024, timeout: 120_000 }, (error, stdout, stderr) => {
        if (error !== null) fail(new Error(`the Lambda process failed: ${error.message}\n${stdout}\n${stderr}`));
        else done(`${stdout}${stderr}`);
      });
      child.stdin?.end();
    });
    const invocations = JSON.parse(readFileSync(out, 'utf8')) as Invocation[];
    return { invocations, output, lines: output.split('\n').filter((l) => l.trim() !== '') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
