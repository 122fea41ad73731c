// Live `ga-steer plan` and `apply` with every signal source real: the emulator (GA topology and
// CloudWatch load, in-process), a local RIPE Atlas API serving the recorded results restamped to the
// last minutes, and a synthetic feed over HTTP with fresh samples. The policy file points at them.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snapshotSchema } from '../../src/snapshot/schema.js';
import { startAtlasApiServer, type AtlasApiServer } from '../support/atlas-api-server.js';
import { startCliEmulator, type CliEmulator } from '../support/cli-emulator.js';
import { freshResultSource } from '../support/fresh-atlas-results.js';
import { runGaSteer } from '../support/run-cli-in-process.js';

const KEY = 'abad1dea-SECRET-live-atlas-key-0001';

let emulator: CliEmulator | undefined;
let emulatorUrl: string;
let atlas: AtlasApiServer;
let feed: Server;
let feedUrl: string;
let dir: string;
let policyFile: string;

/** Paris and Warsaw vantages to both Regions, measured two minutes ago (whenever the feed is read). */
function feedBody(): string {
  const at = Math.floor(Date.now() / 1000) - 120;
  const rows: string[] = [];
  const rtt = { FR: { 'eu-central-1': 14, 'eu-west-1': 19 }, PL: { 'eu-central-1': 12, 'eu-west-1': 33 } } as const;
  for (const [group, byRegion] of Object.entries(rtt)) {
    for (const [region, ms] of Object.entries(byRegion)) {
      for (let v = 1; v <= 3; v++) rows.push(JSON.stringify({ timestamp: at - v, vantage: `${group.toLowerCase()}-${v}`, clientGroup: group, region, rttMs: ms + v / 10 }));
    }
  }
  return `${rows.join('\n')}\n`;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ga-steer-live-atlas-'));
  atlas = await startAtlasApiServer({ apiKey: KEY, resultSource: freshResultSource(() => Math.floor(Date.now() / 1000)) });
  feed = createServer((req, res) => {
    if ((req.url ?? '').startsWith('/probes.jsonl')) res.writeHead(200, { 'content-type': 'application/x-ndjson' }).end(feedBody());
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => feed.listen(0, '127.0.0.1', resolve));
  feedUrl = `http://127.0.0.1:${(feed.address() as AddressInfo).port}/probes.jsonl`;

  // The example VoIP policy (Frankfurt hot at 92 %), its signals pointed at the local sources.
  const policy = parse(readFileSync('policies/crazycall-voip.yaml', 'utf8')) as Record<string, unknown> & { signals: Record<string, unknown> };
  policy.signals = {
    ...policy.signals,
    ripeAtlas: {
      clientGroupBy: 'country',
      apiKeyEnv: 'RIPE_ATLAS_KEY',
      measurements: [
        // Recorded pings from German probes, read as pings to Frankfurt's and Dublin's unicast addresses.
        { id: 3359986, role: 'latency', targets: { '193.170.114.242': 'eu-central-1' } },
        { id: 2882184, role: 'latency', targets: { '194.88.241.228': 'eu-west-1' } },
        // Recorded CHAOS id.server answers through an anycast address.
        {
          id: 29083406,
          role: 'landing',
          answers: [
            { match: '\\.ams\\.', region: 'eu-central-1' },
            { match: '\\.lhr\\.', region: 'eu-west-1' },
          ],
        },
      ],
    },
    synthetic: [{ name: 'office-probes', url: feedUrl, format: 'jsonl' }],
    // Each measured group weighs by its vantage points: GA's flow metrics name areas, not countries.
    demand: { source: 'vantage-count' },
  };
  policyFile = join(dir, 'policy.yaml');
  writeFileSync(policyFile, stringify(policy));

  emulator = await startCliEmulator('examples/snapshots/crazycall-hot.json', 'policies/crazycall-voip.yaml');
  emulatorUrl = emulator.url;
});

afterAll(async () => {
  // Guarded: when beforeAll failed, its error is the one to read, not a crash here.
  if (emulator !== undefined) expect((await emulator.stop()).code).toBe(0);
  await atlas?.close();
  if (feed !== undefined) await new Promise<void>((resolve) => feed.close(() => resolve()));
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

describe('live plan with RIPE Atlas and synthetic signals', () => {
  it('puts RIPE Atlas and synthetic latency and landing in the snapshot, with ages, and plans the offload', async () => {
    const snapshotOut = join(dir, 'live.json');
    const run = await runGaSteer(
      ['plan', '--policy', policyFile, '--endpoint-url', emulatorUrl, '--atlas-url', atlas.url, '--format', 'json', '--save-snapshot', snapshotOut],
      { RIPE_ATLAS_KEY: KEY },
    );
    expect(run.code, run.stderr).toBe(0);

    const snapshot = snapshotSchema.parse(JSON.parse(readFileSync(snapshotOut, 'utf8')));
    const sources = new Set(snapshot.latency.map((l) => l.source));
    expect([...sources].sort()).toEqual(['ripe-atlas', 'synthetic']);
    expect(snapshot.latency.filter((l) => l.source === 'ripe-atlas').map((l) => `${l.clientGroup}>${l.region}`).sort()).toEqual(['DE>eu-central-1', 'DE>eu-west-1', 'GB>eu-central-1']);
    expect(snapshot.latency.filter((l) => l.source === 'synthetic').map((l) => `${l.clientGroup}>${l.region}`).sort()).toEqual([
      'FR>eu-central-1',
      'FR>eu-west-1',
      'PL>eu-central-1',
      'PL>eu-west-1',
    ]);
    expect(snapshot.landing.find((l) => l.clientGroup === 'UA')).toMatchObject({ shares: { 'eu-central-1': 1 }, source: 'ripe-atlas' });
    expect(snapshot.landing.find((l) => l.clientGroup === 'GB')).toMatchObject({ shares: { 'eu-west-1': 1 }, source: 'ripe-atlas' });
    // Ages: every measurement carries the time of its newest sample, minutes before the snapshot.
    for (const m of [...snapshot.latency, ...snapshot.landing]) {
      const age = (Date.parse(snapshot.takenAt) - Date.parse(m.observedAt)) / 1000;
      expect(age).toBeGreaterThan(0);
      expect(age).toBeLessThan(600);
    }
    expect(snapshot.clientGroups.find((g) => g.id === 'DE')).toMatchObject({ countryCode: 'DE', latitude: expect.any(Number), longitude: expect.any(Number) });
    // Atlas was asked with the key; the key appears nowhere the operator sees.
    expect(atlas.requests.some((r) => r.route === 'results' && r.authorization === `Key ${KEY}`)).toBe(true);
    expect(run.stdout + run.stderr + readFileSync(snapshotOut, 'utf8')).not.toContain(KEY);
    // Probes the recorded directory does not know are reported, not guessed.
    expect(run.stderr).toMatch(/signal problem: ripe-atlas: measurement 29083406: 94 result\(s\) gave no sample/);

    // Load seeded hot (Frankfurt 92 %) + latency that prices the move: the plan offloads Frankfurt.
    const plan = JSON.parse(run.stdout) as { changes: { kind: string; address: { region: string } }[]; holds: { reason: string }[] };
    expect(plan.holds.map((h) => h.reason)).not.toContain('NoData');
    expect(plan.changes.length).toBeGreaterThan(0);
    expect(plan.changes.some((c) => c.kind === 'dial' && c.address.region === 'eu-central-1')).toBe(true);
  });

  it('holds on stale data: with every RIPE Atlas and synthetic sample too old, there is no latency to plan with', async () => {
    const stale = parse(readFileSync(policyFile, 'utf8')) as { guardrails: { maxSignalAgeSeconds: Record<string, number> } };
    // Samples are one to two minutes old: a 30 s limit makes all of them too old.
    stale.guardrails.maxSignalAgeSeconds = { ...stale.guardrails.maxSignalAgeSeconds, latency: 30, landing: 30 };
    const staleFile = join(dir, 'stale.yaml');
    writeFileSync(staleFile, stringify(stale));
    const run = await runGaSteer(['plan', '--policy', staleFile, '--endpoint-url', emulatorUrl, '--atlas-url', atlas.url, '--format', 'json'], { RIPE_ATLAS_KEY: KEY });
    expect(run.code, run.stderr).toBe(0);
    const plan = JSON.parse(run.stdout) as { changes: unknown[]; holds: { reason: string; message: string }[] };
    expect(plan.changes).toEqual([]);
    expect(plan.holds.some((h) => h.reason === 'NoData' && /latency/.test(h.message))).toBe(true);
    expect(run.stderr).toMatch(/ripe-atlas: measurement 3359986: no results since/);
    expect(run.stderr).toMatch(/synthetic: office-probes: no samples since/);
  });

  it('apply takes --atlas-url too, and applies the offload', async () => {
    const run = await runGaSteer(['apply', '--policy', policyFile, '--state', join(dir, 'state.json'), '--endpoint-url', emulatorUrl, '--atlas-url', atlas.url], { RIPE_ATLAS_KEY: KEY });
    expect(run.code, run.stderr).toBe(0);
    // Frankfurt's dials come down, priced with the measured RTT of the users who move.
    expect(run.stdout).toMatch(/traffic dial 100 -> [\d.]+ +\[DialReduced\]/);
    expect(run.stdout).toMatch(/latency: \+[\d.]+ ms mean for the users who move/);
    expect(run.stdout).toMatch(/Apply: applied \(accelerator DEPLOYED\)/);
    expect(run.stdout + run.stderr).not.toContain(KEY);
  });
});
