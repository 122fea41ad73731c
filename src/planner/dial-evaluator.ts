// Where demand lands for a setting of the planner's dial variables, kept incrementally: the search
// tries thousands of settings that each move one Region's groups, and only the demand classes whose
// landing a moved dial can touch are routed again. Per class it also keeps how far its users sit
// from where they would land with every dial at 100 (for the latency budget).

import { landGroup } from '../model/routing.js';
import { FloatRows } from './float-rows.js';
import type { TrafficModel } from './traffic-model.js';

/** The outcome of a trial: demand per Region and the latency sum, with the re-routed classes. */
export interface Trial {
  /** Demand units routed to each Region (demand at the decision's horizon). */
  readonly routed: Float64Array;
  /** Sum over classes of demand x the RTT its users pay where they land (model/landing-cost.ts). */
  readonly rttTotal: number;
  /** Dial fraction per variable. */
  readonly dials: Float64Array;
  /** Landing of the classes this trial re-routed, by listener * classCount + class. */
  readonly landings: ReadonlyMap<number, Float64Array>;
  /** Landing averaged over listeners of the classes this trial re-routed, by class. */
  readonly aggregates: ReadonlyMap<number, Float64Array>;
  /** Mean landing cost (ms) of the classes this trial re-routed, by listener * classCount + class. */
  readonly costs: ReadonlyMap<number, number>;
}

/** How a class sits relative to where it would land with every governed dial at 100. */
export interface MoveFromNatural {
  /** Share of the class's users landing elsewhere than with every dial at 100. */
  readonly movedShare: number;
  /** Their mean added RTT (ms); NaN when they land where the class has no RTT measured. */
  readonly addedMs: number;
}

/** A fresh evaluator's committed routing. */
interface InitialRouting {
  readonly dialByListener: readonly Float64Array[];
  readonly dialsNow: Float64Array;
  readonly cost: readonly (readonly number[])[];
  readonly landing: readonly (readonly Float64Array[])[];
  readonly aggregate: readonly Float64Array[];
  readonly naturalAggregate: readonly Float64Array[];
  readonly moves: readonly MoveFromNatural[];
  readonly routedNow: Float64Array;
  readonly rttNow: number;
}

// A decision starts several evaluators from one model (the current dials, each search start): the
// model is routed once.
const initialRouting = new WeakMap<TrafficModel, InitialRouting>();

export class DialEvaluator {
  private readonly R: number;
  private readonly C: number;
  /** Committed dial fraction per listener and Region. */
  private readonly dialByListener: Float64Array[];
  /** Committed landing per listener and class, and averaged over listeners per class. */
  private readonly landing: Float64Array[][];
  /** Committed mean landing cost (ms) per listener and class. */
  private readonly cost: number[][];
  private readonly aggregate: Float64Array[];
  private readonly naturalAggregate: readonly Float64Array[];
  private readonly moves: MoveFromNatural[];
  private routedNow: Float64Array;
  private rttNow: number;
  private dialsNow: Float64Array;
  /** Where a trial routes a class before it knows whether the landing changed, and its listener's dials. */
  private readonly scratch: Float64Array;
  private readonly dialScratch: Float64Array;
  /** Where the rows trials keep come from. */
  private readonly rows = new FloatRows();
  /** The classes a trial re-routes, and per class the trial that last queued it (each is routed once). */
  private readonly queue: Int32Array;
  private readonly queuedIn: Int32Array;
  /** Trials run so far (an evaluator runs far fewer than 2^31). */
  private trials = 0;
  /** current(), until the next commit. */
  private committed: Trial | undefined;

  constructor(readonly model: TrafficModel) {
    this.R = model.regions.length;
    this.C = model.classes.length;
    this.scratch = new Float64Array(this.R);
    this.dialScratch = new Float64Array(this.R);
    this.queue = new Int32Array(this.C);
    this.queuedIn = new Int32Array(this.C);
    const initial = initialRouting.get(model);
    if (initial !== undefined) {
      // Rows are replaced on commit, never written in place: sharing them is safe; their holders are copied.
      this.dialByListener = initial.dialByListener.map((d) => d.slice());
      this.dialsNow = initial.dialsNow;
      this.cost = initial.cost.map((row) => [...row]);
      this.landing = initial.landing.map((row) => [...row]);
      this.aggregate = [...initial.aggregate];
      this.naturalAggregate = initial.naturalAggregate;
      this.moves = [...initial.moves];
      this.routedNow = initial.routedNow;
      this.rttNow = initial.rttNow;
      return;
    }
    this.dialByListener = model.listeners.map((l) => Float64Array.from(l.dialNow));
    this.dialsNow = Float64Array.from(model.variables.map((v) => v.currentPercent / 100));
    this.cost = model.listeners.map(() => model.classes.map(() => 0));
    this.landing = model.listeners.map((l, li) =>
      model.classes.map((_, ci) => {
        const routed = this.route(li, ci, this.dialByListener[li] as Float64Array);
        (this.cost[li] as number[])[ci] = routed.cost;
        return routed.land;
      }),
    );
    this.aggregate = model.classes.map((_, ci) => this.aggregateOf(ci, (li) => this.landing[li]?.[ci] as Float64Array));
    // Where each class would land with every governed dial at 100 and today's health: the reference
    // the latency budget is measured from.
    const natural = model.listeners.map((l, li) => {
      const dial = Float64Array.from(this.dialByListener[li] as Float64Array);
      for (let r = 0; r < this.R; r += 1) if ((l.variableOf[r] as number) >= 0) dial[r] = 1;
      return model.classes.map((_, ci) => this.route(li, ci, dial).land);
    });
    this.naturalAggregate = model.classes.map((_, ci) => this.aggregateOf(ci, (li) => natural[li]?.[ci] as Float64Array));
    this.moves = model.classes.map((_, ci) => this.moveOf(ci, this.aggregate[ci] as Float64Array));
    const { routed, rtt } = this.totals();
    this.routedNow = routed;
    this.rttNow = rtt;
    initialRouting.set(model, {
      dialByListener: this.dialByListener.map((d) => d.slice()),
      dialsNow: this.dialsNow,
      cost: this.cost.map((row) => [...row]),
      landing: this.landing.map((row) => [...row]),
      aggregate: [...this.aggregate],
      naturalAggregate: this.naturalAggregate,
      moves: [...this.moves],
      routedNow: this.routedNow,
      rttNow: this.rttNow,
    });
  }

  /** The committed setting. */
  current(): Trial {
    this.committed ??= { routed: this.routedNow, rttTotal: this.rttNow, dials: this.dialsNow, landings: new Map(), aggregates: new Map(), costs: new Map() };
    return this.committed;
  }

  /** Landing of one class on one listener, in the trial if it re-routed it, else as committed. */
  landingOf(trial: Trial, listener: number, cls: number): Float64Array {
    return trial.landings.get(listener * this.C + cls) ?? (this.landing[listener]?.[cls] as Float64Array);
  }

  /** Landing of one class averaged over listeners, in the trial or as committed. */
  aggregateLandingOf(trial: Trial, cls: number): Float64Array {
    return trial.aggregates.get(cls) ?? (this.aggregate[cls] as Float64Array);
  }

  /** Where each class would land with every governed dial at 100, averaged over listeners. */
  naturalLandingOf(cls: number): Float64Array {
    return this.naturalAggregate[cls] as Float64Array;
  }

  /** How a class sits relative to its natural landing, in the trial or as committed. */
  moveFromNatural(trial: Trial, cls: number): MoveFromNatural {
    const agg = trial.aggregates.get(cls);
    return agg === undefined ? (this.moves[cls] as MoveFromNatural) : this.moveOf(cls, agg);
  }

  /** Evaluates the committed setting with some variables set to new dial fractions. */
  trial(moves: ReadonlyMap<number, number>): Trial {
    const routed = this.rows.copy(this.routedNow);
    let rttTotal = this.rttNow;
    const dials = this.rows.copy(this.dialsNow);
    const landings = new Map<number, Float64Array>();
    const aggregates = new Map<number, Float64Array>();
    const costs = new Map<number, number>();
    const byListener = new Map<number, number[]>();
    for (const [v, fraction] of moves) {
      dials[v] = fraction;
      const variable = this.model.variables[v];
      if (variable === undefined) continue;
      const list = byListener.get(variable.listener);
      if (list === undefined) byListener.set(variable.listener, [v]);
      else list.push(v);
    }
    for (const [li, vars] of byListener) {
      const listener = this.model.listeners[li];
      if (listener === undefined) continue;
      const dial = this.dialScratch;
      dial.set(this.dialByListener[li] as Float64Array);
      const moved = new Set<number>();
      for (const v of vars) {
        const variable = this.model.variables[v];
        if (variable === undefined || Math.abs((dial[variable.region] as number) - (dials[v] as number)) < 1e-12) continue;
        dial[variable.region] = dials[v] as number;
        moved.add(variable.region);
      }
      if (moved.size === 0) continue;
      const queued = this.queueReached(listener, moved);
      for (let q = 0; q < queued; q += 1) {
        const ci = this.queue[q] as number;
        const cls = this.model.classes[ci];
        if (cls === undefined) continue;
        // A class whose nearest Regions are healthy, unmoved and at 100 lands there whatever else moved.
        if (keepsAll(cls.pref.first, listener.present, listener.healthy, dial, moved)) continue;
        const before = this.landing[li]?.[ci] as Float64Array;
        const after = this.scratch.fill(0);
        const cost = landGroup(cls.pref, listener.present, dial, listener.healthy, after, cls.landingCost);
        const costBefore = this.cost[li]?.[ci] as number;
        if (cost !== costBefore) {
          rttTotal += listener.weight * cls.demandAhead * (cost - costBefore);
          costs.set(li * this.C + ci, cost);
        }
        let changed = false;
        for (let r = 0; r < this.R; r += 1) {
          const delta = (after[r] as number) - (before[r] as number);
          if (delta === 0) continue;
          if (!changed) {
            changed = true;
            if (!aggregates.has(ci)) aggregates.set(ci, this.rows.copy(this.aggregate[ci] as Float64Array));
          }
          routed[r] = (routed[r] as number) + listener.weight * cls.demandAhead * delta;
          const agg = aggregates.get(ci) as Float64Array;
          agg[r] = (agg[r] as number) + listener.weight * delta;
        }
        if (changed) landings.set(li * this.C + ci, this.rows.copy(after));
      }
    }
    return { routed, rttTotal, dials, landings, aggregates, costs };
  }

  /**
   * Puts in `queue` the classes the moved Regions reach, each once, in the order they are first
   * reached (the order a trial's sums are made in); returns how many.
   */
  private queueReached(listener: TrafficModel['listeners'][number], moved: ReadonlySet<number>): number {
    const stamp = ++this.trials;
    let n = 0;
    for (const r of moved) {
      const reach = listener.reach[r];
      if (reach === undefined) continue;
      for (let k = 0; k < reach.length; k += 1) {
        const ci = reach[k] as number;
        if (this.queuedIn[ci] === stamp) continue;
        this.queuedIn[ci] = stamp;
        this.queue[n] = ci;
        n += 1;
      }
    }
    return n;
  }

  /** Makes a trial the committed setting. */
  commit(trial: Trial): void {
    for (const [key, land] of trial.landings) {
      const li = Math.floor(key / this.C);
      const ci = key % this.C;
      const row = this.landing[li];
      if (row !== undefined) row[ci] = land;
    }
    for (const [key, cost] of trial.costs) {
      const row = this.cost[Math.floor(key / this.C)];
      if (row !== undefined) row[key % this.C] = cost;
    }
    for (const [ci, agg] of trial.aggregates) {
      this.aggregate[ci] = agg;
      this.moves[ci] = this.moveOf(ci, agg);
    }
    trial.dials.forEach((fraction, v) => {
      const variable = this.model.variables[v];
      if (variable !== undefined) (this.dialByListener[variable.listener] as Float64Array)[variable.region] = fraction;
    });
    this.routedNow = this.rows.copy(trial.routed);
    this.rttNow = trial.rttTotal;
    this.dialsNow = this.rows.copy(trial.dials);
    this.committed = undefined;
  }

  private moveOf(ci: number, agg: Float64Array): MoveFromNatural {
    const natural = this.naturalAggregate[ci] as Float64Array;
    const rtt = (this.model.classes[ci] as (typeof this.model.classes)[number]).rttMs;
    let moved = 0;
    let cost = 0;
    let known = true;
    for (let r = 0; r < this.R; r += 1) {
      const d = (agg[r] as number) - (natural[r] as number);
      if (Math.abs(d) < 1e-12) continue;
      if (d > 0) moved += d;
      const ms = rtt[r] as number;
      if (Number.isNaN(ms)) known = false;
      else cost += d * ms;
    }
    return { movedShare: moved, addedMs: moved < 1e-9 ? 0 : known ? cost / moved : Number.NaN };
  }

  private aggregateOf(ci: number, landingOn: (li: number) => Float64Array): Float64Array {
    const out = new Float64Array(this.R);
    this.model.listeners.forEach((l, li) => {
      const land = landingOn(li);
      for (let r = 0; r < this.R; r += 1) out[r] = (out[r] as number) + l.weight * (land[r] as number);
    });
    void ci;
    return out;
  }

  private route(li: number, ci: number, dial: Float64Array): { land: Float64Array; cost: number } {
    const listener = this.model.listeners[li];
    const cls = this.model.classes[ci];
    const land = new Float64Array(this.R);
    const cost = listener !== undefined && cls !== undefined ? landGroup(cls.pref, listener.present, dial, listener.healthy, land, cls.landingCost) : 0;
    return { land, cost };
  }

  private totals(): { routed: Float64Array; rtt: number } {
    const routed = new Float64Array(this.R);
    let rtt = 0;
    this.model.classes.forEach((c, ci) => {
      const agg = this.aggregate[ci] as Float64Array;
      for (let r = 0; r < this.R; r += 1) {
        const s = agg[r] as number;
        if (s !== 0) routed[r] = (routed[r] as number) + c.demandAhead * s;
      }
      this.model.listeners.forEach((l, li) => {
        rtt += l.weight * c.demandAhead * (this.cost[li]?.[ci] as number);
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
