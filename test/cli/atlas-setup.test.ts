// `ga-steer atlas setup` against the local RIPE Atlas API: cost first, dry run by default, creation
// only with --create and a key, and the key never printed.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dailyCredits, dnsUnitCost, pingUnitCost } from '../../src/adapters/ripe-atlas/setup/credit-cost.js';
import { parsePolicyText } from '../../src/policy/parse-policy.js';
import { startAtlasApiServer, type AtlasApiServer } from '../support/atlas-api-server.js';
import { runGaSteer } from '../support/run-cli-in-process.js';

const KEY = 'deadbeef-SECRET-create-key-42';
const POLICY = 'policies/crazycall-voip.yaml';
const ANYCAST = ['75.2.60.1', '99.83.190.2'];

let server: AtlasApiServer;
let dir: string;

beforeAll(async () => {
  server = await startAtlasApiServer({ apiKey: KEY });
  dir = mkdtempSync(join(tmpdir(), 'ga-steer-atlas-setup-'));
});
afterAll(async () => {
  // Guarded: when beforeAll failed, its error is the one to read, not a crash here.
  await server?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});
afterEach(() => {
  server.reset();
  server.created.length = 0;
});

function setup(args: string[], env: Record<string, string> = {}) {
  return runGaSteer(['atlas', 'setup', '--policy', POLICY, '--atlas-url', server.url, ...args], env);
}

describe('credit cost', () => {
  it('follows the RIPE Atlas cost model', () => {
    expect(pingUnitCost(3, 48)).toBe(3);
    expect(pingUnitCost(5, 1500)).toBe(10);
    expect(dnsUnitCost('UDP')).toBe(10);
    expect(dnsUnitCost('TCP')).toBe(20);
    // 50 probes every 15 minutes: 96 results each per day.
    expect(dailyCredits(3, 50, 900)).toBe(14_400);
    expect(dailyCredits(10, 50, 900)).toBe(48_000);
    // One-off: one result per probe, at double the unit cost.
    expect(dailyCredits(10, 50, 900, true)).toBe(1000);
  });
});

describe('ga-steer atlas setup', () => {
  it('is a dry run by default: prints the daily cost first, then the definitions, and creates nothing', async () => {
    const run = await setup(['--anycast-address', ANYCAST[0] ?? '', '--probes', '20', '--interval', '600'], { RIPE_ATLAS_KEY: KEY });
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.split('\n');
    // 2 pings x 3 x 20 x 144 = 17,280; 1 DNS x 10 x 20 x 144 = 28,800.
    expect(lines[0]).toBe('RIPE Atlas measurements for policy crazycall-voip: about 46,080 credits per day');
    expect(run.stdout).toContain('ping 3.120.181.40 (eu-central-1)');
    expect(run.stdout).toMatch(/ping 52\.49\.12\.77 \(eu-west-1\) +3 x 20 x 144 = 8,640/);
    expect(run.stdout).toMatch(/dns CHAOS TXT id\.server @ 75\.2\.60\.1 \(landing\) +10 x 20 x 144 = 28,800/);
    expect(run.stdout.indexOf('credits per day')).toBeLessThan(run.stdout.indexOf('"definitions"'));
    expect(run.stdout).toContain('Dry run: nothing was created');
    expect(server.requests).toEqual([]);
    expect(server.created).toEqual([]);
    expect(run.stdout + run.stderr).not.toContain(KEY);
  });

  it('with --create, POSTs one request with every definition and prints the ids and the policy block', async () => {
    const run = await setup(['--create', '--anycast-address', ANYCAST[0] ?? '', '--anycast-address', ANYCAST[1] ?? ''], { RIPE_ATLAS_KEY: KEY });
    expect(run.code, run.stderr).toBe(0);
    const posts = server.requests.filter((r) => r.method === 'POST');
    expect(posts).toHaveLength(1);
    expect(posts[0]?.authorization).toBe(`Key ${KEY}`);
    const body = server.created[0] as { definitions: Record<string, unknown>[]; probes: unknown[]; is_oneoff: boolean };
    expect(body.is_oneoff).toBe(false);
    expect(body.probes).toEqual([{ type: 'area', value: 'WW', requested: 50 }]);
    expect(body.definitions).toHaveLength(4);
    expect(body.definitions.slice(0, 2)).toEqual([
      expect.objectContaining({ type: 'ping', af: 4, target: '3.120.181.40', packets: 3, size: 48, interval: 900 }),
      expect.objectContaining({ type: 'ping', af: 4, target: '52.49.12.77', interval: 900 }),
    ]);
    for (const [i, address] of ANYCAST.entries()) {
      expect(body.definitions[2 + i]).toEqual(
        expect.objectContaining({ type: 'dns', af: 4, target: address, query_class: 'CHAOS', query_type: 'TXT', query_argument: 'id.server', protocol: 'UDP', use_probe_resolver: false, interval: 900 }),
      );
    }
    expect(run.stdout).toMatch(/Created 4 measurement\(s\):\n {2}90000001 {2}ping 3\.120\.181\.40 \(eu-central-1\)/);

    // The printed block makes a valid policy with the new ids.
    const block = run.stdout.slice(run.stdout.indexOf('signals:'));
    const snippet = parse(block) as { signals: { ripeAtlas: { measurements: { id: number; role: string; targets?: Record<string, string>; answers?: unknown[] }[] } } };
    const measurements = snippet.signals.ripeAtlas.measurements;
    expect(measurements.map((m) => [m.id, m.role])).toEqual([
      [90000001, 'latency'],
      [90000002, 'latency'],
      [90000003, 'landing'],
      [90000004, 'landing'],
    ]);
    expect(measurements[0]?.targets).toEqual({ '3.120.181.40': 'eu-central-1' });
    expect(measurements[2]?.answers).toEqual([
      { match: 'eu-central-1', region: 'eu-central-1' },
      { match: 'eu-west-1', region: 'eu-west-1' },
    ]);
    const original = parse(readFileSync(POLICY, 'utf8')) as { signals: Record<string, unknown> };
    const merged = { ...original, signals: { ...original.signals, ripeAtlas: snippet.signals.ripeAtlas } };
    const reparsed = parsePolicyText(JSON.stringify(merged), 'merged.yaml');
    expect(reparsed.ok).toBe(true);
    expect(run.stdout + run.stderr).not.toContain(KEY);
  });

  it('refuses --create without the key, with a clear message, and creates nothing', async () => {
    const run = await setup(['--create', '--anycast-address', ANYCAST[0] ?? '']);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('ga-steer atlas: RIPE_ATLAS_KEY is not set: creating RIPE Atlas measurements needs an API key with permission to create measurements; nothing was created\n');
    expect(run.stdout).toBe('');
    expect(server.requests).toEqual([]);
  });

  it('a refused key is an error that does not quote the key, even when the server echoes it', async () => {
    server.inject('create', { kind: 'echo-auth', status: 403 });
    const run = await setup(['--create'], { RIPE_ATLAS_KEY: KEY });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^ga-steer atlas: RIPE Atlas API POST \/api\/v2\/measurements\/ answered HTTP 403: Invalid credentials: Key \[redacted\]/m);
    expect(run.stdout + run.stderr).not.toContain(KEY);
    expect(server.created).toEqual([]);
  });

  it('reads the key from the variable the policy names', async () => {
    const policy = readFileSync(POLICY, 'utf8').replace('apiKeyEnv: RIPE_ATLAS_KEY', 'apiKeyEnv: OPS_ATLAS_KEY');
    const file = join(dir, 'other-key.yaml');
    writeFileSync(file, policy);
    const missing = await runGaSteer(['atlas', 'setup', '--policy', file, '--create', '--atlas-url', server.url], { RIPE_ATLAS_KEY: KEY });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('OPS_ATLAS_KEY is not set');
    const ok = await runGaSteer(['atlas', 'setup', '--policy', file, '--create'], { OPS_ATLAS_KEY: KEY, GA_STEER_ATLAS_URL: server.url });
    expect(ok.code, ok.stderr).toBe(0);
    expect(server.created).toHaveLength(1);
  });

  it('rejects bad input before anything is sent', async () => {
    const cases: [string[], RegExp][] = [
      [['--anycast-address', 'not-an-ip'], /anycast address "not-an-ip" is not an IP address/],
      [['--interval', '30'], /interval must be a whole number of seconds, at least 60/],
      [['--probes', '0'], /probes must be a whole number from 1 to 1000/],
      [['--probes', 'many'], /--probes must be a whole number/],
    ];
    for (const [args, message] of cases) {
      const run = await setup(['--create', ...args], { RIPE_ATLAS_KEY: KEY });
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(message);
    }
    const noSub = await runGaSteer(['atlas', '--policy', POLICY]);
    expect(noSub.code).toBe(1);
    expect(noSub.stderr).toContain('name a sub-command: setup');
    const nothing = join(dir, 'no-atlas.yaml');
    writeFileSync(nothing, readFileSync('policies/atlas-experiment.yaml', 'utf8'));
    const empty = await runGaSteer(['atlas', 'setup', '--policy', nothing]);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain('nothing to set up');
    expect(server.requests).toEqual([]);
  });

  it('notes an interval too long for the policy\'s age limits', async () => {
    const run = await setup(['--interval', '2400', '--anycast-address', ANYCAST[0] ?? '']);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('note: an interval of 2400 s leaves fewer than two rounds within maxSignalAgeSeconds.latency (3600 s)');
  });
});
