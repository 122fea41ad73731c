// How routed demand turns into each Region's utilization: U_r = coef_r x routed_r + offset_r, with the
// routing model corrected by what the Regions measured (load-fit.ts).
//
// - K, per load signal: load units per demand unit, fitted over the Regions that read the signal:
//   K = sum(load) / sum(routed demand). Regions that share a signal name must measure it in the same
//   units (flows, connections, requests); a per-host metric such as CPU needs a signal name per Region.
//   coef_r = 100 K / capacity_r turns routed demand into utilization points.
// - Readings that cannot stand for a Region's load hold the decision (fail static), except for a Region
//   that is down (it serves nothing) or just came back (its reading predates its return): those are
//   predicted from demand and the model.

import type { RegionCode } from '../domain/traffic.js';
import type { Hold } from '../plan/types.js';
import type { Policy } from '../policy/schema.js';
import type { ControllerState, CyclePoint, RegionState } from './controller-state.js';
import { DEFAULT_SPILL_MIX, fitLoadModel, routeBySource, routedDemand, type FitCycle, type LoadFit, type RoutedSettings } from './load-fit.js';
import type { RegionSignals } from './signal-view.js';
import type { TrafficModel } from './traffic-model.js';

/** Cycles older than this do not take part in the fit. */
export const FIT_WINDOW_SECONDS = 30 * 60;

export type BasisSource = 'fitted' | 'remembered' | 'model';

export interface RegionBasis {
  readonly region: RegionCode;
  readonly index: number;
  readonly healthy: boolean;
  readonly capacity: number;
  /** Utilization points per demand unit routed to the Region. */
  readonly coef: number;
  /** Utilization points the routing model does not account for. */
  readonly offset: number;
  /** Measured utilization, when a usable reading exists. */
  readonly measuredPercent: number | undefined;
  readonly source: BasisSource;
  readonly demandScale: number;
  readonly residualShare: number | undefined;
}

export interface LoadBasis {
  readonly regions: ReadonlyMap<RegionCode, RegionBasis>;
  /** Demand scale per Region index, for the client groups nearest to it. */
  readonly demandScale: Float64Array;
  readonly flowLifetimeSeconds: number;
  readonly spillMix: number;
  /** The readings used this cycle, per Region, for the history. */
  readonly readings: Readonly<Record<RegionCode, { value: number; at: string }>>;
  readonly holds: readonly Hold[];
  readonly notes: readonly string[];
}

export interface LoadBasisInput {
  readonly policy: Policy;
  /** The model without corrections (measured demand, current proximity, dials and health). */
  readonly model: TrafficModel;
  readonly signals: ReadonlyMap<RegionCode, RegionSignals>;
  readonly regionHealth: ReadonlyMap<RegionCode, boolean>;
  /** Region states as updated for this cycle (health history). */
  readonly regionStates: Readonly<Record<RegionCode, RegionState>>;
  readonly state: ControllerState;
  /** Client group -> demand now (as measured). */
  readonly demandNow: ReadonlyMap<string, number>;
  readonly now: Date;
}

export function buildLoadBasis(input: LoadBasisInput): LoadBasis {
  const { policy, model, signals, now } = input;
  const regions = model.regions;
  const R = regions.length;
  const holds: Hold[] = [];
  const notes: string[] = [];

  // Which readings stand for their Region's load, and which Regions are predicted from the model alone.
  const usable = new Map<RegionCode, { value: number; observedAt: string }>();
  for (const [region, s] of signals) {
    const healthy = input.regionHealth.get(region) ?? false;
    if (s.capacityProblem !== undefined) {
      holds.push(s.capacityProblem);
      continue;
    }
    if (s.loadProblem === undefined && s.load !== undefined) {
      if (healthy && returnedAfter(input.regionStates[region], s.load.observedAt)) notes.push(cameBack(region));
      else usable.set(region, s.load);
      continue;
    }
    if (!healthy) continue; // serves nothing now: its load does not matter until it returns
    // Only while a reading taken after its return cannot be here yet: past that, a missing or stale
    // reading is missing data like any other (fail static).
    if (recentlyReturned(input.regionStates[region], now, policy.guardrails.maxSignalAgeSeconds.load)) {
      notes.push(cameBack(region));
      continue;
    }
    if (s.loadProblem !== undefined) holds.push(s.loadProblem);
  }

  // The cycles and the fit ask for some settings alike (this cycle's, at least): each is routed once.
  const routed: RoutedSettings = new Map();
  const fitted = fitCycles(input, usable, routed);
  const cycles = fitted.map((c) => c.cycle);
  const startScale = Float64Array.from(regions, (r) => input.state.regions[r]?.demandScale ?? 1);
  const fit: LoadFit = fitLoadModel(model, cycles, startScale, input.state.flowLifetimeSeconds, input.state.spillMix, routed);
  if (fit.lifetimeLearnt) notes.push(`the last readings show flows lasting about ${Math.round(fit.flowLifetimeSeconds / 60)} min and ${Math.round(fit.spillMix * 100)} % of spill following the backbone`);

  // Load units per demand unit, per signal: from the newest cycle whose readings the fit kept, where
  // readings and routing describe the same Regions' health (a Region that just failed or came back
  // would otherwise have its users counted on one side of the ratio and not the other).
  const kNow = new Map<string, number>();
  for (let m = fitted.length - 1; m >= 0; m -= 1) for (const [signal, k] of (fitted[m] as (typeof fitted)[number]).k) if (!kNow.has(signal)) kNow.set(signal, k);
  const out = new Map<RegionCode, RegionBasis>();
  for (const [region, s] of signals) {
    const i = model.regionIndex.get(region);
    const rp = policy.regions[region];
    if (i === undefined || rp === undefined || s.capacity === undefined) continue;
    const k = kNow.get(rp.capacity.signal);
    // Without anything to fit against, assume the whole demand would fill the Region: it overstates how
    // fast the Region fills, the safe side.
    if (k === undefined) notes.push(`no load to calibrate ${region} against; assumed all demand would fill it`);
    const coef = (100 * (k ?? s.capacity / Math.max(1e-9, model.totalDemandNow))) / Math.max(1e-9, s.capacity);
    const residual = fit.residualShare[i] as number;
    const residualShare = Number.isNaN(residual) ? undefined : residual;
    const scale = fit.scale[i] as number;
    out.set(region, {
      region,
      index: i,
      healthy: input.regionHealth.get(region) ?? false,
      capacity: s.capacity,
      coef,
      offset: coef * (residualShare ?? 0) * model.totalDemandAhead,
      measuredPercent: usable.has(region) ? s.utilizationPercent : undefined,
      source: fit.fitted[i] === 1 ? 'fitted' : input.state.regions[region]?.demandScale !== undefined ? 'remembered' : 'model',
      demandScale: scale,
      residualShare,
    });
  }
  return {
    regions: out,
    demandScale: fit.scale,
    flowLifetimeSeconds: fit.flowLifetimeSeconds,
    spillMix: fit.spillMix,
    readings: Object.fromEntries([...usable].map(([r, l]) => [r, { value: l.value, at: l.observedAt }])),
    holds,
    notes,
  };
}

/** The state's recent cycles and this one, as the fit reads them (readings turned into demand units). */
function fitCycles(
  input: LoadBasisInput,
  usable: ReadonlyMap<RegionCode, { value: number; observedAt: string }>,
  routed: RoutedSettings,
): { cycle: FitCycle; k: ReadonlyMap<string, number> }[] {
  const { model, policy, now } = input;
  const R = model.regions.length;
  const nowMs = now.getTime();
  const arnsOf = model.variables.map((v) => v.groups.map((g) => g.address.endpointGroupArn));
  const currentDials = Float64Array.from(model.variables, (v) => v.currentPercent / 100);
  const currentHealth = Uint8Array.from(model.regions, (r) => (input.regionHealth.get(r) === true ? 1 : 0));
  const classDemand = (demand: (id: string) => number | undefined): Float64Array =>
    Float64Array.from(model.classes, (c) => demand(c.id) ?? input.demandNow.get(c.id) ?? 0);

  const points = input.state.history.filter((p) => Date.parse(p.at) < nowMs && nowMs - Date.parse(p.at) <= FIT_WINDOW_SECONDS * 1000);
  const seen = new Set<string>();
  const raw: { atMs: number; dials: Float64Array; healthy: Uint8Array; load: Map<number, { value: number; atMs: number }>; demand: Float64Array }[] = [];
  // Newest first, so a reading repeated by later cycles (CloudWatch had nothing newer) counts once, where it was current.
  const current = { atMs: nowMs, dials: currentDials, healthy: currentHealth, load: new Map<number, { value: number; atMs: number }>(), demand: classDemand(() => undefined) };
  for (const [region, l] of usable) {
    const i = model.regionIndex.get(region);
    if (i !== undefined && currentHealth[i] === 1) current.load.set(i, { value: l.value, atMs: Date.parse(l.observedAt) });
  }
  raw.push(current);
  for (const p of [...points].reverse()) raw.push(cycleOf(p, model, arnsOf, currentDials, currentHealth, classDemand));
  for (const c of raw) {
    for (const [i, l] of c.load) {
      const key = `${i}|${l.atMs}`;
      if (seen.has(key)) c.load.delete(i);
      else seen.add(key);
    }
  }
  raw.reverse();
  dropReadingsAcrossHealthChanges(raw);
  return raw.map((c) => {
    const demand = routedDemand(routeBySource(model, c.dials, c.healthy, input.state.spillMix ?? DEFAULT_SPILL_MIX, routed), c.demand, R);
    const k = signalFactors(policy, model.regions, new Map([...c.load].map(([i, l]) => [model.regions[i] ?? '', { value: l.value }])), demand);
    const target = new Float64Array(R).fill(Number.NaN);
    const readingAtMs = new Float64Array(R).fill(Number.NaN);
    for (const [i, l] of c.load) {
      const kr = k.get(policy.regions[model.regions[i] ?? '']?.capacity.signal ?? '');
      if (kr === undefined || c.healthy[i] !== 1) continue;
      target[i] = l.value / kr;
      readingAtMs[i] = l.atMs;
    }
    return { cycle: { atMs: c.atMs, dials: c.dials, healthy: c.healthy, target, readingAtMs, classDemand: c.demand }, k };
  });
}

/**
 * A reading describes the Regions' health when it was taken, which a cycle only knows between two of
 * its own times: health seen at cycle j held over (t[j-1], t[j]]. A reading taken in an interval where
 * health changed, or before a change its cycle saw, was taken under a health nobody knows for sure
 * (a Region's failure cuts its flows at once): it is left out of the fit, never read as if the
 * Regions had been as they are now. `raw` is oldest first.
 */
function dropReadingsAcrossHealthChanges(raw: readonly { atMs: number; healthy: Uint8Array; load: Map<number, { value: number; atMs: number }> }[]): void {
  const key = raw.map((c) => c.healthy.join(''));
  for (let c = 0; c < raw.length; c += 1) {
    const cycle = raw[c] as (typeof raw)[number];
    for (const [i, l] of cycle.load) {
      let j = 0;
      while (j < c && (raw[j] as (typeof raw)[number]).atMs < l.atMs) j += 1;
      for (let k = Math.max(0, j - 1); k < c; k += 1) {
        if (key[k] !== key[c]) {
          cycle.load.delete(i);
          break;
        }
      }
    }
  }
}

function cycleOf(
  p: CyclePoint,
  model: TrafficModel,
  arnsOf: readonly (readonly string[])[],
  currentDials: Float64Array,
  currentHealth: Uint8Array,
  classDemand: (demand: (id: string) => number | undefined) => Float64Array,
): { atMs: number; dials: Float64Array; healthy: Uint8Array; load: Map<number, { value: number; atMs: number }>; demand: Float64Array } {
  // A variable's groups move together now; earlier they may not have: their mean dial stands for them.
  const dials = Float64Array.from(arnsOf, (arns, v) => {
    const seen = arns.map((arn) => p.dials[arn]).filter((d): d is number => d !== undefined);
    return seen.length === 0 ? (currentDials[v] as number) : seen.reduce((a, d) => a + d, 0) / seen.length / 100;
  });
  const healthy = Uint8Array.from(model.regions, (r, i) => {
    const h = p.healthy[r];
    return h === undefined ? (currentHealth[i] as number) : h ? 1 : 0;
  });
  const load = new Map<number, { value: number; atMs: number }>();
  for (const [region, l] of Object.entries(p.load)) {
    const i = model.regionIndex.get(region);
    if (i !== undefined) load.set(i, { value: l.value, atMs: Date.parse(l.at) });
  }
  return { atMs: Date.parse(p.at), dials, healthy, load, demand: classDemand((id) => p.demand[id]) };
}

/** K per load signal: load units per demand unit routed to the Regions that read it. */
function signalFactors(policy: Policy, regions: readonly RegionCode[], readings: ReadonlyMap<RegionCode, { value: number }>, routed: Float64Array): Map<string, number> {
  const index = new Map(regions.map((r, i) => [r, i]));
  const fit = new Map<string, { load: number; routed: number }>();
  for (const [region, reading] of readings) {
    const i = index.get(region);
    const signal = policy.regions[region]?.capacity.signal;
    if (i === undefined || signal === undefined) continue;
    const acc = fit.get(signal) ?? { load: 0, routed: 0 };
    fit.set(signal, { load: acc.load + reading.value, routed: acc.routed + (routed[i] as number) });
  }
  const total = routed.reduce((a, d) => a + d, 0);
  const out = new Map<string, number>();
  for (const [signal, f] of fit) if (f.routed > 1e-9 * Math.max(1, total) && f.load > 0) out.set(signal, f.load / f.routed);
  return out;
}

/** Health as seen this cycle, with the time of the last change ga-steer saw. */
export function trackRegionHealth(
  previous: Readonly<Record<RegionCode, RegionState>>,
  health: ReadonlyMap<RegionCode, boolean>,
  now: Date,
): Record<RegionCode, RegionState> {
  const out: Record<RegionCode, RegionState> = { ...previous };
  for (const [region, healthy] of health) {
    const before = previous[region];
    if (before === undefined) out[region] = { healthy };
    else if (before.healthy !== healthy) out[region] = { ...before, healthy, healthSince: now.toISOString() };
  }
  return out;
}

function cameBack(region: RegionCode): string {
  return `${region} came back after its last load reading: its load is predicted from demand and the routing model`;
}

function returnedAfter(region: RegionState | undefined, observedAt: string): boolean {
  return region?.healthy === true && region.healthSince !== undefined && Date.parse(observedAt) < Date.parse(region.healthSince);
}

function recentlyReturned(region: RegionState | undefined, now: Date, withinSeconds: number): boolean {
  return region?.healthy === true && region.healthSince !== undefined && now.getTime() - Date.parse(region.healthSince) <= withinSeconds * 1000;
}
