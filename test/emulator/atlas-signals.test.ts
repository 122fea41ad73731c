// The emulator's RIPE Atlas API and synthetic feed follow its snapshot: ga-steer's own collectors,
// reading them over HTTP, measure the snapshot's latency quantiles and landing shares again, and the
// results keep coming as the emulator's clock advances.

import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { RipeAtlasSignalSource } from '../../src/adapters/ripe-atlas/atlas-signal-source.js';
import { decodeDnsMessagePartial } from '../../src/adapters/ripe-atlas/parse/dns-wire.js';
import { summarizeLatency } from '../../src/signals/summarize-samples.js';
import { SyntheticSignalSource } from '../../src/adapters/synthetic/synthetic-signal-source.js';
import { startEmulator, type Emulator } from '../../src/emulator/emulator.js';
import { parsePolicyText } from '../../src/policy/parse-policy.js';
import type { Policy } from '../../src/policy/schema.js';
import type { Snapshot } from '../../src/snapshot/schema.js';
import { exampleSnapshot } from '../support/emulator.js';

const START = Date.UTC(2026, 10, 22, 12, 0, 0);
let clock = START;
let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

function examplePolicy(): Policy {
  const parsed = parsePolicyText(readFileSync('policies/crazycall-voip.yaml', 'utf8'), 'policies/crazycall-voip.yaml');
  if (!parsed.ok) throw new Error('the example policy does not parse');
  return parsed.policy;
}

async function start(snapshot: Snapshot, policy: Policy): Promise<Emulator> {
  clock = START;
  emulator = await startEmulator({ topology: snapshot.accelerators, now: () => clock, signals: { snapshot, policy, locate: () => ({ latitude: 50, longitude: 10 }) } });
  return emulator;
}

const quantiles = (ms: readonly { clientGroup: string; region: string; p50Ms: number; p90Ms: number; p95Ms: number }[]) =>
  ms.map((m) => `${m.clientGroup}>${m.region} ${m.p50Ms}/${m.p90Ms}/${m.p95Ms}`).sort();

describe('the emulator as a RIPE Atlas API and a synthetic feed', () => {
  it("serves RIPE Atlas results from which ga-steer's collector measures the snapshot again", async () => {
    const snapshot = exampleSnapshot('crazycall-hot.json');
    const policy = examplePolicy();
    const e = await start(snapshot, policy);
    expect(e.signals?.problems).toEqual([]);

    const source = new RipeAtlasSignalSource({ env: {}, baseUrl: e.url });
    const readout = await source.collect(policy, new Date(clock));
    expect(readout.problems).toEqual([]);
    // Every latency measurement of the snapshot, to the thousandth of a millisecond.
    expect(quantiles(readout.latency ?? [])).toEqual(quantiles(snapshot.latency));
    expect(readout.latency?.every((m) => m.source === 'ripe-atlas' && m.sampleCount >= policy.latency.minSamples)).toBe(true);
    // Every group lands where the snapshot says.
    expect(Object.fromEntries((readout.landing ?? []).map((l) => [l.clientGroup, l.shares]))).toEqual(Object.fromEntries(snapshot.landing.map((l) => [l.clientGroup, l.shares])));
    // Probes placed in the snapshot's countries, with a location.
    expect(readout.clientGroups?.map((g) => g.id).sort()).toEqual(snapshot.clientGroups.map((g) => g.id).sort());
    expect(readout.clientGroups?.every((g) => g.latitude !== undefined && g.longitude !== undefined)).toBe(true);
    // Fresh: the newest sample is within one measurement interval of the emulator's clock.
    for (const m of readout.latency ?? []) expect(clock - Date.parse(m.observedAt)).toBeLessThanOrEqual(300_000);
  });

  it('keeps results coming as its clock advances, and never serves the future', async () => {
    const snapshot = exampleSnapshot('crazycall-hot.json');
    const e = await start(snapshot, examplePolicy());
    const newest = async (): Promise<number> => {
      const text = await (await fetch(`${e.url}/api/v2/measurements/61000001/results/?format=txt&start=${START / 1000 - 600}`)).text();
      return Math.max(...text.trim().split('\n').map((l) => (JSON.parse(l) as { timestamp: number }).timestamp));
    };
    const before = await newest();
    expect(before).toBeLessThanOrEqual(START / 1000);
    clock = START + 3_600_000;
    const after = await newest();
    expect(after).toBeGreaterThan(START / 1000 + 3_300);
    expect(after).toBeLessThanOrEqual(clock / 1000);
  });

  it('answers CHAOS TXT id.server in DNS wire format, matching the landing rules; pings with three-packet bursts', async () => {
    const e = await start(exampleSnapshot('crazycall-hot.json'), examplePolicy());
    const dns = (await (await fetch(`${e.url}/api/v2/measurements/61000002/results/?format=txt`)).text()).trim().split('\n').map((l) => JSON.parse(l) as Record<string, any>);
    const answers = new Set<string>();
    for (const r of dns) {
      const message = decodeDnsMessagePartial(r.result.abuf as string);
      const txt = message.answers[0];
      expect(message.questions[0]).toMatchObject({ name: 'id.server.', typeName: 'TXT', className: 'CH' });
      expect(txt).toMatchObject({ typeName: 'TXT', className: 'CH' });
      const text = txt?.rdata.kind === 'TXT' ? txt.rdata.strings.join('') : '';
      expect(r.result.answers).toEqual([{ TYPE: 'TXT', NAME: 'id.server', RDATA: [text] }]);
      expect(Buffer.from(r.result.abuf as string, 'base64').length).toBe(r.result.size);
      answers.add(text);
    }
    // Spain lands in Dublin, everyone else in Frankfurt: both rules' answers appear.
    expect([...answers].map((a) => (/^fra/i.test(a) ? 'fra' : /^dub/i.test(a) ? 'dub' : a)).sort()).toEqual(['dub', 'fra']);

    const ping = (await (await fetch(`${e.url}/api/v2/measurements/61000001/latest/`)).json()) as Record<string, Record<string, any>[]>;
    const one = Object.values(ping)[0]?.[0];
    expect(one).toMatchObject({ type: 'ping', sent: 3, msm_id: 61000001 });
    expect(['3.120.181.40', '52.49.12.77']).toContain(one?.dst_addr);
    expect(one?.min).toBe(Math.min(...(one?.result as { rtt: number }[]).map((p) => p.rtt)));

    const meta = (await (await fetch(`${e.url}/api/v2/measurements/61000002/`)).json()) as Record<string, unknown>;
    expect(meta).toMatchObject({ id: 61000002, type: 'dns', query_class: 'CHAOS', query_argument: 'id.server', target: e.ga.accelerators[0]?.ipAddresses[0] });
    const missing = await fetch(`${e.url}/api/v2/measurements/99/results/`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { status: 404, title: 'Not Found' } });
    const bad = await fetch(`${e.url}/api/v2/measurements/61000001/results/?start=yesterday`);
    expect(bad.status).toBe(400);
  });

  it('pages probes with next links the client follows', async () => {
    const e = await start(exampleSnapshot('crazycall-hot.json'), examplePolicy());
    const first = (await (await fetch(`${e.url}/api/v2/probes/?country_code=de&page_size=5`)).json()) as { count: number; next: string | null; results: { country_code: string; geometry: unknown }[] };
    expect(first.results).toHaveLength(5);
    expect(first.results.every((p) => p.country_code === 'DE')).toBe(true);
    expect(first.next).toMatch(new RegExp(`^${e.url}/api/v2/probes/\\?.*page=2`));
    expect(first.count).toBeGreaterThanOrEqual(12);
  });

  it('serves a synthetic feed with the same latency', async () => {
    const snapshot = exampleSnapshot('crazycall-hot.json');
    const policy = examplePolicy();
    const e = await start(snapshot, policy);
    const withFeed: Policy = { ...policy, signals: { ...policy.signals, synthetic: [{ name: 'emulator', url: `${e.url}${e.signals?.syntheticFeedPath ?? ''}`, format: 'jsonl' }] } };
    const { samples, problems } = await new SyntheticSignalSource().collectSamples(withFeed, new Date(clock));
    expect(problems).toEqual([]);
    const summary = summarizeLatency(samples, { now: new Date(clock), maxAgeSeconds: policy.guardrails.maxSignalAgeSeconds.latency });
    expect(quantiles(summary.measurements)).toEqual(quantiles(snapshot.latency));
  });

  it('reports what it cannot emulate instead of inventing it', async () => {
    const snapshot = exampleSnapshot('crazycall-hot.json');
    const policy = examplePolicy();
    const byAsn: Policy = {
      ...policy,
      signals: {
        ...policy.signals,
        ripeAtlas: { ...(policy.signals.ripeAtlas as NonNullable<Policy['signals']['ripeAtlas']>), clientGroupBy: 'country-asn', measurements: [{ id: 7, role: 'landing', answers: [{ match: '^fra', region: 'eu-central-1' }] }] },
      },
    };
    const e = await start(snapshot, byAsn);
    expect(e.signals?.problems).toContain('client group DE: probes in DE are grouped as (none) under clientGroupBy country-asn; no RIPE Atlas probe stands for it');
    expect(e.signals?.problems).toContain('measurement 7: no answer rule leads to eu-west-1: its RIPE Atlas landing answers are left out');
  });
});
