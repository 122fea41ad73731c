// Simulated RIPE Atlas: a few probes per country, placed in the service's metros (weighted by users),
// each pinging every Region on its own schedule and resolving the anycast address. Their results differ
// from the truth as real ones do: jitter, noisy and lying probes, a lag before results are available,
// outages. The controller reads them through the same summarisation as real RIPE Atlas results.

import type { LandingSample, LatencySample } from '../../domain/samples.js';
import type { RegionCode } from '../../domain/traffic.js';
import type { Random } from '../random.js';
import type { Scenario } from '../scenario/scenario-schema.js';
import type { ServiceMetro } from '../types.js';
import type { ScenarioTimeline } from '../truth/scenario-timeline.js';

interface Probe {
  readonly id: number;
  readonly metro: ServiceMetro;
  readonly metroIndex: number;
  /** Offset of its schedule within the probe interval. */
  readonly phaseMs: number;
  /** Fixed per probe: decides whether it is among the noisy or lying ones of an event. */
  readonly trait: number;
}

export class SimulatedProbes {
  private readonly probes: Probe[] = [];
  private latency: LatencySample[] = [];
  private landing: LandingSample[] = [];
  private lastMs: number | undefined;

  constructor(
    metros: readonly ServiceMetro[],
    private readonly scenario: Scenario,
    private readonly timeline: ScenarioTimeline,
    private readonly random: Random,
  ) {
    const byCountry = new Map<string, { metro: ServiceMetro; index: number }[]>();
    metros.forEach((metro, index) => byCountry.set(metro.countryCode, [...(byCountry.get(metro.countryCode) ?? []), { metro, index }]));
    const intervalMs = scenario.measurement.probeIntervalSeconds * 1000;
    let id = 1000;
    for (const country of [...byCountry.keys()].sort()) {
      const candidates = byCountry.get(country) ?? [];
      const total = candidates.reduce((s, c) => s + c.metro.demandShare, 0);
      for (let p = 0; p < scenario.measurement.probesPerCountry; p += 1) {
        // Probes sit where users are: pick a metro with probability proportional to its users.
        let x = random.next() * total;
        const pick = candidates.find((c) => (x -= c.metro.demandShare) <= 0) ?? candidates[candidates.length - 1];
        if (pick === undefined) continue;
        this.probes.push({ id: id++, metro: pick.metro, metroIndex: pick.index, phaseMs: Math.floor(random.next() * intervalMs), trait: random.next() });
      }
    }
  }

  get probeCount(): number {
    return this.probes.length;
  }

  /**
   * Runs every probe measurement scheduled in (last call, tMs]. `landing` gives the true share of new
   * flows per Region for a metro now (the anycast answer a probe gets is one such flow).
   */
  advance(tMs: number, landing: (metro: ServiceMetro, index: number) => Readonly<Record<RegionCode, number>>, keepMs: number): void {
    const from = this.lastMs ?? tMs - 1;
    this.lastMs = tMs;
    const intervalMs = this.scenario.measurement.probeIntervalSeconds * 1000;
    if (!this.timeline.atlasSilent(tMs)) {
      const faults = this.timeline.probeFaults(tMs);
      for (const p of this.probes) {
        // Measurement times of this probe in (from, tMs].
        const first = Math.ceil((from + 1 - p.phaseMs) / intervalMs) * intervalMs + p.phaseMs;
        for (let at = first; at <= tMs; at += intervalMs) this.measure(p, at, faults, landing(p.metro, p.metroIndex));
      }
    }
    const horizon = tMs - keepMs;
    this.latency = this.latency.filter((s) => Date.parse(s.observedAt) >= horizon);
    this.landing = this.landing.filter((s) => Date.parse(s.observedAt) >= horizon);
  }

  private measure(p: Probe, atMs: number, faults: ReturnType<ScenarioTimeline['probeFaults']>, shares: Readonly<Record<RegionCode, number>>): void {
    const observedAt = new Date(atMs).toISOString();
    const noisy = faults.noisy.filter((f) => p.trait < f.fraction).reduce((s, f) => s + f.jitterMs, 0);
    // Lying probes are picked from the other end of the trait range, so noisy and lying sets differ.
    const offset = faults.lying.filter((f) => 1 - p.trait < f.fraction).reduce((s, f) => s + f.offsetMs, 0);
    const vantage = `probe-${p.id}`;
    for (const [region, rtt] of Object.entries(p.metro.rttMs)) {
      const jitter = Math.abs(this.random.normal()) * this.scenario.measurement.rttJitterMs + Math.abs(this.random.normal()) * noisy;
      this.latency.push({
        clientGroup: p.metro.clientGroup,
        vantage,
        region,
        rttMs: Math.max(0.5, rtt + jitter + offset),
        sent: 3,
        received: 3,
        observedAt,
        source: 'simulator',
      });
    }
    let x = this.random.next();
    const entries = Object.entries(shares).filter(([, s]) => s > 0);
    const landed = entries.find(([, s]) => (x -= s) <= 0)?.[0] ?? entries[entries.length - 1]?.[0] ?? null;
    this.landing.push({ clientGroup: p.metro.clientGroup, vantage, region: landed, answer: landed ?? 'no answer', rttMs: null, observedAt, source: 'simulator' });
  }

  /** Results available at tMs: measured at least `lag` ago. */
  available(tMs: number): { latency: LatencySample[]; landing: LandingSample[] } {
    const until = tMs - this.scenario.measurement.latencyLagSeconds * 1000;
    return {
      latency: this.latency.filter((s) => Date.parse(s.observedAt) <= until),
      landing: this.landing.filter((s) => Date.parse(s.observedAt) <= until),
    };
  }
}
