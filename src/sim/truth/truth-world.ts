// The simulated world's ground truth at the level of flows: each metro's active flows per Region.
// Every step, existing flows end with the scenario's flow lifetime and new ones arrive to keep each
// metro at its current demand; only new flows follow the routing of the moment (a dial change moves
// load over minutes, as in GA). Flows on a Region that fails are cut and reconnect elsewhere.

import type { RegionCode } from '../../domain/traffic.js';
import { DIURNAL_CURVE, diurnalMultiplierAt } from '../world/diurnal.js';
import type { Random } from '../random.js';
import type { Scenario } from '../scenario/scenario-schema.js';
import type { ServiceModel } from '../service-model.js';
import { weightedLatencyFigures, type WeightedRtt } from '../bounds/latency-figures.js';
import type { LatencyFigures, ServiceMetro } from '../types.js';
import type { ScenarioTimeline } from './scenario-timeline.js';

/** Routing of new flows: metro -> Region -> share (sums to 1). */
export type RoutingFn = (metro: ServiceMetro, index: number) => Readonly<Record<RegionCode, number>>;

const PEAK_MULTIPLIER = 1 + DIURNAL_CURVE.a1 + DIURNAL_CURVE.a2;

export class TruthWorld {
  readonly regionCodes: readonly RegionCode[];
  /** flows[metro * R + region]. */
  private readonly flows: Float64Array;
  private readonly baseFlows: number;
  private demandNow: Float64Array;

  constructor(
    readonly service: ServiceModel,
    private readonly scenario: Scenario,
    readonly timeline: ScenarioTimeline,
    private readonly random: Random,
  ) {
    this.regionCodes = service.regions.map((r) => r.code);
    this.flows = new Float64Array(service.metros.length * this.regionCodes.length);
    // peakFlows is reached when every metro is at its daily peak; the curve's maximum scales it.
    this.baseFlows = scenario.service.peakFlows / PEAK_MULTIPLIER;
    this.demandNow = new Float64Array(service.metros.length);
  }

  /** Each metro's demand (active flows it would have in steady state) at tMs, with noise drawn once per step. */
  private drawDemand(tMs: number): void {
    const noise = this.scenario.service.demandNoisePercent / 100;
    this.demandNow = Float64Array.from(this.service.metros, (m) => {
      const d = this.baseFlows * m.demandShare * diurnalMultiplierAt(tMs, m.utcOffsetHours) * this.timeline.demandFactor(tMs, m);
      return Math.max(0, d * (1 + noise * this.random.normal()));
    });
  }

  /** Starts in steady state under the given routing. */
  initialize(tMs: number, routing: RoutingFn): void {
    this.drawDemand(tMs);
    this.service.metros.forEach((m, i) => {
      const shares = routing(m, i);
      this.regionCodes.forEach((r, j) => (this.flows[i * this.regionCodes.length + j] = (this.demandNow[i] ?? 0) * (shares[r] ?? 0)));
    });
  }

  /** Advances by dtSeconds to tMs: flows end, failed Regions' flows reconnect, new flows arrive by `routing`. */
  step(tMs: number, dtSeconds: number, routing: RoutingFn): void {
    this.drawDemand(tMs);
    const R = this.regionCodes.length;
    const survive = Math.exp(-dtSeconds / this.scenario.service.flowLifetimeSeconds);
    const healthy = this.regionCodes.map((r) => this.timeline.healthy(tMs, r));
    this.service.metros.forEach((m, i) => {
      let active = 0;
      for (let j = 0; j < R; j += 1) {
        const k = i * R + j;
        const kept = (this.flows[k] ?? 0) * survive;
        if (healthy[j]) {
          this.flows[k] = kept;
          active += kept;
        } else {
          this.flows[k] = 0;
        }
      }
      // New flows replace the ended and the cut ones (which reconnect at once), so the metro tends to its demand.
      const arrivals = Math.max(0, (this.demandNow[i] ?? 0) - active);
      if (arrivals <= 0) return;
      const shares = routing(m, i);
      // A flow sent to a failed Region fails over to the metro's nearest healthy one (GA ignores dials then).
      const fallback = m.proximity.find((r) => healthy[this.regionCodes.indexOf(r)] === true);
      for (let j = 0; j < R; j += 1) {
        const s = shares[this.regionCodes[j] as string] ?? 0;
        if (s <= 0) continue;
        const target = healthy[j] === true || fallback === undefined ? j : this.regionCodes.indexOf(fallback);
        this.flows[i * R + target] = (this.flows[i * R + target] ?? 0) + arrivals * s;
      }
    });
  }

  demand(): readonly number[] {
    return [...this.demandNow];
  }

  loadByRegion(): Record<RegionCode, number> {
    const R = this.regionCodes.length;
    const out: Record<RegionCode, number> = Object.fromEntries(this.regionCodes.map((r) => [r, 0]));
    for (let i = 0; i < this.service.metros.length; i += 1) {
      for (let j = 0; j < R; j += 1) out[this.regionCodes[j] as string] = (out[this.regionCodes[j] as string] ?? 0) + (this.flows[i * R + j] ?? 0);
    }
    return out;
  }

  /** Active flows per client group (country): the service's own per-country flow counts. */
  demandByClientGroup(): Record<string, number> {
    const out: Record<string, number> = {};
    this.service.metros.forEach((m, i) => (out[m.clientGroup] = (out[m.clientGroup] ?? 0) + (this.demandNow[i] ?? 0)));
    return out;
  }

  capacity(tMs: number, region: RegionCode): number {
    const r = this.service.regions.find((x) => x.code === region);
    return (r?.capacity ?? 0) * this.timeline.capacityFactor(tMs, region);
  }

  /** Demand-weighted RTT of the active flows: what users experience now. */
  latency(): LatencyFigures {
    const R = this.regionCodes.length;
    const points: WeightedRtt[] = [];
    this.service.metros.forEach((m, i) => {
      for (let j = 0; j < R; j += 1) points.push({ rttMs: m.rttMs[this.regionCodes[j] as string] ?? 0, weight: this.flows[i * R + j] ?? 0 });
    });
    return weightedLatencyFigures(points);
  }
}
