// The executable's output into a pipe: a plan far larger than a pipe's 64 KiB buffer, read by a slow
// reader, arrives whole and parses, with the exit code kept; a reader that leaves early (`| head`)
// does not crash the process or change its exit code.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleSnapshot } from '../support/emulator.js';
import { REPO_ROOT } from '../support/repo-data.js';

const LISTENERS = 200;
let dir: string;
let args: string[];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ga-steer-pipe-'));
  // The hot VoIP snapshot with 200 listeners: the plan changes Frankfurt's group on each.
  const snapshot = exampleSnapshot('crazycall-hot.json');
  const accelerator = snapshot.accelerators[0]!;
  const template = accelerator.listeners[0]!;
  const listeners = Array.from({ length: LISTENERS }, (_, i) => {
    const arn = `${accelerator.arn}/listener/${(0x10000000 + i).toString(16)}`;
    return {
      ...template,
      arn,
      portRanges: [{ fromPort: 10_000 + i, toPort: 10_000 + i }],
      endpointGroups: template.endpointGroups.map((g, j) => ({ ...g, arn: `${arn}/endpoint-group/${(i * 2 + j).toString(16).padStart(12, '0')}` })),
    };
  });
  writeFileSync(join(dir, 'big.json'), JSON.stringify({ ...snapshot, accelerators: [{ ...accelerator, listeners }] }));
  // The example policy, governing every listener.
  const policy = readFileSync(resolve(REPO_ROOT, 'policies/crazycall-voip.yaml'), 'utf8').replace(/ {2}listeners:\n( {4}- .*\n)+/, '  listeners: []\n');
  writeFileSync(join(dir, 'policy.yaml'), policy);
  args = [resolve(REPO_ROOT, 'bin/ga-steer.js'), 'plan', '--policy', join(dir, 'policy.yaml'), '--snapshot', join(dir, 'big.json'), '--format', 'json', '--detailed-exitcode'];
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `ga-steer plan ... | READER` in bash (a real pipe, as in a terminal); the CLI's exit code and stderr. */
function pipeInto(reader: string): { code: number; stderr: string } {
  const quoted = [process.execPath, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const result = spawnSync('bash', ['-c', `${quoted} 2>"$ERR" | ${reader}; echo "\${PIPESTATUS[0]}" > "$CODE"`], {
    cwd: REPO_ROOT,
    env: { ...process.env, OUT: join(dir, 'out.json'), ERR: join(dir, 'err.txt'), CODE: join(dir, 'code.txt') },
    encoding: 'utf8',
  });
  expect(result.status, result.stderr).toBe(0);
  return { code: Number(readFileSync(join(dir, 'code.txt'), 'utf8').trim()), stderr: readFileSync(join(dir, 'err.txt'), 'utf8') };
}

describe('ga-steer plan --format json into a pipe', () => {
  it('a slow reader gets the whole plan, and the exit code is kept', () => {
    // The reader starts late: the pipe fills and the rest of the plan waits in the process.
    const { code, stderr } = pipeInto('(sleep 2; cat > "$OUT")');
    const text = readFileSync(join(dir, 'out.json'), 'utf8');
    expect(text.length, stderr).toBeGreaterThan(3 * 65_536);
    const plan = JSON.parse(text) as { changes: { address: { region: string } }[] };
    expect(plan.changes.filter((c) => c.address.region === 'eu-central-1')).toHaveLength(LISTENERS);
    expect(code).toBe(2);
  });

  it('a reader that leaves early (| head) neither crashes the process nor changes its exit code', () => {
    const { code, stderr } = pipeInto('head -c 100 > /dev/null');
    expect(stderr).not.toMatch(/EPIPE|Unhandled/);
    expect(code).toBe(2);
  });
});
