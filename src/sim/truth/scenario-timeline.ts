// What the scenario's events mean at a given instant: demand factors, capacity factors, failed
// Regions, and the state of the probes.

import type { RegionCode } from '../../domain/traffic.js';
import type { Scenario, ScenarioEvent } from '../scenario/scenario-schema.js';
import type { ServiceMetro } from '../types.js';

export class ScenarioTimeline {
  private readonly startMs: number;

  constructor(private readonly scenario: Scenario) {
    this.startMs = Date.parse(scenario.start);
  }

  minutesAt(tMs: number): number {
    return (tMs - this.startMs) / 60_000;
  }

  private active(tMs: number): ScenarioEvent[] {
    const m = this.minutesAt(tMs);
    return this.scenario.events.filter((e) => m >= e.at && m < e.at + e.durationMinutes);
  }

  /** Demand multiplier of a metro from spikes (ramped in and out). */
  demandFactor(tMs: number, metro: ServiceMetro): number {
    const m = this.minutesAt(tMs);
    let factor = 1;
    for (const e of this.active(tMs)) {
      if (e.kind !== 'demand-spike') continue;
      const applies = (e.countries?.includes(metro.countryCode) ?? false) || (e.nearestRegion !== undefined && metro.proximity[0] === e.nearestRegion) || (e.countries === undefined && e.nearestRegion === undefined);
      if (!applies) continue;
      const ramp = e.rampMinutes > 0 ? Math.min(1, (m - e.at) / e.rampMinutes, (e.at + e.durationMinutes - m) / e.rampMinutes) : 1;
      factor *= 1 + (e.factor - 1) * Math.max(0, ramp);
    }
    return factor;
  }

  capacityFactor(tMs: number, region: RegionCode): number {
    return this.active(tMs).reduce((f, e) => (e.kind === 'capacity-change' && e.region === region ? f * e.factor : f), 1);
  }

  healthy(tMs: number, region: RegionCode): boolean {
    return !this.active(tMs).some((e) => e.kind === 'region-failure' && e.region === region);
  }

  atlasSilent(tMs: number): boolean {
    return this.active(tMs).some((e) => e.kind === 'atlas-outage');
  }

  /** Probe misbehaviour now: jitter of noisy probes and offset of lying ones, with the share affected. */
  probeFaults(tMs: number): { noisy: { fraction: number; jitterMs: number }[]; lying: { fraction: number; offsetMs: number }[] } {
    const events = this.active(tMs);
    return {
      noisy: events.flatMap((e) => (e.kind === 'noisy-probes' ? [{ fraction: e.fraction, jitterMs: e.jitterMs }] : [])),
      lying: events.flatMap((e) => (e.kind === 'lying-probes' ? [{ fraction: e.fraction, offsetMs: e.offsetMs }] : [])),
    };
  }

  /** Labels of events for the report's time axes. */
  eventMarks(): { t: string; label: string }[] {
    return this.scenario.events.flatMap((e) => {
      const label = e.kind === 'demand-spike' ? `demand x${e.factor}` : e.kind === 'capacity-change' ? `${e.region} capacity x${e.factor}` : e.kind === 'region-failure' ? `${e.region} fails` : e.kind;
      return [
        { t: new Date(this.startMs + e.at * 60_000).toISOString(), label: `${label} starts` },
        { t: new Date(this.startMs + (e.at + e.durationMinutes) * 60_000).toISOString(), label: `${label} ends` },
      ];
    });
  }
}
