// Fits the routing model to what the Regions measured over the last cycles.
//
// A load reading taken at time t counts the flows alive then. Flows start at the dials of their time
// and end with a mean lifetime tau, so the reading describes a mix of the recent dial settings: with
// steady demand a setting live over (a, b] weighs e^-(t-b)/tau - e^-(t-a)/tau; a rise in demand
// arrives at once, under the setting of its window. Readings are minutes old, and after a dial change
// or a Region's return the load moves at the pace flows renew; both show in that mix.
//
// The fit finds, per Region s, the scale of the demand of the client groups nearest to s (the model's
// errors are errors of attribution: a country whose users reach Frankfurt although its probes rank
// Dublin first), such that the mixed, scaled routing reproduces the readings of the last cycles
// (least squares on relative errors, multiplicative updates, recent cycles weighing more). tau moves
// on a grid, at most one step per cycle, to the neighbour that explains the readings clearly better;
// while the readings carry no transition to learn it from, the last estimate stands.
//
// Flows on a Region that fails are cut and reconnect at once (GA's failover), so in the mix a Region
// that is down at the reading's time is down in every earlier setting too; a Region that came back
// fills up at the pace flows renew.

import { landGroup } from '../model/routing.js';
import { copyFloatRow, takeFloatRow } from '../model/row-blocks.js';
import type { CyclePoint } from './controller-state.js';
import { withFirst, type TrafficModel } from './traffic-model.js';

export const DEFAULT_FLOW_LIFETIME_SECONDS = 300;
/**
 * Where spill goes: the share that follows the backbone from the Region it leaves (the rest follows the
 * group's own RTT ranking). Users reach Regions from their edge, which is near that Region for most of
 * them but not all; the readings say how much. Half and half until they do.
 */
export const DEFAULT_SPILL_MIX = 0.5;
const SPILL_MIX_GRID = [0, 0.5, 1] as const;
const LIFETIME_GRID_SECONDS = [60, 120, 180, 300, 480, 720, 1200, 1800] as const;
/** Past the grid's end: never an estimate, only where the fit is asked whether it keeps improving (turnsWithinGrid). */
const LONGER_THAN_GRID_SECONDS = 3600;
/**
 * A shorter lifetime or another spill mix must explain the readings this much better than the last
 * estimate to replace it: predictions that jump with every cycle's noise would move dials for nothing.
 */
const LIFETIME_EVIDENCE = 0.2;
/**
 * A longer lifetime must explain them this much better: what the fit gets wrong mostly reads as flows
 * slow to leave (load the model gives to users a dial does not move stays put, and a longer lifetime
 * explains that), and the two errors cost differently. A lifetime too long makes the planner wait for
 * relief that does not come (it reads the load still there as old flows about to leave); one too short
 * makes it cut deeper than needed and give back later.
 */
const LONGER_LIFETIME_EVIDENCE = 0.5;
/** Scales move only part of the way to each cycle's fit, for the same reason. */
const SCALE_LEARNING_RATE = 0.5;
const RECENCY_HALF_LIFE_SECONDS = 600;
const MIN_SCALE = 0.25;
const MAX_SCALE = 4;
const FIT_ITERATIONS = 60;

/** One cycle as the fit sees it: when, the dials and health live just before, readings, demand. */
export interface FitCycle {
  readonly atMs: number;
  /** Dial fraction per model variable. */
  readonly dials: Float64Array;
  /** Health per Region index (1 healthy). */
  readonly healthy: Uint8Array;
  /** Load reading per Region index, in demand units (already divided by K); NaN where none is usable. */
  readonly target: Float64Array;
  /** When each reading was taken (ms); NaN where none. */
  readonly readingAtMs: Float64Array;
  /** Demand per class (unscaled, as measured then). */
  readonly classDemand: Float64Array;
}

export interface LoadFit {
  /** Demand scale per Region index. */
  readonly scale: Float64Array;
  /** Per Region index: (reading - fitted) for its latest reading fitted, as a share of all demand; NaN without one. */
  readonly residualShare: Float64Array;
  readonly flowLifetimeSeconds: number;
  /** Whether the readings carried enough movement to estimate the lifetime this cycle. */
  readonly lifetimeLearnt: boolean;
  readonly spillMix: number;
  /** Regions with at least one reading in the fit. */
  readonly fitted: Uint8Array;
}

/**
 * `cycles`: oldest first; the last one is the current cycle. `startScale`: the scales remembered.
 * `known`: the settings this decision has routed already (routeBySource).
 */
export function fitLoadModel(
  model: TrafficModel,
  cycles: readonly FitCycle[],
  startScale: Float64Array,
  previousLifetimeSeconds: number | undefined,
  previousSpillMix: number | undefined,
  known: RoutedSettings = new Map(),
): LoadFit {
  const R = model.regions.length;
  const C = model.classes.length;
  const newest = cycles[cycles.length - 1];
  const fitted = new Uint8Array(R);
  for (const cycle of cycles) for (let r = 0; r < R; r += 1) if (!Number.isNaN(cycle.target[r] as number)) fitted[r] = 1;
  if (newest === undefined) {
    return {
      scale: Float64Array.from(startScale),
      residualShare: new Float64Array(R).fill(Number.NaN),
      flowLifetimeSeconds: previousLifetimeSeconds ?? DEFAULT_FLOW_LIFETIME_SECONDS,
      lifetimeLearnt: false,
      spillMix: previousSpillMix ?? DEFAULT_SPILL_MIX,
      fitted,
    };
  }

  // Each distinct setting, routed once (`known` keeps them): landing per class averaged over listeners.
  let mix = previousSpillMix ?? DEFAULT_SPILL_MIX;
  const routeOf = (dials: Float64Array, healthy: Uint8Array): SourceRoute[][] => routeBySource(model, dials, healthy, mix, known);

  // Per observed cycle: the settings in its mix and their (a, b] windows.
  const observed = cycles.filter((c) => c.target.some((x) => !Number.isNaN(x)));
  // Each observed cycle's mix, per lifetime and spill mix, worked out once: the chosen lifetime's is
  // asked for again for the residuals (read only, never written).
  const mixes = new Map<string, Float64Array>();
  const mixedOf = (m: number, tauSeconds: number): Float64Array => {
    const key = `${m}|${tauSeconds}|${mix}`;
    let X = mixes.get(key);
    if (X === undefined) {
      X = mixedRouting(observed[m] as FitCycle, cycles, tauSeconds, routeOf, R, C);
      mixes.set(key, X);
    }
    return X;
  };
  const nowMs = newest.atMs;
  const evaluateLifetime = (tauSeconds: number): { scale: Float64Array; error: number; fittedNewest: Float64Array } => {
    // X[m]: demand of classes nearest s landing in r (at r * R + s), mixed for cycle m's readings.
    const X: Float64Array[] = [];
    for (let m = 0; m < observed.length; m += 1) X.push(mixedOf(m, tauSeconds));
    const weight = Float64Array.from(observed, (cycle) => Math.pow(0.5, (nowMs - cycle.atMs) / 1000 / RECENCY_HALF_LIFE_SECONDS));
    const scale = Float64Array.from(startScale);
    fitScales(observed, X, weight, scale, R);
    let error = 0;
    for (let m = 0; m < observed.length; m += 1) {
      const target = (observed[m] as FitCycle).target;
      for (let r = 0; r < R; r += 1) {
        const b = target[r] as number;
        if (Number.isNaN(b)) continue;
        error += ((weight[m] as number) * (b - predicted(X[m] as Float64Array, r, scale, R)) ** 2) / Math.max(b, 1e-9) ** 2;
      }
    }
    const m = observed.indexOf(newest);
    const fittedNewest = Float64Array.from({ length: R }, (_, r) => (m >= 0 ? predicted(X[m] as Float64Array, r, scale, R) : Number.NaN));
    return { scale, error, fittedNewest };
  };

  const previous = previousLifetimeSeconds ?? DEFAULT_FLOW_LIFETIME_SECONDS;
  const previousMix = mix;
  // Each Region's latest reading as a scale predicts it, at the chosen lifetime and mix: from the newest
  // cycle that has one (a reading left out of the newest, across a health change, leaves an older one).
  const latestFitted = (scale: Float64Array): { predicted: Float64Array; reading: Float64Array; demand: Float64Array } => {
    const predictedAt = new Float64Array(R).fill(Number.NaN);
    const reading = new Float64Array(R).fill(Number.NaN);
    const demand = new Float64Array(R).fill(Number.NaN);
    for (let m = observed.length - 1; m >= 0; m -= 1) {
      const cycle = observed[m] as FitCycle;
      const open = Array.from({ length: R }, (_, r) => Number.isNaN(reading[r] as number) && !Number.isNaN(cycle.target[r] as number));
      if (!open.some(Boolean)) continue;
      const X = mixedOf(m, best.tau);
      const total = cycle.classDemand.reduce((a, d) => a + d, 0);
      for (let r = 0; r < R; r += 1) {
        if (!open[r]) continue;
        predictedAt[r] = predicted(X, r, scale, R);
        reading[r] = cycle.target[r] as number;
        demand[r] = total;
      }
    }
    return { predicted: predictedAt, reading, demand };
  };
  const atPrevious = evaluateLifetime(previous);
  let best = { tau: previous, ...atPrevious };
  let learnt = false;
  if (hasTransition(cycles)) {
    // Where spill goes, then how fast flows renew: each must explain the readings clearly better than
    // the last estimate to replace it (noise should not walk the estimates around).
    let bestMix = previousMix;
    for (const m of SPILL_MIX_GRID) {
      if (m === previousMix) continue;
      mix = m;
      const e = evaluateLifetime(previous);
      if (e.error < best.error * (1 - LIFETIME_EVIDENCE)) {
        best = { tau: previous, ...e };
        bestMix = m;
      }
    }
    mix = bestMix;
    const atMix = best;
    // One grid step at a time: a lifetime is confounded with everything else the fit gets wrong in a
    // single window (a ramp, a misattributed country), so an estimate moves only as the evidence keeps
    // pointing the same way, never from one end of the grid to the other in a cycle; longer only on
    // stronger evidence, and only towards a lifetime the readings single out (turnsWithinGrid).
    const at = nearestGridIndex(previous);
    let step = 0;
    for (const direction of [-1, 1]) {
      const tau = LIFETIME_GRID_SECONDS[at + direction];
      if (tau === undefined || tau === previous) continue;
      const e = evaluateLifetime(tau);
      const evidence = direction > 0 ? LONGER_LIFETIME_EVIDENCE : LIFETIME_EVIDENCE;
      if (e.error < best.error && e.error <= atMix.error * (1 - evidence)) {
        best = { tau, ...e };
        step = direction;
      }
    }
    if (step > 0 && !turnsWithinGrid(at + step, best.error, evaluateLifetime)) best = atMix;
    learnt = best.tau !== previous || mix !== previousMix;
  }
  // Move the scales part of the way from where they were; the residual then covers what is left.
  const scale = Float64Array.from(best.scale, (x, r) => {
    const before = startScale[r] as number;
    return fitted[r] === 1 ? before * Math.pow(x / before, SCALE_LEARNING_RATE) : x;
  });
  const latest = latestFitted(scale);
  const residualShare = Float64Array.from({ length: R }, (_, r) => {
    const b = latest.reading[r] as number;
    const p = latest.predicted[r] as number;
    const total = latest.demand[r] as number;
    return Number.isNaN(b) || Number.isNaN(p) || !(total > 0) ? Number.NaN : Math.max(-1, Math.min(1, (b - p) / total));
  });
  return { scale, residualShare, flowLifetimeSeconds: best.tau, lifetimeLearnt: learnt, spillMix: mix, fitted };
}

/**
 * The multiplicative updates of the scales (in place), from the observed cycles' readings and their
 * mixes X[m] (see evaluateLifetime). A function of its own, on flat arrays: it loops FIT_ITERATIONS
 * times over every Region pair, in every decision, first in V8's slower tiers.
 */
function fitScales(observed: readonly FitCycle[], X: readonly Float64Array[], weight: Float64Array, scale: Float64Array, R: number): void {
  // Reused by every iteration (zeroed at its start): a new pair each would be two allocations outside the heap.
  const num = new Float64Array(R);
  const den = new Float64Array(R);
  for (let it = 0; it < FIT_ITERATIONS; it += 1) {
    num.fill(0);
    den.fill(0);
    for (let m = 0; m < observed.length; m += 1) {
      const target = (observed[m] as FitCycle).target;
      const mixed = X[m] as Float64Array;
      const wm = weight[m] as number;
      for (let r = 0; r < R; r += 1) {
        const b = target[r] as number;
        if (Number.isNaN(b)) continue;
        const w = wm / Math.max(b, 1e-9) ** 2;
        const p = predicted(mixed, r, scale, R);
        const row = r * R;
        for (let s = 0; s < R; s += 1) {
          const x = mixed[row + s] as number;
          if (x === 0) continue;
          num[s] = (num[s] as number) + w * x * b;
          den[s] = (den[s] as number) + w * x * p;
        }
      }
    }
    let moved = false;
    for (let s = 0; s < R; s += 1) {
      if ((den[s] as number) <= 1e-12) continue;
      const next = Math.min(MAX_SCALE, Math.max(MIN_SCALE, (scale[s] as number) * ((num[s] as number) / (den[s] as number))));
      if (next !== scale[s]) moved = true;
      scale[s] = next;
    }
    // Scales that did not move by a bit give the same update again: every later iteration would too.
    if (!moved) break;
  }
}

/** The load the scales predict for Region r from a cycle's mix (flat, row r at r * R). */
function predicted(mixed: Float64Array, r: number, scale: Float64Array, R: number): number {
  let p = 0;
  const row = r * R;
  for (let s = 0; s < R; s += 1) p += (scale[s] as number) * (mixed[row + s] as number);
  return p;
}

/**
 * X[r * R + s] for one cycle's readings: demand starting at s (that cycle's demand) landing in r, mixed over
 * the settings live before. The flows alive at a reading started under the settings of their time:
 * each window's arrivals replace the flows that ended in it and add what demand grew by (demand counts
 * the flows alive, so a rise arrives all at once, under the dials of its window), and they end at the
 * lifetime's pace. A class's mix is worked out from its own demand over the windows.
 */
function mixedRouting(
  cycle: FitCycle,
  cycles: readonly FitCycle[],
  tauSeconds: number,
  routeOf: (dials: Float64Array, healthy: Uint8Array) => SourceRoute[][],
  R: number,
  C: number,
): Float64Array {
  const X = new Float64Array(R * R);
  // Per cycle in the mix, its routing with the health at this cycle's readings: the same for every
  // Region read, so looked up once (the lookup builds a key of every dial).
  const routedFor: (SourceRoute[][] | undefined)[] = [];
  const done = new Uint8Array(R);
  for (let r = 0; r < R; r += 1) {
    const at = cycle.readingAtMs[r] as number;
    if (Number.isNaN(at) || done[r] === 1) continue;
    // Regions read at the same time (one fetch) share the windows and each class's mix: worked out once for all of them.
    const sameTime: number[] = [];
    for (let o = r; o < R; o += 1) {
      if (cycle.readingAtMs[o] !== at) continue;
      sameTime.push(o);
      done[o] = 1;
    }
    // The settings live before the reading, newest first: cycle k's dials were live over (t[k-1], t[k]];
    // the oldest known setting reaches back indefinitely, the newest forward to the reading. Windows
    // go back until the flows that started earlier are all but gone.
    const windows: { k: number; cycle: FitCycle; endMs: number }[] = [];
    let upper = at;
    let covered = 0;
    for (let k = cycles.length - 1; k >= 0 && covered < 0.999; k -= 1) {
      const c = cycles[k] as FitCycle;
      const from = k > 0 ? (cycles[k - 1] as FitCycle).atMs : Number.NEGATIVE_INFINITY;
      if (from >= upper) continue;
      const to = Math.min(upper, k === cycles.length - 1 ? Math.max(c.atMs, at) : c.atMs);
      covered += Math.exp(-(at - to) / 1000 / tauSeconds) - (from === Number.NEGATIVE_INFINITY ? 0 : Math.exp(-(at - from) / 1000 / tauSeconds));
      upper = from;
      windows.push({ k, cycle: c, endMs: to });
    }
    windows.reverse();
    const W = windows.length;
    // A loop, not map: an array built by map changed shape once V8 optimised its caller, and the code reading it was thrown away.
    const routed: SourceRoute[][][] = [];
    for (const w of windows) {
      let known = routedFor[w.k];
      if (known === undefined) {
        // Flows on a Region that is down when the reading is taken were cut at its failure.
        known = routeOf(w.cycle.dials, Uint8Array.from(w.cycle.healthy, (h, i) => (h === 1 && cycle.healthy[i] === 1 ? 1 : 0)));
        routedFor[w.k] = known;
      }
      routed.push(known);
    }
    // Per window, the share of the flows alive at its start still alive at its end.
    const survive = Float64Array.from(windows, (w, j) => (j === 0 ? 1 : Math.exp(-(w.endMs - (windows[j - 1] as (typeof windows)[number]).endMs) / 1000 / tauSeconds)));
    const alive = new Float64Array(W);
    for (let ci = 0; ci < C; ci += 1) {
      const d = cycle.classDemand[ci] as number;
      if (d === 0) continue;
      // Oldest window first: everything alive then started under its setting.
      alive.fill(0);
      alive[0] = windows[0]?.cycle.classDemand[ci] as number;
      let total = alive[0] as number;
      for (let j = 1; j < W; j += 1) {
        const kept = survive[j] as number;
        total = 0;
        for (let i = 0; i < j; i += 1) {
          alive[i] = (alive[i] as number) * kept;
          total += alive[i] as number;
        }
        const arrivals = Math.max(0, ((windows[j] as (typeof windows)[number]).cycle.classDemand[ci] as number) - total);
        alive[j] = arrivals;
        total += arrivals;
      }
      if (!(total > 0)) continue;
      for (let j = 0; j < W; j += 1) {
        const w = (alive[j] as number) / total;
        if (w <= 1e-6) continue;
        const routes = (routed[j] as SourceRoute[][])[ci];
        if (routes === undefined) continue;
        for (let m = 0; m < sameTime.length; m += 1) {
          const read = sameTime[m] as number;
          const row = read * R;
          for (let k = 0; k < routes.length; k += 1) {
            const src = routes[k] as SourceRoute;
            X[row + src.source] = (X[row + src.source] as number) + w * d * src.share * (src.landing[read] as number);
          }
        }
      }
    }
  }
  return X;
}

/**
 * Whether the readings single out a longer lifetime from grid index `from` on: one from there to the
 * end of the grid explains them clearly better than one past its end. Where the fit keeps improving
 * all the way past the end, it is absorbing something other than the flows' lifetime (load the model
 * gives to users a dial does not move stays put, and the longest lifetime explains that best), and
 * the estimate stays where it was. Worked out from the nearest lifetime on, stopping at the first that
 * beats the one past the end (`errorAtFrom`: the error at `from`). Shorter lifetimes are not asked
 * this: a fit that keeps improving towards the grid's short end is also what flows shorter than a
 * cycle look like, and the test would hold those at the default.
 */
function turnsWithinGrid(from: number, errorAtFrom: number, evaluate: (tauSeconds: number) => { error: number }): boolean {
  // Clearly better, as a new estimate must be: a plateau out to the end is no turn.
  const beyond = evaluate(LONGER_THAN_GRID_SECONDS).error * (1 - LIFETIME_EVIDENCE);
  if (errorAtFrom < beyond) return true;
  for (let i = from + 1; i < LIFETIME_GRID_SECONDS.length; i += 1) {
    if (evaluate(LIFETIME_GRID_SECONDS[i] as number).error < beyond) return true;
  }
  return false;
}

function nearestGridIndex(tauSeconds: number): number {
  let best = 0;
  LIFETIME_GRID_SECONDS.forEach((t, i) => {
    if (Math.abs(Math.log(t / tauSeconds)) < Math.abs(Math.log((LIFETIME_GRID_SECONDS[best] as number) / tauSeconds))) best = i;
  });
  return best;
}

/** Whether any dial or health changed within the cycles: only then do readings tell the flows' lifetime. */
function hasTransition(cycles: readonly FitCycle[]): boolean {
  for (let k = 1; k < cycles.length; k += 1) {
    const a = cycles[k - 1] as FitCycle;
    const b = cycles[k] as FitCycle;
    if (a.dials.some((d, i) => Math.abs(d - (b.dials[i] as number)) > 1e-9)) return true;
    if (a.healthy.some((h, i) => h !== b.healthy[i])) return true;
  }
  return false;
}

/** Where the users of a class who start at one Region land, averaged over listeners. */
export interface SourceRoute {
  readonly source: number;
  /** Share of the class's (measured) users who start there. */
  readonly share: number;
  readonly landing: Float64Array;
}

/** A SourceRoute as a class instance, not a literal: see TrialOf in dial-evaluator.ts. */
class Route implements SourceRoute {
  constructor(
    readonly source: number,
    readonly share: number,
    readonly landing: Float64Array,
  ) {}
}

/**
 * The settings of one model routed so far, by setting: a decision asks for the same setting several
 * times (the load basis's cycles, the fit), and routes each once. The decision holds it and drops it
 * with the model: a module-level WeakMap keyed by the model kept every decision's routes alive through
 * V8's scavenges (they hold a WeakMap's values whatever their keys) and promoted them.
 */
export type RoutedSettings = Map<string, SourceRoute[][]>;

/** Per class, its users by the Region they start at, and where each part lands for a setting of the variables and Region health. */
export function routeBySource(model: TrafficModel, dials: Float64Array, healthyRegion: Uint8Array, spillMix: number, known: RoutedSettings): SourceRoute[][] {
  const key = `${spillMix}|${dials.join(',')}|${healthyRegion.join('')}`;
  let routed = known.get(key);
  if (routed === undefined) {
    routed = routeSetting(model, dials, healthyRegion, spillMix);
    known.set(key, routed);
  }
  return routed;
}

function routeSetting(model: TrafficModel, dials: Float64Array, healthyRegion: Uint8Array, spillMix: number): SourceRoute[][] {
  const R = model.regions.length;
  const listeners = model.listeners.map((l) => {
    const dial = Float64Array.from(l.dialNow);
    for (let r = 0; r < R; r += 1) {
      const v = l.variableOf[r] as number;
      if (v >= 0) dial[r] = dials[v] as number;
    }
    // A Region's health as a whole changed: every listener's group follows it; otherwise each group's own.
    const healthy = Uint8Array.from(l.healthy, (h, r) => {
      if (healthyRegion[r] !== 1) return 0;
      // Healthy then though down now: its groups were serving then.
      return h === 1 || (l.present[r] === 1 && !anyListenerHealthy(model, r)) ? 1 : 0;
    });
    return { l, dial, healthy };
  });
  const scratch = new Float64Array(R);
  // All of one class's users start at s: the same row for every class.
  const startAt: (Float64Array | undefined)[] = [];
  return model.classes.map((c) => {
    const routes: SourceRoute[] = [];
    for (let s = 0; s < R; s += 1) {
      const share = c.measuredFirst[s] as number;
      if (share <= 0) continue;
      let first = startAt[s];
      if (first === undefined) {
        first = takeFloatRow(R);
        first[s] = 1;
        startAt[s] = first;
      }
      const pref = withFirst(c.pref, first, spillMix);
      const landing = takeFloatRow(R);
      for (const { l, dial, healthy } of listeners) {
        scratch.fill(0);
        landGroup(pref, l.present, dial, healthy, scratch);
        for (let r = 0; r < R; r += 1) landing[r] = (landing[r] as number) + l.weight * (scratch[r] as number);
      }
      routes.push(new Route(s, share, landing));
    }
    return routes;
  });
}

/** Demand units routed to each Region: classes' demand over their routes. */
export function routedDemand(routes: readonly SourceRoute[][], classDemand: Float64Array, R: number): Float64Array {
  const out = new Float64Array(R);
  routes.forEach((rs, ci) => {
    const d = classDemand[ci] as number;
    if (d === 0) return;
    for (const src of rs) for (let r = 0; r < R; r += 1) out[r] = (out[r] as number) + d * src.share * (src.landing[r] as number);
  });
  return out;
}

function anyListenerHealthy(model: TrafficModel, r: number): boolean {
  return model.listeners.some((l) => l.healthy[r] === 1);
}
