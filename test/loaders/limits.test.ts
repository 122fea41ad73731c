// Hostile and broken inputs for every loader: each ends in a clear issue naming its place, in bounded
// time and memory, never an exception. The time and memory bounds are generous safety nets against
// blow-ups (the unprotected parsers took minutes and gigabytes on these inputs), not measurements.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MAX_INPUT_BYTES } from '../../src/input/limits.js';
import { loadChecked, messagesOf, type LoaderName } from './loaders.js';

const POLICY = readFileSync('policies/crazycall-voip.yaml', 'utf8');
const SCENARIO = readFileSync('examples/scenarios/crazycall-flash-crowd.yaml', 'utf8');
const SNAPSHOT = readFileSync('examples/snapshots/crazycall-hot.json', 'utf8');
const STATE = JSON.stringify({ stateVersion: 1, groups: { 'arn:aws:globalaccelerator::123456789012:accelerator/a/listener/l/endpoint-group/g': { expectedDialPercent: 85, lastDirection: 'down', lastChangeAt: '2026-11-22T12:00:00Z' } } }, null, 2);

const MiB = 1024 * 1024;
/** Safety nets, not measurements: far above what a linear loader needs on a loaded 2-core machine. */
const MAX_MS_FOR_1_MIB = 20_000;
const MAX_MS_SMALL = 2_000;

function expectBoundedMemory<T>(run: () => T): T {
  const before = process.memoryUsage().rss;
  const result = run();
  expect(process.memoryUsage().rss - before, 'memory grown while loading').toBeLessThan(1024 * MiB);
  return result;
}

describe('size caps: refused before parsing, with the size and the cap', () => {
  const cases: [LoaderName, string, string][] = [
    ['policy', POLICY, '#'],
    ['scenario', SCENARIO, '#'],
    ['snapshot', SNAPSHOT, ' '],
    ['state', STATE, ' '],
  ];
  it.each(cases)('%s', (loader, text, pad) => {
    const max = MAX_INPUT_BYTES[loader];
    const over = text + pad.repeat(max - text.length + 1);
    const answer = expectBoundedMemory(() => loadChecked(loader, over));
    expect(answer.ok).toBe(false);
    expect(messagesOf(answer)).toEqual([`in.${loader === 'snapshot' || loader === 'state' ? 'json' : 'yaml'} the ${loader} is ${(max + 1).toLocaleString('en-US')} bytes; a ${loader} may be at most ${max / MiB} MiB (${max.toLocaleString('en-US')} bytes)`]);
    // Multi-byte characters count as the bytes a file holds.
    expect(loadChecked(loader, text + 'é'.repeat(Math.ceil((max - text.length) / 2) + 1)).ok).toBe(false);
  });

  it('a 50 MB policy is refused without parsing it', () => {
    const answer = expectBoundedMemory(() => loadChecked('policy', POLICY + '#'.repeat(50 * MiB)));
    expect(messagesOf(answer)[0]).toMatch(/the policy is 52,\d{3},\d{3} bytes; a policy may be at most 1 MiB/);
    expect(answer.ms).toBeLessThan(MAX_MS_FOR_1_MIB);
  });
});

describe('nesting depth: stopped before any parser recurses', () => {
  const yamlCases: Record<string, string> = {
    'flow lists': `a: ${'['.repeat(100_000)}${']'.repeat(100_000)}`,
    'flow mappings': `a: ${'{a: '.repeat(100_000)}1${'}'.repeat(100_000)}`,
    'compact block lists': `a:\n${'- '.repeat(100_000)}x`,
    'indented mappings': Array.from({ length: 1400 }, (_, i) => `${' '.repeat(i)}a:`).join('\n'),
    'lists under keys at the same column': Array.from({ length: 700 }, (_, i) => `${' '.repeat(2 * i)}- k:`).join('\n'),
    'explicit keys': '? '.repeat(100_000),
  };
  for (const loader of ['policy', 'scenario'] as const) {
    it.each(Object.entries(yamlCases))(`${loader}: %s`, (_name, text) => {
      const answer = expectBoundedMemory(() => loadChecked(loader, text));
      expect(answer.ok).toBe(false);
      expect(messagesOf(answer)).toEqual([expect.stringMatching(/^in\.yaml:\d+:\d+ nested deeper than 64 levels of mappings and lists$/)]);
      expect(answer.ms).toBeLessThan(MAX_MS_FOR_1_MIB);
    });
  }
  it('nesting within the limit is fine', () => {
    const nested = `${POLICY}description: ${'['.repeat(40)}${']'.repeat(40)}\n`.replace('description: Two-Region VoIP edge; offload Frankfurt to Dublin when it runs hot.\n', '');
    expect(messagesOf(loadChecked('policy', nested))).toEqual([expect.stringMatching(/description: expected a string, got a list$/)]);
  });
  for (const loader of ['snapshot', 'state'] as const) {
    it(`${loader}: deep JSON`, () => {
      for (const text of ['['.repeat(500_000) + ']'.repeat(500_000), '{"a":'.repeat(200_000) + '1' + '}'.repeat(200_000), `{"s": "${'['.repeat(1000)}", "x": ${'['.repeat(70)}${']'.repeat(70)}}`]) {
        const answer = expectBoundedMemory(() => loadChecked(loader, text));
        expect(messagesOf(answer)).toEqual([expect.stringMatching(/^in\.json:1:\d+ nested deeper than 64 levels of objects and arrays$/)]);
      }
    });
  }
});

describe('YAML aliases', () => {
  const bomb = `a: &a [x, x, x, x, x, x, x, x, x]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
`;
  it.each(['policy', 'scenario'] as const)('%s: a billion-laughs bomb, undefined and cyclic aliases, too many aliases', (loader) => {
    expect(messagesOf(loadChecked(loader, bomb))).toEqual(['in.yaml:2:8 YAML aliases expand to more than 100 copies: write the values out']);
    expect(messagesOf(loadChecked(loader, 'name: *nowhere\n'))).toEqual(['in.yaml:1:7 name: alias *nowhere refers to no anchor &nowhere defined before it']);
    expect(messagesOf(loadChecked(loader, 'name: *later\nx: &later 1\n'))).toEqual(['in.yaml:1:7 name: alias *later refers to no anchor &later defined before it']);
    expect(messagesOf(loadChecked(loader, 'a: &x [1, *x]\n'))).toEqual(['in.yaml:1:11 a[1]: alias *x refers to the node that contains it (a cycle)']);
    const many = `x: &v 1\n${Array.from({ length: 20_000 }, (_, i) => `k${i}: *v`).join('\n')}\n`;
    const answer = loadChecked(loader, many);
    expect(messagesOf(answer)).toEqual(['in.yaml:102:7 k100: more than 100 YAML aliases: write the values out']);
    expect(answer.ms).toBeLessThan(MAX_MS_FOR_1_MIB);
  });

  it('a few aliases that expand little are fine', () => {
    const text = POLICY.replace('  eu-central-1:\n    capacity:', '  eu-central-1: &region\n    capacity:').replace(/  eu-west-1:\n    capacity:\n      signal: active-flows\n      fullSignal: capacity-flows .*\n    targetPercent: 75\n    drainAbovePercent: 80\n    restoreBelowPercent: 60\n/, '  eu-west-1: *region\n');
    expect(text).toContain('eu-west-1: *region');
    expect(loadChecked('policy', text)).toMatchObject({ ok: true, issues: [] });
  });
});

describe('keys that reach the object prototype are errors at their place, never dropped', () => {
  it.each(['__proto__', 'constructor', 'prototype'])('YAML %s', (key) => {
    expect(messagesOf(loadChecked('policy', `${POLICY}${key}: {enabled: false}\n`))).toEqual([
      `in.yaml:126:1 ${key}: the key "${key}" is not allowed (it names JavaScript object machinery, not a setting)`,
    ]);
    expect(messagesOf(loadChecked('policy', POLICY.replace('regions:\n', `regions:\n  ${key}:\n    capacity: { signal: active-flows, full: 1 }\n`)))).toEqual([
      `in.yaml:21:3 regions.${key}: the key "${key}" is not allowed (it names JavaScript object machinery, not a setting)`,
    ]);
  });
  it.each(['snapshot', 'state'] as const)('JSON in a %s', (loader) => {
    const text = (loader === 'snapshot' ? SNAPSHOT : STATE).replace('{\n', '{\n  "__proto__": {"polluted": true},\n');
    expect(messagesOf(loadChecked(loader, text))).toEqual([`in.json:2:3 __proto__: the key "__proto__" is not allowed (it names JavaScript object machinery, not a setting)`]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('many issues: placed in linear time, the first 100 listed and the rest counted', () => {
  it('60,000 unknown keys in a 1 MiB policy', () => {
    const keys = Array.from({ length: 60_000 }, (_, i) => `  k${i}: ${i}`).join('\n');
    const text = POLICY.replace('guardrails:\n', `guardrails:\n${keys}\n`);
    expect(text.length).toBeLessThan(MiB);
    const answer = expectBoundedMemory(() => loadChecked('policy', text));
    expect(answer.ms).toBeLessThan(MAX_MS_FOR_1_MIB);
    const lines = messagesOf(answer);
    expect(lines).toHaveLength(101);
    expect(lines[0]).toBe('in.yaml:104:3 guardrails.k0: unknown key (allowed here: dialFloorPercent, maxStepPercent, restoreStepPercent, cooldownSeconds, overloadSkipsCooldown, minRegionsServing, humanOverrideBackoffSeconds, maxSignalAgeSeconds, weightImbalancePercent)');
    expect(lines[100]).toBe('in.yaml 59900 more issue(s) not listed (59900 error(s)); fix the ones above and run again');
  });

  it('40,000 duplicate keys', () => {
    const text = POLICY.replace('guardrails:\n', `guardrails:\n${'  cooldownSeconds: 1\n'.repeat(40_000)}`);
    expect(text.length).toBeLessThan(MiB);
    const answer = loadChecked('policy', text);
    expect(answer.ms).toBeLessThan(MAX_MS_FOR_1_MIB);
    expect(messagesOf(answer)[0]).toBe('in.yaml:105:3 guardrails.cooldownSeconds: duplicate key "cooldownSeconds": keys must be unique');
  });

  it('a snapshot with thousands of bad values', () => {
    const snapshot = JSON.parse(SNAPSHOT) as { load: { value: unknown }[] };
    expect(snapshot.load.length).toBeGreaterThan(0);
    const template = snapshot.load[0]!;
    snapshot.load = Array.from({ length: 5_000 }, () => ({ ...template, value: 'high' }));
    const answer = loadChecked('snapshot', JSON.stringify(snapshot, null, 1));
    expect(answer.ms).toBeLessThan(MAX_MS_FOR_1_MIB);
    expect(messagesOf(answer)[0]).toMatch(/^in\.json:\d+:\d+ load\[0\]\.value: expected a number, got the string 'high'$/);
    expect(messagesOf(answer)).toHaveLength(101);
  });
});

describe('other broken documents', () => {
  it.each(['policy', 'scenario'] as const)('%s', (loader) => {
    expect(messagesOf(loadChecked(loader, ''))).toEqual([`in.yaml the ${loader} is empty`]);
    expect(messagesOf(loadChecked(loader, '# nothing but a comment\n'))).toEqual([`in.yaml the ${loader} is empty`]);
    expect(messagesOf(loadChecked(loader, 'a: 1\n---\nb: 2\n'))).toEqual([`in.yaml:2:1 the file holds more than one YAML document: a ${loader} is one document`]);
    expect(messagesOf(loadChecked(loader, '? [a]\n: 1\n'))).toEqual(['in.yaml:1:1 a key must be a plain value, not a mapping, list or alias']);
    expect(messagesOf(loadChecked(loader, '- a\n- b\n'))).toEqual(['in.yaml:1:1 expected a mapping, got a list']);
    expect(messagesOf(loadChecked(loader, 'a:\tb\n\tc: d\n'))[0]).toMatch(/^in\.yaml:2:1 /);
  });
  it.each(['snapshot', 'state'] as const)('%s', (loader) => {
    expect(messagesOf(loadChecked(loader, ''))).toEqual(['in.json:1:1 not valid JSON: Unexpected end of JSON input']);
    expect(messagesOf(loadChecked(loader, '{"a": 1,\n "b" x}'))).toEqual(["in.json:2:6 not valid JSON: Unexpected token 'x'"]);
    expect(messagesOf(loadChecked(loader, '[1, 2]'))).toEqual(['in.json:1:1 expected a mapping, got a list']);
  });
});

it('small inputs load well under the small-input bound', () => {
  for (const [loader, text] of [['policy', POLICY], ['scenario', SCENARIO], ['snapshot', SNAPSHOT], ['state', STATE]] as const) {
    const answer = loadChecked(loader, text);
    expect(answer.ok, loader).toBe(true);
    expect(answer.ms, loader).toBeLessThan(MAX_MS_SMALL);
  }
});
