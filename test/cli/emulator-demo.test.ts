// The README's live demo, exactly: `ga-steer emulator --snapshot examples/snapshots/crazycall-hot.json
// --policy policies/crazycall-voip.yaml` (on a free port instead of 4590, so tests never collide) and
// the `ga-steer plan ...` command it prints, both through the CLI entry point. The emulator alone
// feeds every signal (CloudWatch load and demand, RIPE Atlas latency and landing), and the plan
// offloads the hot Region.

import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runGaSteer, type CliRun } from '../support/run-cli-in-process.js';

/** The commands of the README's "A live plan that changes" demo. */
function readmeDemo(): { emulator: string; plan: string } {
  const readme = readFileSync('README.md', 'utf8');
  const section = readme.slice(readme.indexOf('**A live plan that changes.**'));
  const emulator = /^ga-steer emulator .+$/m.exec(section)?.[0];
  const plan = /^ga-steer plan .+$/m.exec(section)?.[0];
  if (emulator === undefined || plan === undefined) throw new Error('README: the live demo commands are missing');
  return { emulator, plan };
}

const demo = readmeDemo();
const argvOf = (command: string): string[] => command.split(/\s+/).slice(1);

let stop: AbortController;
let emulatorRun: Promise<CliRun> | undefined;
let printed = '';

beforeAll(async () => {
  stop = new AbortController();
  let ready: () => void = () => undefined;
  const started = new Promise<void>((resolve) => (ready = resolve));
  emulatorRun = runGaSteer([...argvOf(demo.emulator), '--port', '0'], {}, stop.signal, (text) => {
    printed += text;
    if (/^ {2}ga-steer plan /m.test(printed)) ready();
  });
  await Promise.race([started, emulatorRun.then((r) => Promise.reject(new Error(`the emulator stopped: ${r.stderr}`)))]);
});

afterAll(async () => {
  // Guarded: when beforeAll failed, its error is the one to read, not a crash here.
  if (emulatorRun === undefined) return;
  stop.abort();
  const run = await emulatorRun;
  expect(run.code).toBe(0);
  // Everything the snapshot holds could be emulated.
  expect(run.stderr).not.toMatch(/not emulated|not seeded/);
});

describe("the README's live demo", () => {
  it('prints the README plan command for its own address, and that plan changes the hot Region\'s dials', async () => {
    const url = /listening on (http:\/\/\S+)/.exec(printed)?.[1] ?? '';
    const planCommand = /^ {2}(ga-steer plan .+)$/m.exec(printed)?.[1] ?? '';
    // The printed command is the README's, on the port the emulator got.
    expect(planCommand).toBe(demo.plan.replaceAll('http://127.0.0.1:4590', url));

    const plan = await runGaSteer(argvOf(planCommand), {});
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stderr).not.toMatch(/signal problem/);
    expect(plan.stdout).toMatch(/~ eu-central-1 listener 5c0a9e71 group a1f0c3e9b2d4\n\s+traffic dial 100 -> 85 +\[DialReduced\]/);
    expect(plan.stdout).toMatch(/~ eu-central-1 listener 8d21f3b4 group c3d8e1f7a9b2\n\s+traffic dial 100 -> 85 +\[DialReduced\]/);
    expect(plan.stdout).toContain('Plan: 2 dial change(s).');
    expect(plan.stdout).not.toMatch(/Hold|NoData/);
  });
});
