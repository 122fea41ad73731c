import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ResultParseError } from '../../src/adapters/ripe-atlas/parse/errors.js';
import { compileLandingRules } from '../../src/adapters/ripe-atlas/parse/landing-rules.js';
import { parseAtlasResult } from '../../src/adapters/ripe-atlas/parse/parse-result.js';
import { clientGroupOf, probeDirectoryFromApi, type ProbeInfo } from '../../src/adapters/ripe-atlas/parse/probe-directory.js';
import type { ParsedResult, PingResult } from '../../src/adapters/ripe-atlas/parse/result-types.js';
import { pingRtt, toLandingSamples, toLatencySamples } from '../../src/adapters/ripe-atlas/parse/to-samples.js';
import { dataPath } from '../support/repo-data.js';
import { atlasFixtures, fixtureOf, parsedOf, withFeature } from './atlas-fixtures.js';


function parsed(json: unknown): ParsedResult {
  const r = parseAtlasResult(json);
  if (r instanceof ResultParseError) throw r;
  return r;
}

// The 115 probes recorded from /api/v2/probes/ in 2016 (pierky/ripe-atlas-monitor).
const recorded = probeDirectoryFromApi(JSON.parse(readFileSync(dataPath('ripe-atlas', 'probes.json'), 'utf8')));
// For results from probes whose metadata was not recorded, a stand-in directory: every probe in one
// made-up country, so that what is tested is the result handling, not the placement.
const everyone = new Map<number, ProbeInfo>(atlasFixtures().map((f) => [f.probeId, { countryCode: 'ZZ', asn: 64500 }]));

// The two ping targets of pierky's recordings, given to two Regions for the test.
const targets = { '193.170.114.242': 'eu-central-1', '194.88.241.228': 'eu-west-1' };
const AFTER_ALL = new Date('2030-01-01T00:00:00Z');

describe('probe directory', () => {
  it('reads the recorded probes API pages', () => {
    expect(recorded.problems).toEqual([]);
    expect(recorded.directory.size).toBe(115);
    expect(recorded.directory.get(2060)).toEqual({ countryCode: 'GB', asn: 25180 });
    expect(recorded.directory.get(13939)).toEqual({ countryCode: 'DE', asn: 51862, asnV6: 51862 });
  });

  it('groups by country or by country and the ASN of the family measured', () => {
    const p = { countryCode: 'DE', asn: 3320, asnV6: 6805 };
    expect(clientGroupOf(p, 'country', 4)).toBe('DE');
    expect(clientGroupOf(p, 'country-asn', 4)).toBe('DE-AS3320');
    expect(clientGroupOf(p, 'country-asn', 6)).toBe('DE-AS6805');
    expect(clientGroupOf({ countryCode: 'GB' }, 'country-asn', 4)).toBeUndefined();
  });

  it('reports probes it cannot place', () => {
    const r = probeDirectoryFromApi({ results: [{ id: 1, country_code: 'nl', asn_v4: 1136 }, { id: 2, country_code: null }, { country_code: 'FR' }, 'x'] });
    expect([...r.directory.entries()]).toEqual([[1, { countryCode: 'NL', asn: 1136 }]]);
    expect(r.problems).toEqual(['probe 2 has no country code', 'a probe has no id', 'a probe entry is not an object']);
  });
});

describe('ping results to latency samples', () => {
  it('gives the eight recorded pings from known probes, by minimum RTT', () => {
    const out = toLatencySamples(parsedOf('ping.jsonl'), { probes: recorded.directory, clientGroupRule: 'country', targets, now: AFTER_ALL });
    expect(out.samples).toHaveLength(8);
    // 68 results aim at other targets; two more at these targets come from probes not recorded.
    expect(out.dropped.filter((d) => d.reason === 'unknown-target')).toHaveLength(68);
    expect(out.dropped.filter((d) => d.reason === 'unknown-probe')).toHaveLength(2);
    const byProbe = out.samples.filter((s) => s.region === 'eu-west-1').map((s) => [s.vantage, s.clientGroup, s.rttMs, s.sent, s.received]);
    expect(byProbe.sort()).toEqual([
      ['11421', 'DE', 42.220215, 3, 3],
      ['3183', 'DE', 42.196233, 3, 3],
      // One 218 ms reply in this burst: the minimum ignores it.
      ['3207', 'DE', 36.921608, 3, 3],
    ]);
    const gb = out.samples.find((s) => s.vantage === '10025');
    expect(gb).toEqual({ clientGroup: 'GB', vantage: '10025', region: 'eu-central-1', rttMs: 29.52694, sent: 3, received: 3, observedAt: '2016-01-20T02:22:33.000Z', source: 'ripe-atlas' });
  });

  it('uses the median when asked', () => {
    const out = toLatencySamples(parsedOf('ping.jsonl'), { probes: recorded.directory, clientGroupRule: 'country', targets, now: AFTER_ALL, rtt: 'median' });
    expect(out.samples.find((s) => s.vantage === '3207' && s.region === 'eu-west-1')?.rttMs).toBe(38.99444);
  });

  it('groups by country and ASN', () => {
    const out = toLatencySamples(parsedOf('ping.jsonl'), { probes: recorded.directory, clientGroupRule: 'country-asn', targets, now: AFTER_ALL });
    expect(new Set(out.samples.map((s) => s.clientGroup))).toEqual(new Set(['DE-AS16097', 'DE-AS29562', 'GB-AS44574', 'DE-AS51862', 'DE-AS3209']));
  });

  it('drops results whose target is in no Region', () => {
    const all = parsedOf('ping.jsonl');
    const out = toLatencySamples(all, { probes: everyone, clientGroupRule: 'country', targets, now: AFTER_ALL });
    expect(out.samples).toHaveLength(10);
    expect(out.dropped).toHaveLength(68);
    expect(out.dropped.every((d) => d.reason === 'unknown-target')).toBe(true);
  });

  describe('with every recorded ping target in a Region', () => {
    const all = parsedOf('ping.jsonl');
    const everyTarget = Object.fromEntries(all.map((r) => [r.dstAddr ?? '', 'eu-central-1']));
    const out = toLatencySamples(all, { probes: everyone, clientGroupRule: 'country', targets: everyTarget, now: AFTER_ALL });

    it('keeps every result that sent a packet, and says why the others went', () => {
      expect(out.samples.length + out.dropped.length).toBe(78);
      expect(out.dropped.map((d) => d.reason)).toEqual(['probe-error', 'probe-error']);
      expect(out.dropped[0]?.detail).toMatch(/Network is unreachable/);
    });

    it('turns total loss into a null RTT that still counts the packets sent', () => {
      for (const f of withFeature('ping.jsonl', 'avg=-1')) {
        const r = parsed(f.json) as PingResult;
        if (r.sent === 0) continue;
        const s = out.samples.find((x) => x.vantage === String(r.probeId) && x.observedAt === r.observedAt);
        expect(s).toMatchObject({ rttMs: null, received: 0, sent: r.sent });
      }
    });

    it('never counts duplicates, and reads firmware 0 summaries', () => {
      const p2225 = withFeature('ping.jsonl', 'dup').find((f) => f.probeId === 2225);
      const r = parsed(p2225?.json) as PingResult;
      const replies = r.packets.flatMap((p) => (p.kind === 'reply' && !p.duplicate ? [p.rttMs] : []));
      expect(pingRtt(r, 'min')).toEqual({ rttMs: Math.min(...replies), received: 3 });
      // Probe 202 got only two duplicates back for one packet sent: that is a loss.
      expect(pingRtt(parsed(fixtureOf('ping.jsonl', 1000192, 202, 1394745831)) as PingResult, 'min')).toEqual({ rttMs: null, received: 0 });
      const fw0 = out.samples.find((s) => s.vantage === '677' && s.observedAt === '2012-01-31T14:23:12.000Z');
      expect(fw0).toMatchObject({ rttMs: 57.876, sent: 3, received: 3 });
      for (const s of out.samples) expect(s.received).toBeLessThanOrEqual(s.sent);
    });
  });

  it('counts late replies as lost', () => {
    const base = parsed(fixtureOf('ping.jsonl', 3359986, 3207)) as PingResult;
    const withLate: PingResult = {
      ...base,
      packets: base.packets.map((p, i) => (i === 0 && p.kind === 'reply' ? { ...p, late: true } : p)),
    };
    expect(pingRtt(base, 'min')).toEqual({ rttMs: 30.339078, received: 3 });
    expect(pingRtt(withLate, 'min')).toEqual({ rttMs: 30.50727, received: 2 });
  });

  it('drops a result seen twice, and results stamped in the future', () => {
    const recordedPings = parsedOf('ping.jsonl').filter((r) => recorded.directory.has(r.probeId) && r.dstAddr !== undefined && r.dstAddr in targets);
    const twice = toLatencySamples([...recordedPings, ...recordedPings], { probes: recorded.directory, clientGroupRule: 'country', targets, now: AFTER_ALL });
    expect(twice.samples).toHaveLength(8);
    expect(twice.dropped.map((d) => d.reason)).toEqual(Array(8).fill('duplicate'));
    // `now` between the two recording days (2015-10-29 and 2016-01-20): the January ones are from the future.
    const now = new Date('2015-11-01T00:00:00Z');
    const early = toLatencySamples(recordedPings, { probes: recorded.directory, clientGroupRule: 'country', targets, now });
    expect(early.samples).toHaveLength(3);
    expect(early.dropped.map((d) => d.reason)).toEqual(Array(5).fill('clock-ahead'));
    // The October results are stamped 1446146494-5: 40 s ahead of `now` is within the one clock-skew
    // allowance (60 s), 200 s is not, unless a caller allows more.
    const slight = new Date((1446146495 - 40) * 1000);
    expect(toLatencySamples(recordedPings, { probes: recorded.directory, clientGroupRule: 'country', targets, now: slight }).samples).toHaveLength(3);
    const skew = new Date((1446146495 - 200) * 1000);
    expect(toLatencySamples(recordedPings, { probes: recorded.directory, clientGroupRule: 'country', targets, now: skew }).samples).toHaveLength(0);
    expect(toLatencySamples(recordedPings, { probes: recorded.directory, clientGroupRule: 'country', targets, now: skew, futureToleranceSeconds: 300 }).samples).toHaveLength(3);
  });

  it('finds IPv6 targets whatever their spelling', () => {
    const r = parsed(fixtureOf('ping.jsonl', 3359986, 3207)) as PingResult;
    const v6: PingResult = { ...r, dstAddr: '2001:DB8:0:0::1', af: 6 };
    const out = toLatencySamples([v6], { probes: recorded.directory, clientGroupRule: 'country', targets: { '2001:db8::1': 'us-east-1' }, now: AFTER_ALL });
    expect(out.samples[0]?.region).toBe('us-east-1');
  });
});

describe('DNS CHAOS results through an anycast address to landing samples', () => {
  // Quad9's anycast 149.112.149.112 answered CHAOS TXT id.server with its site: resNNN.<airport>.rrdns.pch.net.
  // The rules give some sites to Regions as a stand-in for an accelerator's Regions.
  const answers = [
    { match: '\\.(fra|vie|zrh|prg|waw)\\.', region: 'eu-central-1' },
    { match: '\\.(ams|lhr|dub)\\.', region: 'eu-west-1' },
    { match: 'res300.cdg.rrdns.pch.net', region: 'eu-west-3' },
  ];
  const chaos = parsedOf('dns.jsonl').filter((r) => r.msmId === 29083406);

  it('gives one sample per answer, keeps unmatched answers and says why the rest went', () => {
    expect(chaos).toHaveLength(96);
    const out = toLandingSamples(chaos, { probes: everyone, clientGroupRule: 'country', answers, now: AFTER_ALL });
    expect(out.samples.length + out.dropped.length).toBe(96);
    const reasons: Record<string, number> = {};
    for (const d of out.dropped) reasons[d.reason] = (reasons[d.reason] ?? 0) + 1;
    expect(reasons).toEqual({ 'no-answer': 6, 'probe-error': 2 });
    expect(out.dropped.filter((d) => d.reason === 'no-answer').map((d) => d.detail).sort()).toEqual([
      'no TXT answer (NOTIMP)', 'no TXT answer (NOTIMP)', 'no TXT answer (REFUSED)', 'no TXT answer (REFUSED)', 'no TXT answer (SERVFAIL)', 'no TXT answer (SERVFAIL)',
    ]);
    const regions: Record<string, number> = {};
    for (const s of out.samples) regions[String(s.region)] = (regions[String(s.region)] ?? 0) + 1;
    expect(regions['eu-central-1']).toBe(34);
    expect(regions['eu-west-1']).toBe(27);
    const unmatched = out.samples.filter((s) => s.region === null);
    expect(unmatched.length).toBe(out.samples.length - 34 - 27 - (regions['eu-west-3'] ?? 0));
    for (const s of unmatched) expect(s.answer).toMatch(/^res\d+\.[a-z]{3}\.rrdns\.pch\.net$/);
    expect(out.samples.find((s) => s.vantage === '1000125')).toEqual({
      clientGroup: 'ZZ',
      vantage: '1000125',
      region: 'eu-central-1',
      answer: 'res300.vie.rrdns.pch.net',
      rttMs: 19.924,
      observedAt: '2021-02-10T14:45:59.000Z',
      source: 'ripe-atlas',
    });
  });

  it('flags probes unsure of their clock', () => {
    const out = toLandingSamples(chaos, { probes: everyone, clientGroupRule: 'country', answers, now: AFTER_ALL });
    const unsure = chaos.filter((r) => r.clockSyncUnknown && r.type === 'dns' && r.exchanges.some((e) => e.outcome.kind === 'response' && e.outcome.txt.length > 0));
    expect(out.flagged.map((f) => f.probeId).sort()).toEqual(unsure.map((r) => r.probeId).sort());
  });

  it('drops results from probes whose clock runs ahead of now', () => {
    // The measurement ran from 2021-02-10 to 2021-02-15.
    const now = new Date('2021-02-12T00:00:00Z');
    const out = toLandingSamples(chaos, { probes: everyone, clientGroupRule: 'country', answers, now });
    const ahead = out.dropped.filter((d) => d.reason === 'clock-ahead');
    expect(ahead.length).toBeGreaterThan(0);
    for (const d of ahead) expect(d.timestamp * 1000).toBeGreaterThan(now.getTime() + 300_000);
    for (const s of out.samples) expect(Date.parse(s.observedAt)).toBeLessThanOrEqual(now.getTime() + 300_000);
  });

  it('reads answers given only by the probe, without abuf', () => {
    const noAbuf = withFeature('dns.jsonl', 'answers-no-abuf').map((f) => parsed(f.json));
    const out = toLandingSamples(noAbuf, { probes: everyone, clientGroupRule: 'country', answers, now: AFTER_ALL });
    expect(out.samples.length).toBe(13);
    expect(out.samples.every((s) => /rrdns\.pch\.net$/.test(s.answer))).toBe(true);
  });

  it('drops results of other types and results of unknown probes', () => {
    const out = toLandingSamples([...parsedOf('http.jsonl').slice(0, 2), ...chaos.slice(0, 3)], { probes: new Map(), clientGroupRule: 'country', answers, now: AFTER_ALL });
    expect(out.samples).toEqual([]);
    expect(out.dropped.map((d) => d.reason)).toEqual(['not-applicable', 'not-applicable', 'unknown-probe', 'unknown-probe', 'unknown-probe']);
  });
});

describe('answer rules', () => {
  it('match exactly or by regular expression, first rule first, ignoring case', () => {
    const rules = compileLandingRules([
      { match: 'us-east-1', region: 'us-east-1' },
      { match: '^fra', region: 'eu-central-1' },
      { match: 'FRA1.example', region: 'eu-west-1' },
    ]);
    expect(rules.regionOf('us-east-1')).toBe('us-east-1');
    expect(rules.regionOf('fra1.example')).toBe('eu-central-1');
    expect(rules.regionOf('dub2')).toBeNull();
  });

  it('report a bad regular expression and still match it exactly', () => {
    const rules = compileLandingRules([{ match: 'site(1', region: 'ap-south-1' }]);
    expect(rules.problems).toHaveLength(1);
    expect(rules.regionOf('SITE(1')).toBe('ap-south-1');
    expect(rules.regionOf('site1')).toBeNull();
  });
});
