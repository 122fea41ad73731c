// Fuzzed loaders: arbitrary text, mutations of the real example files and structurally wrong data
// for the policy, scenario, snapshot and state loaders. Every input ends in an answer whose issues
// name their place (loaders.ts), never an exception, in bounded time. `npm test` runs about 150
// inputs with a fixed seed; `npm run fuzz` runs many more with a new seed (FUZZ_RUNS, FUZZ_SEED).

import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { loadChecked, type LoaderName } from './loaders.js';

const LONG_RUN = process.env.FUZZ_RUNS !== undefined;
const RUNS = Number(process.env.FUZZ_RUNS ?? 8);
const SEED = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : LONG_RUN ? Date.now() : 20261130;
const PARAMS = { numRuns: RUNS, seed: SEED, endOnFailure: true };
/** A long run takes as long as it needs; `npm test`'s runs stay within vitest's default. */
const TEST_TIMEOUT_MS = LONG_RUN ? 6 * 3600_000 : 60_000;
/** Per input, a safety net against blow-ups (small inputs load in milliseconds). */
const MAX_MS_PER_INPUT = 2_000;

const EXAMPLES: Readonly<Record<LoaderName, readonly string[]>> = {
  policy: readdirSync('policies').filter((f) => f.endsWith('.yaml')).map((f) => readFileSync(`policies/${f}`, 'utf8')),
  scenario: readdirSync('examples/scenarios').filter((f) => f.endsWith('.yaml')).map((f) => readFileSync(`examples/scenarios/${f}`, 'utf8')),
  snapshot: readdirSync('examples/snapshots').filter((f) => f.endsWith('.json')).map((f) => readFileSync(`examples/snapshots/${f}`, 'utf8')),
  state: [
    JSON.stringify({ stateVersion: 1, groups: {} }),
    JSON.stringify(
      {
        stateVersion: 1,
        groups: {
          'arn:aws:globalaccelerator::123456789012:accelerator/a/listener/l/endpoint-group/fra': { lastChangeAt: '2026-11-22T12:00:00Z', lastDirection: 'down', expectedDialPercent: 85 },
          'arn:aws:globalaccelerator::123456789012:accelerator/a/listener/l/endpoint-group/dub': { expectedWeights: { 'i-a': 128, 'i-b': 64 }, humanOverrideSeenAt: '2026-11-22T11:00:00Z' },
        },
      },
      null,
      2,
    ),
  ],
};

/** Pieces of YAML and JSON syntax, hostile words and awkward characters for insertion. */
const TOKENS = [
  '[', ']', '{', '}', ',', ':', ': ', '- ', '? ', '&a ', '*a', '&b ', '*b', '!!str ', '!!binary ', '!!set ', '!foo ', '"', "'", '|', '>-', '#',
  '\n', '\n  ', '\n    ', '\t', '---\n', '...\n', '%YAML 1.1\n', '__proto__', 'constructor', 'prototype', 'yes', 'NO', 'on', 'off', '1e999', '.nan',
  '-.inf', '0x1F', '0o17', '~', 'null', 'true', '\\', '\\u0000', '\u0000', '\u0085', '\u2028', '\uFEFF', '\uD800', 'é', '😀', '<<: *a', '{"a":',
  '\\"', '-1', '1.5', '99999999999999999999', 'eu-central1', 'AWS_SECRET_ACCESS_KEY', '(a+)+$', '(?=x)', ' '.repeat(200), '[[[[[[[[', ']]]]]]]]',
];

type Mutation = { kind: 'insert' | 'delete' | 'duplicate' | 'replace'; at: number; length: number; token: string } | { kind: 'swap-lines'; at: number; length: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constantFrom('insert' as const, 'delete' as const, 'duplicate' as const, 'replace' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), length: fc.integer({ min: 0, max: 400 }), token: fc.oneof(fc.constantFrom(...TOKENS), fc.string({ maxLength: 8 })) }),
  fc.record({ kind: fc.constant('swap-lines' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), length: fc.integer({ min: 1, max: 40 }) }),
);

function mutate(text: string, m: Mutation): string {
  const at = Math.floor(m.at * text.length);
  switch (m.kind) {
    case 'insert':
      return text.slice(0, at) + m.token + text.slice(at);
    case 'delete':
      return text.slice(0, at) + text.slice(at + m.length);
    case 'duplicate':
      return text.slice(0, at + m.length) + text.slice(at, at + m.length) + text.slice(at);
    case 'replace':
      return text.slice(0, at) + m.token + text.slice(at + Math.min(m.length, 20));
    case 'swap-lines': {
      const lines = text.split('\n');
      const i = Math.floor(m.at * lines.length);
      const j = Math.min(lines.length - 1, i + m.length);
      [lines[i], lines[j]] = [lines[j] ?? '', lines[i] ?? ''];
      return lines.join('\n');
    }
  }
}

function mutatedExample(loader: LoaderName): fc.Arbitrary<string> {
  return fc.tuple(fc.constantFrom(...EXAMPLES[loader]), fc.array(mutation, { minLength: 1, maxLength: 6 })).map(([text, ms]) => ms.reduce(mutate, text));
}

/** The example's data with one value, somewhere, replaced by something else. */
function wrongValueExample(loader: LoaderName): fc.Arbitrary<unknown> {
  return fc.tuple(fc.constantFrom(...EXAMPLES[loader]), fc.double({ min: 0, max: 1, noNaN: true }), fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constantFrom<unknown>('', 'yes', -1, 0, 1e9, 1.5, null, [], {}, 'eu-central1', 'AWS_ACCESS_KEY_ID', '(a+)+$'))).map(([text, where, value]) => {
    const data: unknown = loader === 'snapshot' || loader === 'state' ? JSON.parse(text) : (parse(text) as unknown);
    const slots = collectSlots(data);
    const slot = slots[Math.floor(where * slots.length)];
    if (slot !== undefined) slot.container[slot.key] = value;
    return data;
  });
}

function collectSlots(data: unknown): { container: Record<string | number, unknown>; key: string | number }[] {
  const slots: { container: Record<string | number, unknown>; key: string | number }[] = [];
  const stack: unknown[] = [data];
  for (let v = stack.pop(); v !== undefined; v = stack.pop()) {
    if (typeof v !== 'object' || v === null) continue;
    for (const key of Object.keys(v)) {
      const container = v as Record<string, unknown>;
      slots.push({ container, key: Array.isArray(v) ? Number(key) : key });
      stack.push(container[key]);
    }
  }
  return slots;
}

function serialize(loader: LoaderName, data: unknown): string {
  return loader === 'snapshot' || loader === 'state' ? JSON.stringify(data, null, 1) : stringify(data);
}

function check(loader: LoaderName, text: string): void {
  const answer = loadChecked(loader, text);
  expect(answer.ms, 'time for one input').toBeLessThan(MAX_MS_PER_INPUT);
}

const LOADER_NAMES: readonly LoaderName[] = ['policy', 'scenario', 'snapshot', 'state'];

describe.each(LOADER_NAMES)('fuzzed %s loader', (loader) => {
  it('arbitrary text', () => {
    fc.assert(fc.property(fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 300 }), fc.array(fc.constantFrom(...TOKENS), { maxLength: 60 }).map((t) => t.join(''))), (text) => check(loader, text)), PARAMS);
  }, TEST_TIMEOUT_MS);

  it('mutations of the real example files', () => {
    fc.assert(fc.property(mutatedExample(loader), (text) => check(loader, text)), { ...PARAMS, numRuns: RUNS * 2 });
  }, TEST_TIMEOUT_MS);

  it('the example data with a wrong value somewhere', () => {
    fc.assert(fc.property(wrongValueExample(loader), (data) => check(loader, serialize(loader, data))), { ...PARAMS, numRuns: RUNS * 2 });
  }, TEST_TIMEOUT_MS);

  it('arbitrary data of the right syntax', () => {
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 6 }), (data) => check(loader, serialize(loader, data))), PARAMS);
  }, TEST_TIMEOUT_MS);

  it('nesting around the depth limit', () => {
    const opener = loader === 'snapshot' || loader === 'state' ? fc.constantFrom('[', '{"a":') : fc.constantFrom('[', '{a: ', '- ', '? ', 'k:\n', '\n  - ');
    fc.assert(
      fc.property(fc.array(opener, { minLength: 30, maxLength: 400 }), fc.boolean(), (openers, close) => {
        const closers = openers.map((o) => (o === '[' ? ']' : o.startsWith('{') ? '}' : '')).reverse();
        check(loader, `${openers.join('')}1${close ? closers.join('') : ''}`);
      }),
      PARAMS,
    );
  }, TEST_TIMEOUT_MS);
});
