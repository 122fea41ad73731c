// The load-query rule by use, size caps and hostile files through the commands: `validate` checks for
// live use unless told otherwise, `plan --snapshot` accepts a policy without load queries (with a
// warning), live `plan` refuses it; broken files end in a message naming the place, never a stack.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { runGaSteer } from '../support/run-cli-in-process.js';

const HOT = 'examples/snapshots/crazycall-hot.json';
const dir = mkdtempSync(join(tmpdir(), 'ga-steer-use-'));

/** The example policy without its CloudWatch load queries: fine with snapshots, not for live use. */
function writeSnapshotOnlyPolicy(): string {
  const policy = parse(readFileSync('policies/crazycall-voip.yaml', 'utf8')) as { signals: Record<string, unknown> };
  delete policy.signals.load;
  const file = join(dir, 'snapshot-only.yaml');
  writeFileSync(file, stringify(policy).replace(/^(\s*)on:/m, '$1"on":').replace(/\bNO\b/, '"NO"'));
  return file;
}

describe('a policy without load queries', () => {
  const file = writeSnapshotOnlyPolicy();

  it('fails `validate` (live use by default) with the Region and signal named', async () => {
    const r = await runGaSteer(['validate', file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(`${file}: invalid (2 error(s))\n`);
    expect(r.stderr).toContain(`regions.eu-central-1.capacity.signal: no load query in signals.load.eu-central-1 measures signal "active-flows": live collection would find no load for this Region and hold (NoData) every cycle`);
  });

  it('passes `validate --use snapshot` with a warning per Region', async () => {
    const r = await runGaSteer(['validate', '--use', 'snapshot', file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${file}: valid\n`);
    expect(r.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/:\d+:\d+ warning: regions\.eu-central-1\.capacity\.signal: no load query .* fine with recorded snapshots/),
      expect.stringMatching(/:\d+:\d+ warning: regions\.eu-west-1\.capacity\.signal: no load query .* fine with recorded snapshots/),
    ]);
    expect((await runGaSteer(['validate', '--use', 'sometimes', file])).stderr).toContain('--use must be one of live, snapshot (got "sometimes")');
  });

  it('plans from a recorded snapshot, and is refused for a live plan', async () => {
    const recorded = await runGaSteer(['plan', '--policy', file, '--snapshot', HOT]);
    expect(recorded.code).toBe(0);
    expect(recorded.stdout).toContain('[DialReduced]');
    expect(recorded.stderr).toContain('warning: regions.eu-central-1.capacity.signal');
    const live = await runGaSteer(['plan', '--policy', file, '--endpoint-url', 'http://127.0.0.1:9']);
    expect(live.code).toBe(1);
    expect(live.stderr).toContain('live collection would find no load for this Region');
  });
});

describe('hostile and oversized files through the CLI', () => {
  it('refuses a policy over 1 MiB by its size, before reading it', async () => {
    const file = join(dir, 'huge.yaml');
    writeFileSync(file, `${readFileSync('policies/crazycall-voip.yaml', 'utf8')}${'#'.repeat(2 * 1024 * 1024)}\n`);
    const r = await runGaSteer(['validate', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^${file} the policy is 2,\\d{3},\\d{3} bytes; a policy may be at most 1 MiB \\(1,048,576 bytes\\)\\n$`));
  });

  it('reports an alias bomb, an undefined alias and deep nesting as issues, never a stack trace', async () => {
    const files = {
      'bomb.yaml': 'a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n',
      'alias.yaml': 'name: *missing\n',
      'deep.yaml': `name: ${'['.repeat(100_000)}`,
    };
    const out: string[] = [];
    for (const [name, text] of Object.entries(files)) {
      writeFileSync(join(dir, name), text);
      const r = await runGaSteer(['validate', join(dir, name)]);
      expect(r.code, name).toBe(1);
      expect(r.stderr, name).not.toMatch(/\n\s+at |Error:/);
      out.push(r.stderr.replaceAll(dir, 'DIR'));
    }
    expect(out).toEqual([
      'DIR/bomb.yaml:2:8 YAML aliases expand to more than 100 copies: write the values out\n',
      'DIR/alias.yaml:1:7 name: alias *missing refers to no anchor &missing defined before it\n',
      'DIR/deep.yaml:1:69 nested deeper than 64 levels of mappings and lists\n',
    ]);
  });

  it('names the place in a broken state file', async () => {
    const state = join(dir, 'state.json');
    writeFileSync(state, '{\n  "stateVersion": 1,\n  "groups": { "g": { "lastDirection": "sideways" } }\n}\n');
    const r = await runGaSteer(['plan', '--policy', 'policies/crazycall-voip.yaml', '--snapshot', HOT, '--state', state]);
    expect(r.code).toBe(1);
    // Read by the file store (as apply and run read it): its StateCorruptError names each issue's place.
    expect(r.stderr).toBe(
      `ga-steer plan: ${state}: the stored state is not valid (${state}:3:39 groups.g.lastDirection: must be one of "down", "up", "weights", got the string 'sideways'); refusing to reset it\n`,
    );
  });

  it('validates every file named even when one cannot be read', async () => {
    const r = await runGaSteer(['validate', join(dir, 'missing.yaml'), 'policies/crazycall-voip.yaml']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(`${join(dir, 'missing.yaml')}: not read\npolicies/crazycall-voip.yaml: valid\n`);
  });
});
