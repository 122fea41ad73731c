// Where demand lands for a setting of the planner's dial variables, kept incrementally: the search
// tries thousands of settings that each move one Region's groups, and only the demand classes whose
// landing a moved dial can touch are routed again. Per class it also keeps how far its users sit
// from where they would land with every dial at 100 (for the latency budget).

import { landGroup, preferenceSupport, type PreferenceSupport } from '../model/routing.js';
import { copyFloatRow, copyIntRow, takeFloatRow, takeIntRow } from '../model/row-blocks.js';
import type { TrafficModel } from './traffic-model.js';

/**
 * The outcome of a trial: demand per Region and the latency sum, with the re-routed classes. Its
 * re-routed rows stay in the evaluator's scratch arrays until its next trial: a trial held past that
 * must be kept (DialEvaluator.keep), and reading one that was not throws.
 */
export interface Trial {
  /** Demand units routed to each Region (demand at the decision's horizon). */
  readonly routed: Float64Array;
  /** Sum over classes of demand x the RTT its users pay where they land (model/landing-cost.ts). */
  readonly rttTotal: number;
  /** Dial fraction per variable. */
  readonly dials: Float64Array;
  /** The classes this trial re-routed, read through the evaluator that made it. */
  readonly rerouted: Rerouted;
}

/**
 * What a trial changed, packed: row k (a number per Region, at k * R) of `landings` for each
 * (listener, class) whose landing changed, and of `aggregates` for each class whose landing averaged
 * over listeners changed, with their keys in typed arrays and counts, not maps: a trial holds a few dozen
 * rows and is read rarely.
 * Most trials are scored and dropped: their rows are packed into arrays of their own only when kept.
 */
export interface Rerouted {
  /** Per row of `landings`: listener * classCount + class. */
  readonly landingKeys: Int32Array;
  readonly landingCount: number;
  readonly landings: Float64Array;
  /** Per row of `aggregates`: the class. */
  readonly aggregateClasses: Int32Array;
  readonly aggregateCount: number;
  readonly aggregates: Float64Array;
  /** Mean landing costs (ms) that changed, by listener * classCount + class. */
  readonly costKeys: Int32Array;
  readonly costValues: Float64Array;
  readonly costCount: number;
  /** The evaluator whose scratch arrays `landings` and `aggregates` are, and the trial's count there; none once packed. */
  readonly scratchOf: DialEvaluator | undefined;
  readonly stamp: number;
}

const NOTHING_REROUTED: Rerouted = {
  landingKeys: new Int32Array(0),
  landingCount: 0,
  landings: new Float64Array(0),
  aggregateClasses: new Int32Array(0),
  aggregateCount: 0,
  aggregates: new Float64Array(0),
  costKeys: new Int32Array(0),
  costValues: new Float64Array(0),
  costCount: 0,
  scratchOf: undefined,
  stamp: 0,
};

/**
 * Trials and their re-routed rows are class instances, not object literals: V8 may allocate a literal
 * site's objects straight in the old generation once enough of them outlive a scavenge (the search
 * keeps some trials), and an old trial then keeps its young rows alive through every scavenge until a
 * full collection. A class has no such site.
 */
class TrialOf implements Trial {
  constructor(
    readonly routed: Float64Array,
    readonly rttTotal: number,
    readonly dials: Float64Array,
    readonly rerouted: Rerouted,
  ) {}
}

class ReroutedRows implements Rerouted {
  constructor(
    readonly landingKeys: Int32Array,
    readonly landingCount: number,
    readonly landings: Float64Array,
    readonly aggregateClasses: Int32Array,
    readonly aggregateCount: number,
    readonly aggregates: Float64Array,
    readonly costKeys: Int32Array,
    readonly costValues: Float64Array,
    readonly costCount: number,
    readonly scratchOf: DialEvaluator | undefined,
    readonly stamp: number,
  ) {}
}

/** How a class sits relative to where it would land with every governed dial at 100. */
export interface MoveFromNatural {
  /** Share of the class's users landing elsewhere than with every dial at 100. */
  readonly movedShare: number;
  /** Their mean added RTT (ms); NaN when they land where the class has no RTT measured. */
  readonly addedMs: number;
}

/** A fresh evaluator's committed routing (flat rows, see DialEvaluator). */
interface InitialRouting {
  readonly dialByListener: readonly Float64Array[];
  readonly dialsNow: Float64Array;
  readonly cost: Float64Array;
  readonly landing: Float64Array;
  readonly aggregate: Float64Array;
  readonly naturalAggregate: Float64Array;
  readonly moves: readonly MoveFromNatural[];
  readonly routedNow: Float64Array;
  readonly rttNow: number;
  readonly supports: readonly PreferenceSupport[];
  readonly starterAt: readonly Int32Array[];
  readonly starters: readonly Int32Array[];
}

// Rows of one number per Region live packed in flat arrays (row k at k * R): a Float64Array of its own
// per row costs an allocation outside the JavaScript heap, and a trial keeps a few dozen rows.
export class DialEvaluator {
  private readonly R: number;
  private readonly C: number;
  /** Committed dial fraction per listener and Region. */
  private readonly dialByListener: Float64Array[];
  /** Committed landing per listener and class (row listener * C + class). */
  private readonly landing: Float64Array;
  /** Committed mean landing cost (ms) per listener and class (listener * C + class). */
  private readonly cost: Float64Array;
  /** Committed landing averaged over listeners per class (row class), and where it would be with every governed dial at 100. */
  private readonly aggregate: Float64Array;
  private readonly naturalAggregate: Float64Array;
  private readonly moves: MoveFromNatural[];
  /** Per class, where its weights are not 0 (the Regions routing it visits). */
  private readonly supports: readonly PreferenceSupport[];
  private routedNow: Float64Array;
  private rttNow: number;
  private dialsNow: Float64Array;
  /** Where a trial routes a class before it knows whether the landing changed, and its listener's dials. */
  private readonly scratch: Float64Array;
  private readonly dialScratch: Float64Array;
  /** The last trial's changed rows and their keys (copied into arrays of their own only if it is kept). */
  private readonly landingScratch: Float64Array;
  private readonly landingRows: Float64Array[] = [];
  private readonly aggregateScratch: Float64Array;
  private readonly landingKeysScratch: Int32Array;
  private readonly aggregateClassesScratch: Int32Array;
  private readonly costKeysScratch: Int32Array;
  private readonly costValuesScratch: Float64Array;
  /** The classes a trial re-routes on one listener, and per class the queue that last held it (each is routed once per listener). */
  private readonly queue: Int32Array;
  private readonly queuedIn: Int32Array;
  /** A trial's moves as arrays (trial() reads its map into them), the listeners it moves in the order first named, and the Regions moved on one listener. */
  private moveVars: Int32Array;
  private moveFractions: Float64Array;
  private readonly listenersMoved: Int32Array;
  private readonly listenerMovedIn: Int32Array;
  private readonly regionsMoved: Int32Array;
  /**
   * Per listener and class (listener * C + class): how many of the Regions its users start at (present
   * on the listener) are unhealthy or below 100 at the committed dials; stale after a commit. A class
   * with none, and none moved, lands where it did whatever else moved.
   */
  private readonly blockedStarts: Int32Array;
  private blockedStale = true;
  /** Per listener, the classes whose users start at each Region (present there): Region r's at starterAt[r] to starterAt[r + 1] of starters. */
  private readonly starterAt: readonly Int32Array[];
  private readonly starters: readonly Int32Array[];
  /** Per class, the last (listener, trial) mark that found it starting at a moved Region. */
  private readonly startsMovedIn: Int32Array;
  private marks = 0;
  /** Per class, the trial (by count) that last gave it a row of averages, and that row's offset. */
  private readonly averagedIn: Int32Array;
  private readonly averagedAt: Int32Array;
  /**
   * Per class, its row in the aggregates of `indexed` (the trial last asked about), valid where
   * rowIndexedIn holds indexStamp: the latency budget asks about every class of one trial in turn.
   */
  private indexed: Rerouted | undefined;
  private indexStamp = 0;
  private readonly rowIndexedIn: Int32Array;
  private readonly rowIndex: Int32Array;
  /** Trials, and listeners queued by trials, so far (an evaluator runs far fewer than 2^31). */
  private trials = 0;
  private queues = 0;
  /** current(), until the next commit. */
  private committed: Trial | undefined;
  /** The model's routing before any commit: what an evaluator started from this one copies. */
  private readonly initial: InitialRouting;

  /**
   * An evaluator at the model's own dials. A decision starts several from one model (the current dials,
   * each search start): `startFrom`, an evaluator of the same model, lends its routing of the model
   * (worked out when it was made), which is then not routed again. Handed over, not kept in a
   * module-level WeakMap keyed by the model: V8's scavenges hold a WeakMap's values alive whatever
   * their keys, so every decision's routing was copied and promoted to the old generation.
   */
  constructor(readonly model: TrafficModel, startFrom?: DialEvaluator) {
    const R = model.regions.length;
    const C = model.classes.length;
    const L = model.listeners.length;
    this.R = R;
    this.C = C;
    this.scratch = takeFloatRow(R);
    this.dialScratch = takeFloatRow(R);
    this.landingScratch = takeFloatRow(L * C * R);
    this.aggregateScratch = takeFloatRow(C * R);
    this.landingKeysScratch = takeIntRow(L * C);
    this.aggregateClassesScratch = takeIntRow(C);
    this.costKeysScratch = takeIntRow(L * C);
    this.costValuesScratch = takeFloatRow(L * C);
    this.queue = takeIntRow(C);
    this.queuedIn = takeIntRow(C);
    this.moveVars = takeIntRow(model.variables.length);
    this.moveFractions = takeFloatRow(model.variables.length);
    this.listenersMoved = takeIntRow(L);
    this.listenerMovedIn = takeIntRow(L);
    this.regionsMoved = takeIntRow(R);
    this.blockedStarts = takeIntRow(L * C);
    this.rowIndexedIn = takeIntRow(C);
    this.rowIndex = takeIntRow(C);
    this.startsMovedIn = takeIntRow(C);
    this.averagedIn = takeIntRow(C);
    this.averagedAt = takeIntRow(C);
    if (startFrom !== undefined && startFrom.model !== model) throw new Error('a dial evaluator starts from an evaluator of another model');
    const initial = startFrom?.initial;
    if (initial !== undefined) {
      this.initial = initial;
      // What commits write in place is copied; the rest is replaced on commit, never written: shared.
      this.dialByListener = initial.dialByListener.map((d) => copyFloatRow(d));
      this.dialsNow = initial.dialsNow;
      this.cost = copyFloatRow(initial.cost);
      this.landing = copyFloatRow(initial.landing);
      this.aggregate = copyFloatRow(initial.aggregate);
      this.naturalAggregate = initial.naturalAggregate;
      this.moves = [...initial.moves];
      this.routedNow = initial.routedNow;
      this.rttNow = initial.rttNow;
      this.supports = initial.supports;
      this.starterAt = initial.starterAt;
      this.starters = initial.starters;
      return;
    }
    this.supports = model.classes.map((c) => preferenceSupport(c.pref, R));
    const starts = model.listeners.map((l) => startersOf(model, this.supports, l.present));
    this.starterAt = starts.map((s) => s.at);
    this.starters = starts.map((s) => s.classes);
    this.dialByListener = model.listeners.map((l) => Float64Array.from(l.dialNow));
    this.dialsNow = Float64Array.from(model.variables.map((v) => v.currentPercent / 100));
    this.cost = takeFloatRow(L * C);
    this.landing = takeFloatRow(L * C * R);
    model.listeners.forEach((_, li) => {
      for (let ci = 0; ci < C; ci += 1) this.cost[li * C + ci] = this.route(li, ci, this.dialByListener[li] as Float64Array, this.landing, (li * C + ci) * R);
    });
    this.aggregate = this.aggregateOf(this.landing);
    // Where each class would land with every governed dial at 100 and today's health: the reference
    // the latency budget is measured from.
    const natural = takeFloatRow(L * C * R);
    model.listeners.forEach((l, li) => {
      const dial = Float64Array.from(this.dialByListener[li] as Float64Array);
      for (let r = 0; r < R; r += 1) if ((l.variableOf[r] as number) >= 0) dial[r] = 1;
      for (let ci = 0; ci < C; ci += 1) this.route(li, ci, dial, natural, (li * C + ci) * R);
    });
    this.naturalAggregate = this.aggregateOf(natural);
    this.moves = model.classes.map((_, ci) => this.moveOf(ci, this.aggregate, ci * R));
    const { routed, rtt } = this.totals();
    this.routedNow = routed;
    this.rttNow = rtt;
    this.initial = {
      dialByListener: this.dialByListener.map((d) => copyFloatRow(d)),
      dialsNow: this.dialsNow,
      cost: copyFloatRow(this.cost),
      landing: copyFloatRow(this.landing),
      aggregate: copyFloatRow(this.aggregate),
      naturalAggregate: this.naturalAggregate,
      moves: [...this.moves],
      routedNow: this.routedNow,
      rttNow: this.rttNow,
      supports: this.supports,
      starterAt: this.starterAt,
      starters: this.starters,
    };
  }

  /** The committed setting. */
  current(): Trial {
    this.committed ??= { routed: this.routedNow, rttTotal: this.rttNow, dials: this.dialsNow, rerouted: NOTHING_REROUTED };
    return this.committed;
  }

  /** Landing of one class on one listener, in the trial if it re-routed it, else as committed (until the next commit). */
  landingOf(trial: Trial, listener: number, cls: number): Float64Array {
    const key = listener * this.C + cls;
    const rerouted = this.readable(trial);
    const k = indexIn(rerouted.landingKeys, rerouted.landingCount, key);
    return k < 0 ? this.landing.subarray(key * this.R, (key + 1) * this.R) : rerouted.landings.subarray(k * this.R, (k + 1) * this.R);
  }

  /** Landing of one class averaged over listeners, in the trial or as committed (until the next commit). */
  aggregateLandingOf(trial: Trial, cls: number): Float64Array {
    const rerouted = this.readable(trial);
    const k = indexIn(rerouted.aggregateClasses, rerouted.aggregateCount, cls);
    return k < 0 ? this.aggregate.subarray(cls * this.R, (cls + 1) * this.R) : rerouted.aggregates.subarray(k * this.R, (k + 1) * this.R);
  }

  /** Where each class would land with every governed dial at 100, averaged over listeners. */
  naturalLandingOf(cls: number): Float64Array {
    return this.naturalAggregate.subarray(cls * this.R, (cls + 1) * this.R);
  }

  /** How a class sits relative to its natural landing, in the trial or as committed. */
  moveFromNatural(trial: Trial, cls: number): MoveFromNatural {
    const rerouted = this.readable(trial);
    const k = this.aggregateRow(rerouted, cls);
    return k < 0 ? (this.moves[cls] as MoveFromNatural) : this.moveOf(cls, rerouted.aggregates, k * this.R);
  }

  /** indexIn(rerouted.aggregateClasses, rerouted.aggregateCount, cls), from an index of the trial's classes built on its first question. */
  private aggregateRow(rerouted: Rerouted, cls: number): number {
    if (rerouted !== this.indexed) {
      this.indexed = rerouted;
      const stamp = ++this.indexStamp;
      // Backwards, so a class listed twice answers with its first row, as indexIn does.
      for (let k = rerouted.aggregateCount - 1; k >= 0; k -= 1) {
        const ci = rerouted.aggregateClasses[k] as number;
        this.rowIndexedIn[ci] = stamp;
        this.rowIndex[ci] = k;
      }
    }
    return this.rowIndexedIn[cls] === this.indexStamp ? (this.rowIndex[cls] as number) : -1;
  }

  /** The trial with its re-routed rows in arrays of its own: to hold it past this evaluator's next trial. */
  keep(trial: Trial): Trial {
    const r = this.readable(trial);
    if (r.scratchOf === undefined) return trial;
    const R = this.R;
    // Copied into rows cut from shared blocks, not sliced: a slice is a new buffer each, and the search keeps hundreds of trials per decision.
    const rerouted = new ReroutedRows(
      copyIntRow(r.landingKeys, r.landingCount),
      r.landingCount,
      copyFloatRow(r.landings, r.landingCount * R),
      copyIntRow(r.aggregateClasses, r.aggregateCount),
      r.aggregateCount,
      copyFloatRow(r.aggregates, r.aggregateCount * R),
      copyIntRow(r.costKeys, r.costCount),
      copyFloatRow(r.costValues, r.costCount),
      r.costCount,
      undefined,
      0,
    );
    return new TrialOf(trial.routed, trial.rttTotal, trial.dials, rerouted);
  }

  /** A trial's re-routed rows, if they can still be read: packed, or this evaluator's last trial. */
  private readable(trial: Trial): Rerouted {
    const r = trial.rerouted;
    if (r.scratchOf !== undefined && (r.scratchOf !== this || r.stamp !== this.trials)) {
      throw new Error(`a dial trial was read after ${r.scratchOf === this ? 'a later trial' : 'by another evaluator'}: keep() a trial held past the next one`);
    }
    return r;
  }

  /** Evaluates the committed setting with some variables set to new dial fractions. */
  trial(moves: ReadonlyMap<number, number>): Trial {
    if (moves.size > this.moveVars.length) {
      this.moveVars = takeIntRow(moves.size);
      this.moveFractions = takeFloatRow(moves.size);
    }
    let n = 0;
    for (const [v, fraction] of moves) {
      this.moveVars[n] = v;
      this.moveFractions[n] = fraction;
      n += 1;
    }
    return this.trialOf(this.moveVars, this.moveFractions, 0, n);
  }

  /**
   * trial() with the moves as arrays: variable vars[k] to fractions[at + k], for k below count (each
   * variable once). The search's lines keep their options so: no map per option.
   */
  trialOf(vars: ArrayLike<number>, fractions: ArrayLike<number>, at: number, count: number): Trial {
    const R = this.R;
    const routed = copyFloatRow(this.routedNow);
    let rttTotal = this.rttNow;
    const dials = copyFloatRow(this.dialsNow);
    // The last trial's lists are reused: it can no longer be read (see readable).
    const landingKeys = this.landingKeysScratch;
    const aggregateClasses = this.aggregateClassesScratch;
    const costKeys = this.costKeysScratch;
    const costValues = this.costValuesScratch;
    let landingCount = 0;
    let aggregateCount = 0;
    let costCount = 0;
    const stamp = ++this.trials;
    // The listeners moved, in the order the moves first name them (typed scratch arrays, not lists and
    // maps: a trial runs thousands of times, and the first ones before V8 has optimised it).
    let listenerCount = 0;
    for (let k = 0; k < count; k += 1) {
      const v = vars[k] as number;
      dials[v] = fractions[at + k] as number;
      const variable = this.model.variables[v];
      if (variable === undefined || this.listenerMovedIn[variable.listener] === stamp) continue;
      this.listenerMovedIn[variable.listener] = stamp;
      this.listenersMoved[listenerCount] = variable.listener;
      listenerCount += 1;
    }
    const moved = this.regionsMoved;
    for (let m = 0; m < listenerCount; m += 1) {
      const li = this.listenersMoved[m] as number;
      const listener = this.model.listeners[li];
      if (listener === undefined) continue;
      const dial = this.dialScratch;
      dial.set(this.dialByListener[li] as Float64Array);
      let movedCount = 0;
      let opensOrCloses = false;
      // This listener's variables, in the order of the moves.
      for (let k = 0; k < count; k += 1) {
        const v = vars[k] as number;
        const variable = this.model.variables[v];
        if (variable === undefined || variable.listener !== li || Math.abs((dial[variable.region] as number) - (dials[v] as number)) < 1e-12) continue;
        if ((dial[variable.region] as number) > 0 !== (dials[v] as number) > 0) opensOrCloses = true;
        dial[variable.region] = dials[v] as number;
        if (indexIn(moved, movedCount, variable.region) < 0) {
          moved[movedCount] = variable.region;
          movedCount += 1;
        }
      }
      if (movedCount === 0) continue;
      // A dial reaching or leaving 0 changes which Regions can take spill, so any class may fall back
      // onto it or off it, however far down its order: re-route them all.
      const queued = opensOrCloses ? this.queueAll() : this.queueReached(listener, moved, movedCount);
      if (this.blockedStale) this.countBlockedStarts();
      const mark = this.markStarters(li, moved, movedCount);
      const blocked = this.blockedStarts;
      for (let q = 0; q < queued; q += 1) {
        const ci = this.queue[q] as number;
        const cls = this.model.classes[ci];
        if (cls === undefined) continue;
        // A class whose nearest Regions are healthy, unmoved and at 100 lands there whatever else moved.
        const key = li * this.C + ci;
        if (blocked[key] === 0 && this.startsMovedIn[ci] !== mark) continue;
        const support = this.supports[ci] as PreferenceSupport;
        const before = key * R;
        // Routed straight into the trial's next row: kept there if it changed, else overwritten by the next class.
        const after = this.landingRow(landingCount);
        for (let r = 0; r < R; r += 1) after[r] = 0;
        const cost = landGroup(cls.pref, listener.present, dial, listener.healthy, after, cls.landingCost, support);
        const costBefore = this.cost[key] as number;
        if (cost !== costBefore) {
          rttTotal += listener.weight * cls.demandAhead * (cost - costBefore);
          costKeys[costCount] = key;
          costValues[costCount] = cost;
          costCount += 1;
        }
        let agg = -1;
        for (let r = 0; r < R; r += 1) {
          const delta = (after[r] as number) - (this.landing[before + r] as number);
          if (delta === 0) continue;
          if (agg < 0) {
            if (this.averagedIn[ci] === stamp) agg = this.averagedAt[ci] as number;
            else {
              agg = aggregateCount * R;
              aggregateClasses[aggregateCount] = ci;
              aggregateCount += 1;
              this.averagedIn[ci] = stamp;
              this.averagedAt[ci] = agg;
              copyRow(this.aggregate, ci * R, this.aggregateScratch, agg, R);
            }
          }
          routed[r] = (routed[r] as number) + listener.weight * cls.demandAhead * delta;
          this.aggregateScratch[agg + r] = (this.aggregateScratch[agg + r] as number) + listener.weight * delta;
        }
        if (agg >= 0) {
          landingKeys[landingCount] = key;
          landingCount += 1;
        }
      }
    }
    const rerouted = new ReroutedRows(landingKeys, landingCount, this.landingScratch, aggregateClasses, aggregateCount, this.aggregateScratch, costKeys, costValues, costCount, this, stamp);
    return new TrialOf(routed, rttTotal, dials, rerouted);
  }

  /**
   * Puts in `queue` the classes the moved Regions reach, each once, in the order they are first
   * reached (the order a trial's sums are made in); returns how many.
   */
  private queueReached(listener: TrafficModel['listeners'][number], moved: Int32Array, movedCount: number): number {
    const stamp = ++this.queues;
    let n = 0;
    for (let m = 0; m < movedCount; m += 1) {
      const reach = listener.reach[moved[m] as number];
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

  /** Row k of landingScratch, as an array of its own (made once per row). */
  private landingRow(k: number): Float64Array {
    let row = this.landingRows[k];
    if (row === undefined) {
      row = this.landingScratch.subarray(k * this.R, (k + 1) * this.R);
      this.landingRows[k] = row;
    }
    return row;
  }

  /** Marks the classes whose users start at a moved Region of listener li; returns the mark. */
  private markStarters(li: number, moved: Int32Array, movedCount: number): number {
    const mark = ++this.marks;
    const at = this.starterAt[li] as Int32Array;
    const classes = this.starters[li] as Int32Array;
    for (let m = 0; m < movedCount; m += 1) {
      const r = moved[m] as number;
      for (let k = at[r] as number; k < (at[r + 1] as number); k += 1) this.startsMovedIn[classes[k] as number] = mark;
    }
    return mark;
  }

  /** blockedStarts for the committed dials. */
  private countBlockedStarts(): void {
    const C = this.C;
    this.model.listeners.forEach((l, li) => {
      const dial = this.dialByListener[li] as Float64Array;
      for (let ci = 0; ci < C; ci += 1) {
        const first = (this.model.classes[ci] as (typeof this.model.classes)[number]).pref.first;
        const starts = (this.supports[ci] as PreferenceSupport).first;
        let n = 0;
        for (let k = 0; k < starts.length; k += 1) {
          const s = starts[k] as number;
          if ((first[s] as number) <= 0 || l.present[s] !== 1) continue;
          if (l.healthy[s] !== 1 || (dial[s] as number) < 1) n += 1;
        }
        this.blockedStarts[li * C + ci] = n;
      }
    });
    this.blockedStale = false;
  }

  /** Puts every class in `queue`, in order; returns how many. */
  private queueAll(): number {
    for (let ci = 0; ci < this.C; ci += 1) this.queue[ci] = ci;
    return this.C;
  }

  /** Makes a trial the committed setting. */
  commit(trial: Trial): void {
    const R = this.R;
    const { landingKeys, landingCount, landings, aggregateClasses, aggregateCount, aggregates, costKeys, costValues, costCount } = this.readable(trial);
    for (let k = 0; k < landingCount; k += 1) copyRow(landings, k * R, this.landing, (landingKeys[k] as number) * R, R);
    for (let k = 0; k < costCount; k += 1) this.cost[costKeys[k] as number] = costValues[k] as number;
    for (let k = 0; k < aggregateCount; k += 1) {
      const ci = aggregateClasses[k] as number;
      copyRow(aggregates, k * R, this.aggregate, ci * R, R);
      this.moves[ci] = this.moveOf(ci, this.aggregate, ci * R);
    }
    for (let v = 0; v < trial.dials.length; v += 1) {
      const variable = this.model.variables[v];
      if (variable !== undefined) (this.dialByListener[variable.listener] as Float64Array)[variable.region] = trial.dials[v] as number;
    }
    this.routedNow = copyFloatRow(trial.routed);
    this.rttNow = trial.rttTotal;
    this.dialsNow = copyFloatRow(trial.dials);
    this.committed = undefined;
    this.blockedStale = true;
  }

  /** How the class whose landing averaged over listeners is in `agg` at `at` sits relative to its natural landing. */
  private moveOf(ci: number, agg: Float64Array, at: number): MoveFromNatural {
    const natural = this.naturalAggregate;
    const from = ci * this.R;
    const rtt = (this.model.classes[ci] as (typeof this.model.classes)[number]).rttMs;
    let moved = 0;
    let cost = 0;
    let known = true;
    for (let r = 0; r < this.R; r += 1) {
      const d = (agg[at + r] as number) - (natural[from + r] as number);
      if (Math.abs(d) < 1e-12) continue;
      if (d > 0) moved += d;
      const ms = rtt[r] as number;
      if (Number.isNaN(ms)) known = false;
      else cost += d * ms;
    }
    return { movedShare: moved, addedMs: moved < 1e-9 ? 0 : known ? cost / moved : Number.NaN };
  }

  /** Per class, its landing rows (listener * C + class) averaged over listeners. */
  private aggregateOf(landing: Float64Array): Float64Array {
    const R = this.R;
    const out = takeFloatRow(this.C * R);
    for (let ci = 0; ci < this.C; ci += 1) {
      this.model.listeners.forEach((l, li) => {
        const land = (li * this.C + ci) * R;
        for (let r = 0; r < R; r += 1) out[ci * R + r] = (out[ci * R + r] as number) + l.weight * (landing[land + r] as number);
      });
    }
    return out;
  }

  /** Routes one class on one listener into `out` at `at` (zeros there); returns its mean landing cost. */
  private route(li: number, ci: number, dial: Float64Array, out: Float64Array, at: number): number {
    const listener = this.model.listeners[li];
    const cls = this.model.classes[ci];
    const land = this.scratch.fill(0);
    const cost = listener !== undefined && cls !== undefined ? landGroup(cls.pref, listener.present, dial, listener.healthy, land, cls.landingCost, this.supports[ci]) : 0;
    out.set(land, at);
    return cost;
  }

  private totals(): { routed: Float64Array; rtt: number } {
    const R = this.R;
    const routed = takeFloatRow(R);
    let rtt = 0;
    this.model.classes.forEach((c, ci) => {
      for (let r = 0; r < R; r += 1) {
        const s = this.aggregate[ci * R + r] as number;
        if (s !== 0) routed[r] = (routed[r] as number) + c.demandAhead * s;
      }
      this.model.listeners.forEach((l, li) => {
        rtt += l.weight * c.demandAhead * (this.cost[li * this.C + ci] as number);
      });
    });
    return { routed, rtt };
  }
}

/** Where `value` is among the first `count` numbers of `list`; -1 if not there. */
function indexIn(list: Int32Array, count: number, value: number): number {
  for (let k = 0; k < count; k += 1) if (list[k] === value) return k;
  return -1;
}

function copyRow(from: Float64Array, at: number, to: Float64Array, into: number, R: number): void {
  for (let r = 0; r < R; r += 1) to[into + r] = from[at + r] as number;
}

/** Per Region present on a listener, the classes whose users start there (first above 0), packed: Region r's at at[r] to at[r + 1] of classes. */
function startersOf(model: TrafficModel, supports: readonly PreferenceSupport[], present: Uint8Array): { at: Int32Array; classes: Int32Array } {
  const R = model.regions.length;
  const at = takeIntRow(R + 1);
  const starting = (ci: number, s: number): boolean => ((model.classes[ci] as (typeof model.classes)[number]).pref.first[s] as number) > 0 && present[s] === 1;
  supports.forEach((support, ci) => {
    for (let k = 0; k < support.first.length; k += 1) {
      const s = support.first[k] as number;
      if (starting(ci, s)) at[s + 1] = (at[s + 1] as number) + 1;
    }
  });
  for (let r = 0; r < R; r += 1) at[r + 1] = (at[r + 1] as number) + (at[r] as number);
  const classes = takeIntRow(at[R] as number);
  const filled = at.slice(0, R);
  supports.forEach((support, ci) => {
    for (let k = 0; k < support.first.length; k += 1) {
      const s = support.first[k] as number;
      if (!starting(ci, s)) continue;
      classes[filled[s] as number] = ci;
      filled[s] = (filled[s] as number) + 1;
    }
  });
  return { at, classes };
}
