// Where demand lands for a setting of the planner's dial variables, kept incrementally: the search
// tries thousands of settings that each move one Region's groups, and only the demand classes whose
// landing a moved dial can touch are routed again.

import { landGroup } from '../model/routing.js';
import type { TrafficModel } from './traffic-model.js';

/** The outcome of a trial: demand per Region and the latency sum, with the re-routed classes. */
export interface Trial {
  /** Demand units routed to each Region (demand at the decision's horizon). */
  readonly routed: Float64Array;
  /** Sum over classes of demand x RTT of where it lands. */
  readonly rttTotal: number;
  /** Dial fraction per variable. */
  readonly dials: Float64Array;
  /** Landing of the classes this trial re-routed, by listener * classCount + class. */
  readonly landings: ReadonlyMap<number, Float64Array>;
}

export class DialEvaluator {
  private readonly R: number;
  private readonly C: number;
  /** Committed dial fraction per listener and Region. */
  private readonly dialByListener: Float64Array[];
  /** Committed landing per listener and class. */
  private readonly landing: Float64Array[][];
  private routedNow: Float64Array;
  private rttNow: number;
  private dialsNow: Float64Array;
  readonly naturalLanding: readonly Float64Array[][];

  constructor(readonly model: TrafficModel) {
    this.R = model.regions.length;
    this.C = model.classes.length;
    this.dialByListener = model.listeners.map((l) => Float64Array.from(l.dialNow));
    this.dialsNow = Float64Array.from(model.variables.map((v) => v.currentPercent / 100));
    this.landing = model.listeners.map((l, li) => model.classes.map((_, ci) => this.route(li, ci, this.dialByListener[li] as Float64Array)));
    // Where each class would land with every governed dial at 100 and today's health: the reference
    // the latency budget is measured from.
    this.naturalLanding = model.listeners.map((l, li) => {
      const dial = Float64Array.from(this.dialByListener[li] as Float64Array);
      for (let r = 0; r < this.R; r += 1) if ((l.variableOf[r] as number) >= 0) dial[r] = 1;
      return model.classes.map((_, ci) => this.route(li, ci, dial));
    });
    const { routed, rtt } = this.totals();
    this.routedNow = routed;
    this.rttNow = rtt;
  }

  /** The committed setting. */
  current(): Trial {
    return { routed: this.routedNow, rttTotal: this.rttNow, dials: this.dialsNow, landings: new Map() };
  }

  /** Landing of one class on one listener, in the trial if it re-routed it, else as committed. */
  landingOf(trial: Trial, listener: number, cls: number): Float64Array {
    return trial.landings.get(listener * this.C + cls) ?? (this.landing[listener]?.[cls] as Float64Array);
  }

  /** Evaluates the committed setting with some variables set to new dial fractions. */
  trial(moves: ReadonlyMap<number, number>): Trial {
    const routed = Float64Array.from(this.routedNow);
    let rttTotal = this.rttNow;
    const dials = Float64Array.from(this.dialsNow);
    const landings = new Map<number, Float64Array>();
    const byListener = new Map<number, number[]>();
    for (const [v, fraction] of moves) {
      dials[v] = fraction;
      const variable = this.model.variables[v];
      if (variable === undefined) continue;
      byListener.set(variable.listener, [...(byListener.get(variable.listener) ?? []), v]);
    }
    for (const [li, vars] of byListener) {
      const listener = this.model.listeners[li];
      if (listener === undefined) continue;
      const dial = Float64Array.from(this.dialByListener[li] as Float64Array);
      const moved = new Set<number>();
      for (const v of vars) {
        const variable = this.model.variables[v] as (typeof this.model.variables)[number];
        if (Math.abs((dial[variable.region] as number) - (dials[v] as number)) < 1e-12) continue;
        dial[variable.region] = dials[v] as number;
        moved.add(variable.region);
      }
      if (moved.size === 0) continue;
      const affected = new Set<number>();
      for (const r of moved) for (const ci of listener.reach[r] ?? []) affected.add(ci);
      for (const ci of affected) {
        const cls = this.model.classes[ci];
        if (cls === undefined) continue;
        // A class whose nearest Regions are healthy, unmoved and at 100 lands there whatever else moved.
        if (keepsAll(cls.pref.first, listener.present, listener.healthy, dial, moved)) continue;
        const before = this.landing[li]?.[ci] as Float64Array;
        const after = this.route(li, ci, dial);
        let changed = false;
        for (let r = 0; r < this.R; r += 1) {
          const delta = (after[r] as number) - (before[r] as number);
          if (delta === 0) continue;
          changed = true;
          routed[r] = (routed[r] as number) + listener.weight * cls.demandAhead * delta;
          rttTotal += listener.weight * delta * (cls.rttWeighted[r] as number);
        }
        if (changed) landings.set(li * this.C + ci, after);
      }
    }
    return { routed, rttTotal, dials, landings };
  }

  /** Makes a trial the committed setting. */
  commit(trial: Trial): void {
    for (const [key, land] of trial.landings) {
      const li = Math.floor(key / this.C);
      const ci = key % this.C;
      const row = this.landing[li];
      if (row !== undefined) row[ci] = land;
    }
    trial.dials.forEach((fraction, v) => {
      const variable = this.model.variables[v];
      if (variable !== undefined) (this.dialByListener[variable.listener] as Float64Array)[variable.region] = fraction;
    });
    this.routedNow = Float64Array.from(trial.routed);
    this.rttNow = trial.rttTotal;
    this.dialsNow = Float64Array.from(trial.dials);
  }

  private route(li: number, ci: number, dial: Float64Array): Float64Array {
    const listener = this.model.listeners[li];
    const cls = this.model.classes[ci];
    const out = new Float64Array(this.R);
    if (listener !== undefined && cls !== undefined) landGroup(cls.pref, listener.present, dial, listener.healthy, out);
    return out;
  }

  private totals(): { routed: Float64Array; rtt: number } {
    const routed = new Float64Array(this.R);
    let rtt = 0;
    this.model.listeners.forEach((l, li) => {
      this.model.classes.forEach((c, ci) => {
        const land = this.landing[li]?.[ci] as Float64Array;
        for (let r = 0; r < this.R; r += 1) {
          const s = land[r] as number;
          if (s === 0) continue;
          routed[r] = (routed[r] as number) + l.weight * c.demandAhead * s;
          rtt += l.weight * s * (c.rttWeighted[r] as number);
        }
      });
    });
    return { routed, rtt };
  }
}

function keepsAll(first: ArrayLike<number>, present: Uint8Array, healthy: Uint8Array, dial: Float64Array, moved: ReadonlySet<number>): boolean {
  for (let s = 0; s < first.length; s += 1) {
    if ((first[s] as number) <= 0 || present[s] !== 1) continue;
    if (healthy[s] !== 1 || moved.has(s) || (dial[s] as number) < 1) return false;
  }
  return true;
}
