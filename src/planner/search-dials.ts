// One joint decision over every governed endpoint group's dial.
//
// The search space is a box: each group between its own lowest and highest dial this cycle (see
// dial-bounds.ts). Two kinds of coordinates: a Region (all its movable groups shifted by the same
// amount from their own current dials: what one listener needs, every listener needs) and a single
// group. The routing model is not linear (spill passes down receivers' dials), so:
//  - exact where the space is small: when the Region moves number at most EXHAUSTIVE_LIMIT settings,
//    every one is evaluated (then single groups are refined by coordinate descent);
//  - otherwise coordinate descent from several starts (the current dials; every hot Region's groups
//    at their lowest; every lowered group at its highest): one coordinate at a time, its best value
//    with the others fixed, until a whole pass improves nothing. Every accepted move strictly improves
//    the objective, so the search ends, and it never returns a setting worse than the current dials
//    (they are the first start). What it returns is a setting no single Region or group move improves.
// Receivers are coordinates too: lowering a small Region that sits between a hot one and a big one
// passes the spill on; a later pass then lowers the hot Region further.

import type { Policy } from '../policy/schema.js';
import { DialEvaluator, type Trial } from './dial-evaluator.js';
import type { VariableBounds } from './dial-bounds.js';
import type { LatencyBudget } from './latency-budget.js';
import { CAPACITY_MARGIN_PERCENT, type Objective, type ObjectiveRegion, type Score, type TierName } from './objective.js';
import type { TrafficModel } from './traffic-model.js';

const EXHAUSTIVE_LIMIT = 20_000;
const MAX_PASSES = 12;
/** A line search looks at every this-many-th shift first. */
const COARSE_EVERY = 4;
/** Users over capacity a setting that lowers two or more Regions' dials for that alone must take off, per user it moves (see reliefWorthItsMoves). */
const RELIEF_PER_USER_MOVED = 0.1;
const RELIEF_TIERS = new Set<TierName | undefined>(['capacity', 'margin', 'threshold']);

export interface SearchResult {
  readonly evaluator: DialEvaluator;
  readonly trial: Trial;
  readonly score: Score;
  readonly method: 'exhaustive' | 'coordinate-descent' | 'nothing-to-move';
  readonly evaluations: number;
}

export interface SearchInput {
  readonly policy: Policy;
  readonly model: TrafficModel;
  readonly bounds: readonly VariableBounds[];
  readonly objective: Objective;
  readonly budget: LatencyBudget;
  /** An evaluator of `model` (at its current dials): the search's evaluators start from its routing of the model. */
  readonly current: DialEvaluator;
  /** Relief of load above capacity may break the latency budget (policy `latency.budgetYieldsToCapacity`). */
  readonly budgetYieldsToCapacity: boolean;
}

/**
 * Options along one coordinate, worked out once and tried in many lines: option i moves variable
 * vars[k] to dial fraction fractions[i * vars.length + k] (flat arrays, not a map per option).
 */
interface Line {
  readonly vars: Int32Array;
  readonly fractions: Float64Array;
  readonly count: number;
}

interface RegionCoordinate {
  readonly region: number;
  readonly variables: readonly VariableBounds[];
  /** Shifts (dial points) to try, ascending. */
  readonly shifts: readonly number[];
  /** Per shift, the dial (fraction) each variable moves to. */
  readonly line: Line;
  /** Per variable, when the Region has several: its own candidates alone. */
  readonly singles: readonly Line[];
}

export class DialSearch {
  private evaluations = 0;
  private readonly currentDials: Float64Array;
  private readonly movable: readonly VariableBounds[];
  private readonly regionCoordinates: readonly RegionCoordinate[];
  /** Regions over capacity by their reading (by the prediction, for one without a reading that stands for its load now). */
  private readonly overCapacityByReading: ReadonlySet<number>;
  /** Regions over capacity by a reading that stands for their load now (not a prediction). */
  private readonly overCapacityMeasured: ReadonlySet<number>;
  /**
   * Regions more than SENDS_BACK_SHARE of whose users have, as their next Region, one over capacity by
   * its reading or one with a lowered dial: lowering them only moves users onto load being taken off.
   */
  private readonly sendsUsersBack: ReadonlySet<number>;
  /** Regions over capacity at the current dials, by their reading or by the prediction (as the capacity tiers judge it). */
  private readonly overloadedRegions: ReadonlySet<number>;
  /** Per variable, the directions in which a move must relieve load above capacity. */
  private readonly guarded: ReadonlyMap<number, ReadonlySet<'up' | 'down'>>;
  /** The objective's Region by Region index (undefined where it has none). */
  private readonly objectiveRegion: readonly (ObjectiveRegion | undefined)[];
  /** 0, 1, 2...: every option of a line. */
  private readonly optionScratch: Int32Array;
  /** Scratch for the options of a line search (indices into a line), and for their marks. */
  private readonly lineOptions: Int32Array;
  private readonly coarseScratch: Uint8Array;
  private readonly fineScratch: Uint8Array;

  constructor(private readonly input: SearchInput) {
    this.currentDials = Float64Array.from(input.model.variables.map((v) => v.currentPercent / 100));
    this.movable = input.bounds.filter((b) => b.candidates.length > 1);
    this.overloadedRegions = new Set(
      input.objective.regions.filter((r) => (r.measuredPercent ?? 0) > 100 || input.objective.capacityView(r, r.aheadPercent) > 100).map((r) => r.index),
    );
    this.overCapacityByReading = new Set(input.objective.regions.filter((r) => (r.measuredPercent ?? r.aheadPercent) > 100).map((r) => r.index));
    this.overCapacityMeasured = new Set(input.objective.regions.filter((r) => r.measuredPercent !== undefined && r.measuredPercent > 100).map((r) => r.index));
    // Where a receiver's users must not go: a Region over capacity, or one whose dials are lowered
    // (taking load off it). Read only where a receiver may pay the budget (budgetYields).
    this.sendsUsersBack =
      this.overCapacityMeasured.size === 0 || input.objective.overloadExceedsRoom
        ? new Set()
        : sendingUsersTo(
            input.model,
            new Set(input.objective.regions.map((r) => r.index)),
            new Set([...this.overCapacityMeasured, ...input.model.variables.filter((v) => v.currentPercent < 100).map((v) => v.region)]),
          );
    this.guarded = new Map(input.bounds.filter((b) => b.onlyForCapacity.size > 0).map((b) => [b.variable.index, b.onlyForCapacity]));
    const byRegion = new Map<number, VariableBounds[]>();
    for (const b of this.movable) byRegion.set(b.variable.region, [...(byRegion.get(b.variable.region) ?? []), b]);
    this.regionCoordinates = [...byRegion.entries()]
      .sort(([a], [b]) => a - b)
      .map(([region, variables]) => {
        const shifts = shiftsFor(variables);
        return { region, variables, shifts, line: shiftLine(variables, shifts), singles: variables.length < 2 ? [] : variables.map(singleLine) };
      });
    const regionOf: (ObjectiveRegion | undefined)[] = input.model.regions.map(() => undefined);
    // The first of a Region index, as find() gave.
    for (let k = input.objective.regions.length - 1; k >= 0; k -= 1) {
      const r = input.objective.regions[k] as ObjectiveRegion;
      regionOf[r.index] = r;
    }
    this.objectiveRegion = regionOf;
    let longest = 0;
    for (const b of this.movable) longest = Math.max(longest, b.candidates.length);
    for (const c of this.regionCoordinates) longest = Math.max(longest, c.line.count);
    this.optionScratch = Int32Array.from({ length: longest }, (_, i) => i);
    this.lineOptions = new Int32Array(longest);
    this.coarseScratch = new Uint8Array(longest);
    this.fineScratch = new Uint8Array(longest);
  }

  run(): SearchResult {
    const starts = this.starts();
    const first = starts[0] as ReadonlyMap<number, number>;
    if (this.movable.length === 0) {
      const { evaluator, score } = this.stayAt(first);
      return { evaluator, trial: evaluator.current(), score, method: 'nothing-to-move', evaluations: 0 };
    }
    // What the budget's exception is judged against, scored only if some result breaks the budget.
    let startScore: Score | undefined;
    const baseline = (): Score => (startScore ??= this.stayAt(first).score);
    let best: { evaluator: DialEvaluator; score: Score } | undefined;
    const consider = (evaluator: DialEvaluator): void => {
      this.descend(evaluator);
      const current = evaluator.current();
      // A start outside the hard limits can only end inside them by luck: keep it only if it did.
      if (!this.feasible(current)) return;
      const score = this.score(current);
      if (this.input.budget.check(current, evaluator) !== undefined && !this.budgetYields(current, score, baseline())) return;
      if (best === undefined || this.input.objective.compare(score, best.score) < 0) best = { evaluator, score };
    };
    const space = this.regionCoordinates.reduce((n, c) => n * c.shifts.length, 1);
    const method: SearchResult['method'] = space <= EXHAUSTIVE_LIMIT ? 'exhaustive' : 'coordinate-descent';
    if (method === 'exhaustive') consider(this.exhaustive(first));
    else {
      for (const start of starts) {
        const evaluator = new DialEvaluator(this.input.model, this.input.current);
        evaluator.commit(evaluator.trial(start));
        consider(evaluator);
      }
    }
    // Nothing inside the limits improved on the start: stay there.
    best ??= this.stayAt(first);
    let chosen = this.withoutLatencyOnlyLowering(this.withoutNeedlessGuardedMoves(best));
    if (!this.reliefWorthItsMoves(chosen)) chosen = this.stayAt(first);
    return { evaluator: chosen.evaluator, trial: chosen.evaluator.current(), score: chosen.score, method, evaluations: this.evaluations };
  }

  /** The start's setting, scored: what the search returns when it moves nothing. */
  private stayAt(start: ReadonlyMap<number, number>): { evaluator: DialEvaluator; score: Score } {
    const evaluator = new DialEvaluator(this.input.model, this.input.current);
    evaluator.commit(evaluator.trial(start));
    return { evaluator, score: this.score(evaluator.current()) };
  }

  /**
   * Whether a setting that lowers the dials of two or more Regions for less load above capacity alone
   * (tier 1, no Region fewer over it) relieves at least RELIEF_PER_USER_MOVED of the users it moves.
   * The prediction's error grows with the load a setting moves; relief smaller than that is none the
   * model can vouch for.
   * Without this, two Regions, one over capacity and one at its margin, traded users through both
   * dials (each one's users sent to the other) for a point of relief in the one over capacity: 15 %
   * of the demand moved, and its latency paid, for nothing that lasts.
   */
  private reliefWorthItsMoves(chosen: { evaluator: DialEvaluator; score: Score }): boolean {
    const dials = chosen.evaluator.current().dials;
    const lowered = new Set<number>();
    for (let v = 0; v < dials.length; v += 1) if ((dials[v] as number) < (this.currentDials[v] as number) - 1e-12) lowered.add(this.input.model.variables[v]?.region ?? -1);
    // One Region's cut alone trades no users, and it is how a chain of relief starts (its users land in
    // a Region over capacity, a later cut passes them on): held, mx-central-1 at 130 % waited 100 minutes.
    if (lowered.size < 2) return true;
    const now = this.input.current.current();
    const before = this.score(now);
    if (this.input.objective.tier(chosen.score, before) !== 'capacity') return true;
    if (chosen.score.regionsOverCapacity < before.regionsOverCapacity) return true;
    const relief = before.totalOverCapacity - chosen.score.totalOverCapacity;
    const moved = this.input.budget.movedCost(now, this.input.current, chosen.evaluator.current(), chosen.evaluator).movedShare * this.input.model.totalDemandAhead;
    return relief >= RELIEF_PER_USER_MOVED * moved;
  }

  /**
   * A Region's dials come down only to relieve load. A joint setting can lower one Region for latency
   * alone (trading its users for another Region's, both within their thresholds): each Region lowered
   * is put back, one at a time, wherever that costs no relief (capacity, margin, threshold).
   */
  private withoutLatencyOnlyLowering(best: { evaluator: DialEvaluator; score: Score }): { evaluator: DialEvaluator; score: Score } {
    let current = best;
    for (const c of this.regionCoordinates) {
      const dials = current.evaluator.current().dials;
      const lowered = c.variables.filter((b) => (dials[b.variable.index] as number) < (this.currentDials[b.variable.index] as number) - 1e-12);
      if (lowered.length === 0) continue;
      const back = current.evaluator.trial(new Map(lowered.map((b) => [b.variable.index, this.currentDials[b.variable.index] as number])));
      if (!this.feasible(back) || !this.budgetNoWorse(back, current.evaluator)) continue;
      const score = this.score(back);
      if (!this.input.objective.reliefNoWorse(score, current.score)) continue;
      current.evaluator.commit(back);
      current = { evaluator: current.evaluator, score };
    }
    return current;
  }

  /**
   * Guarded moves (a cooling-down group stepping down, a dial turned back within the reversal window)
   * that the chosen setting made are undone unless that is needed to relieve load above capacity (the
   * descent accepts them only for that, but a later move of another group can make them unnecessary).
   */
  private withoutNeedlessGuardedMoves(best: { evaluator: DialEvaluator; score: Score }): { evaluator: DialEvaluator; score: Score } {
    const dials = best.evaluator.current().dials;
    const moved = [...this.guarded].filter(([v, dirs]) => {
      const d = (dials[v] as number) - (this.currentDials[v] as number);
      return (d < -1e-12 && dirs.has('down')) || (d > 1e-12 && dirs.has('up'));
    }).map(([v]) => v);
    if (moved.length === 0) return best;
    const back = best.evaluator.trial(new Map(moved.map((v) => [v, this.currentDials[v] as number])));
    const score = this.score(back);
    if (this.input.objective.tier(best.score, score) === 'capacity' || !this.feasible(back) || !this.budgetNoWorse(back, best.evaluator)) return best;
    best.evaluator.commit(back);
    return { evaluator: best.evaluator, score };
  }

  /** The current dials (the floor where a dial is below it), then the aggressive and the restoring starts. */
  private starts(): ReadonlyMap<number, number>[] {
    const base = new Map(this.input.bounds.map((b) => [b.variable.index, b.startPercent / 100]));
    const hot = new Set(this.input.objective.regions.filter((r) => r.hot).map((r) => r.index));
    const down = new Map(base);
    for (const b of this.movable) if (hot.has(b.variable.region)) down.set(b.variable.index, b.lowPercent / 100);
    const up = new Map(base);
    for (const b of this.movable) if (b.startPercent < 100 && !hot.has(b.variable.region)) up.set(b.variable.index, b.highPercent / 100);
    // The same start twice is the same search twice.
    const distinct: ReadonlyMap<number, number>[] = [];
    for (const s of [base, down, up]) if (!distinct.some((d) => sameMoves(d, s))) distinct.push(s);
    return distinct;
  }

  private exhaustive(start: ReadonlyMap<number, number>): DialEvaluator {
    const evaluator = new DialEvaluator(this.input.model, this.input.current);
    evaluator.commit(evaluator.trial(start));
    const startScore = this.score(evaluator.current());
    let bestScore = startScore;
    let bestTrial: Trial | undefined;
    const coords = this.regionCoordinates;
    const index = coords.map(() => 0);
    // Every coordinate's variables, in order, and the fractions of the combination tried.
    let total = 0;
    for (const c of coords) total += c.line.vars.length;
    const vars = new Int32Array(total);
    const fractions = new Float64Array(total);
    for (let k = 0, at = 0; k < coords.length; at += (coords[k] as RegionCoordinate).line.vars.length, k += 1) vars.set((coords[k] as RegionCoordinate).line.vars, at);
    for (;;) {
      for (let k = 0, at = 0; k < coords.length; k += 1) {
        const line = (coords[k] as RegionCoordinate).line;
        const n = line.vars.length;
        const from = (index[k] as number) * n;
        for (let j = 0; j < n; j += 1) fractions[at + j] = line.fractions[from + j] as number;
        at += n;
      }
      const trial = evaluator.trialOf(vars, fractions, 0, total);
      this.evaluations += 1;
      if (this.feasible(trial)) {
        const score = this.score(trial);
        const base = evaluator.current().dials;
        const lowers = trial.dials.some((d, v) => d < (base[v] as number) - 1e-12);
        const tier = this.input.objective.tier(score, startScore);
        const admissible = (!lowers || RELIEF_TIERS.has(tier)) && this.guardedMovesAllowed(trial, base, tier);
        if (admissible && this.input.objective.compare(score, bestScore) < 0 && this.budgetAllows(trial, score, startScore, evaluator)) {
          bestScore = score;
          bestTrial = evaluator.keep(trial);
        }
      }
      let k = 0;
      while (k < coords.length) {
        index[k] = (index[k] as number) + 1;
        if ((index[k] as number) < (coords[k]?.shifts.length ?? 0)) break;
        index[k] = 0;
        k += 1;
      }
      if (k === coords.length) break;
    }
    if (bestTrial !== undefined) evaluator.commit(bestTrial);
    return evaluator;
  }

  /** Coordinate descent from the evaluator's committed setting; commits every improvement. */
  private descend(evaluator: DialEvaluator): void {
    let incumbent = this.score(evaluator.current());
    for (let pass = 0; pass < MAX_PASSES; pass += 1) {
      let improved = false;
      for (const c of this.regionCoordinates) {
        const found = this.lineSearch(evaluator, incumbent, c);
        if (found !== undefined) {
          evaluator.commit(found.trial);
          incumbent = found.score;
          improved = true;
        }
      }
      // Single groups of multi-listener Regions: once the Region moves have settled (rarely useful
      // before, and each costs as much as a Region move).
      if (improved) continue;
      for (const c of this.regionCoordinates) {
        for (const single of c.singles) {
          const found = this.bestAlong(evaluator, incumbent, single, this.optionScratch, single.count, c.region);
          if (found !== undefined) {
            evaluator.commit(found.trial);
            incumbent = found.score;
            improved = true;
          }
        }
      }
      if (!improved) break;
    }
  }

  /**
   * The best shift of a Region coordinate: every COARSE_EVERY-th shift first, then every shift around
   * the best coarse one and around the current dial (small moves would otherwise go unseen). A line
   * costs about a third of trying every shift, and the descent's next pass refines what it misses.
   */
  private lineSearch(evaluator: DialEvaluator, incumbent: Score, c: RegionCoordinate): { trial: Trial; score: Score } | undefined {
    const n = c.shifts.length;
    const line = c.line;
    if (n <= 2 * COARSE_EVERY + 2) return this.bestAlong(evaluator, incumbent, line, this.optionScratch, n, c.region);
    const committed = evaluator.current().dials;
    let at = 0;
    for (let i = 0; i < n; i += 1) if (sameDials(line, i, committed)) at = i;
    // Shift indices marked in arrays and read in ascending order (not sets, sorted): a line search runs
    // for every Region coordinate in every pass.
    const coarse = this.coarseScratch.fill(0, 0, n);
    coarse[n - 1] = 1;
    for (let i = 0; i < n; i += COARSE_EVERY) coarse[i] = 1;
    const options = this.lineOptions;
    const first = this.bestAlong(evaluator, incumbent, line, options, markedOptions(coarse, n, options), c.region);
    const fine = this.fineScratch.fill(0, 0, n);
    const around = (center: number): void => {
      for (let i = Math.max(0, center - COARSE_EVERY + 1); i <= Math.min(n - 1, center + COARSE_EVERY - 1); i += 1) if (coarse[i] !== 1) fine[i] = 1;
    };
    around(at);
    if (first !== undefined) {
      const chosen = c.variables[0];
      const shift = chosen === undefined ? 0 : Math.round(((first.trial.dials[chosen.variable.index] as number) * 100 - chosen.startPercent) * 10) / 10;
      const index = c.shifts.findIndex((s) => Math.abs(s - shift) < 1e-6);
      if (index >= 0) around(index);
    }
    return this.bestAlong(evaluator, first?.score ?? incumbent, line, options, markedOptions(fine, n, options), c.region) ?? first;
  }

  /** The best of some moves from the committed setting, if it beats the incumbent. */
  private bestAlong(evaluator: DialEvaluator, incumbent: Score, line: Line, options: Int32Array, optionCount: number, region: number): { trial: Trial; score: Score } | undefined {
    const committed = evaluator.current().dials;
    const u = this.objectiveRegion[region];
    // Lowering a Region's dials only takes load off that Region: useless unless it is over its threshold.
    const mayLower = u === undefined || this.input.objective.utilization(evaluator.current(), u) > Math.min(100, u.thresholdPercent) + 1e-9;
    const better: { trial: Trial; score: Score }[] = [];
    const n = line.vars.length;
    for (let o = 0; o < optionCount; o += 1) {
      const at = (options[o] as number) * n;
      let same = true;
      let lowers = false;
      for (let k = 0; k < n; k += 1) {
        const now = committed[line.vars[k] as number] as number;
        const d = line.fractions[at + k] as number;
        if (Math.abs(now - d) > 1e-12) same = false;
        if (d < now - 1e-12) lowers = true;
      }
      if (same || (lowers && !mayLower)) continue;
      const trial = evaluator.trialOf(line.vars, line.fractions, at, n);
      this.evaluations += 1;
      if (!this.feasible(trial)) continue;
      const score = this.score(trial);
      if (this.input.objective.compare(score, incumbent) >= 0) continue;
      const tier = this.input.objective.tier(score, incumbent);
      // A dial comes down only to relieve load (capacity or threshold), never for latency alone: the
      // probes' RTT is no licence to move users away from where GA sends them.
      if (lowers && !RELIEF_TIERS.has(tier)) continue;
      if (!this.guardedMovesAllowed(trial, committed, tier)) continue;
      better.push(new Candidate(evaluator.keep(trial), score));
    }
    return this.pickWithinBudget(better, evaluator, incumbent);
  }

  /**
   * The best candidate that keeps the latency budget (checked in order of preference: it is the costly
   * test), unless a better one relieves more load above capacity: then the best of those that relieve
   * load above capacity over the incumbent, whatever the budget (capacity comes first).
   */
  private pickWithinBudget(candidates: { trial: Trial; score: Score }[], evaluator: DialEvaluator, incumbent: Score): { trial: Trial; score: Score } | undefined {
    const { objective, budget } = this.input;
    if (candidates.length === 0) return undefined;
    // The candidates are this call's own (bestAlong's list): taken out of it as they fail.
    const left = candidates;
    const scores = left.map((c) => c.score);
    let relieving: { trial: Trial; score: Score } | undefined;
    while (left.length > 0) {
      const i = objective.pick(scores);
      const c = left[i] as { trial: Trial; score: Score };
      if (budget.check(c.trial, evaluator) === undefined) return relieving !== undefined && objective.tier(relieving.score, c.score) === 'capacity' ? relieving : c;
      if (relieving === undefined && this.budgetYields(c.trial, c.score, incumbent)) relieving = c;
      left.splice(i, 1);
      scores.splice(i, 1);
    }
    return relieving;
  }

  /** Whether a trial keeps the latency budget, or breaks it to relieve load above capacity that `baseline` leaves. */
  private budgetAllows(trial: Trial, score: Score, baseline: Score, evaluator: DialEvaluator): boolean {
    return this.input.budget.check(trial, evaluator) === undefined || this.budgetYields(trial, score, baseline);
  }

  /**
   * The budget gives way only to relief of load above capacity (less in total, Objective.relievesOverload:
   * not a Region pulled just under capacity, nor Regions over capacity evened out), when the policy lets
   * it, and through two kinds of dials (README, "How ga-steer decides"; the cases below are from the
   * random worlds):
   *  - those of Regions over capacity by their own reading;
   *  - a receiver's, passing a hot Region's spill on (world-1012: Hong Kong, filled by Tokyo's spill,
   *    sending China's users on to Singapore), only where the Regions have room for the overload
   *    (else passing spill on only moves it: world-2012's two Regions at 130-200 % chased each other),
   *    the setting relieves a Region over capacity by a reading that stands for its load now (relief
   *    of a prediction alone sent Taiwan's users +204 ms for a Region read at 93 %), and the receiver
   *    is not in sendsUsersBack (GA does not turn spill away twice: Singapore's users, lowered in the
   *    Tokyo crowd, went straight to Tokyo).
   */
  budgetYields(trial: Trial, score: Score, baseline: Score): boolean {
    const { objective } = this.input;
    if (!this.input.budgetYieldsToCapacity || !objective.relievesOverload(score, baseline)) return false;
    let passesOn: boolean | undefined;
    for (const b of this.movable) {
      const v = b.variable.index;
      const r = b.variable.region;
      if ((trial.dials[v] as number) >= (this.currentDials[v] as number) - 1e-12 || this.overCapacityByReading.has(r)) continue;
      passesOn ??= !objective.overloadExceedsRoom && objective.relievesOverloadIn(trial, this.overCapacityMeasured);
      if (!passesOn || this.sendsUsersBack.has(r)) return false;
    }
    return true;
  }

  /** Whether a trial breaks the latency budget by no more than the evaluator's committed setting does (a dial put back). */
  private budgetNoWorse(trial: Trial, evaluator: DialEvaluator): boolean {
    const after = this.input.budget.check(trial, evaluator);
    if (after === undefined) return true;
    const now = this.input.budget.check(evaluator.current(), evaluator);
    return now !== undefined && after.addedMs - after.allowedMs <= now.addedMs - now.allowedMs + 1e-6;
  }

  /** Whether a Region's predicted utilization in a trial stays below its restore threshold. */
  private staysCool(trial: Trial, region: number): boolean {
    const r = this.objectiveRegion[region];
    const restoreBelow = r === undefined ? undefined : this.input.policy.regions[r.region]?.restoreBelowPercent;
    return r !== undefined && restoreBelow !== undefined && this.input.objective.utilization(trial, r) < restoreBelow;
  }

  /**
   * Guarded moves, from `base`: a group cooling down, or a raised dial lowered again within the reversal
   * window, steps down only to relieve load above capacity, and only while its own Region is over
   * capacity at the current dials (the earlier change already in that prediction); a lowered dial comes
   * back up within the window once its Region stays below its restore threshold with it (the stress
   * there is clearly over), or to relieve load above capacity elsewhere if its own Region stays out of
   * its capacity margin: never so far that the two Regions swap their overload (a receiver lowered to
   * 0 and reopened to take all the spill, a hot Region raised back over capacity because its receiver
   * filled) and take turns being relieved through each other's dials. A dial closed to 0 reopens
   * within the window only once its Region stays cool: opening it exposes it to all the spill that
   * passed it by, which the model predicts least well (its flows are still draining).
   */
  private guardedMovesAllowed(trial: Trial, base: Float64Array, tier: TierName | undefined): boolean {
    for (const b of this.movable) {
      const v = b.variable.index;
      const from = base[v] as number;
      const to = trial.dials[v] as number;
      if (!this.isGuardedMove(v, from, to)) continue;
      if (to < from) {
        if (tier !== 'capacity' || !this.overloadedRegions.has(b.variable.region)) return false;
      } else if (!this.staysCool(trial, b.variable.region) && !(tier === 'capacity' && from > 0 && this.staysClearOfCapacity(trial, b.variable.region))) return false;
    }
    return true;
  }

  /** Whether a Region stays out of its capacity margin in a trial, as the capacity tiers judge it. */
  private staysClearOfCapacity(trial: Trial, region: number): boolean {
    const r = this.objectiveRegion[region];
    return r !== undefined && this.input.objective.capacityView(r, this.input.objective.utilization(trial, r)) <= CAPACITY_MARGIN_PERCENT;
  }

  private isGuardedMove(v: number, from: number, to: number): boolean {
    const dirs = this.guarded.get(v);
    if (dirs === undefined) return false;
    return (to < from - 1e-12 && dirs.has('down')) || (to > from + 1e-12 && dirs.has('up'));
  }

  score(trial: Trial): Score {
    return this.input.objective.score(trial, this.currentDials);
  }

  /**
   * Hard limits the box cannot express: on every listener at least `minRegionsServing` healthy Regions
   * keep a dial above 0 (or as many as serve now, if fewer), so the last healthy Region is never drained.
   */
  feasible(trial: Trial): boolean {
    const { model, policy } = this.input;
    for (const l of model.listeners) {
      let now = 0;
      let after = 0;
      for (let r = 0; r < model.regions.length; r += 1) {
        if (l.present[r] !== 1 || l.healthy[r] !== 1) continue;
        const v = l.variableOf[r] as number;
        if ((l.dialNow[r] as number) > 0) now += 1;
        if ((v >= 0 ? (trial.dials[v] as number) : (l.dialNow[r] as number)) > 0) after += 1;
      }
      if (after < Math.min(policy.guardrails.minRegionsServing, now)) return false;
    }
    return true;
  }
}

/** Shifts for a Region coordinate: every grid point any of its groups can reach, relative to its start. */
function shiftsFor(variables: readonly VariableBounds[]): number[] {
  const shifts = new Set<number>();
  for (const b of variables) for (const d of b.candidates) shifts.add(Math.round((d - b.startPercent) * 10) / 10);
  return [...shifts].sort((a, b) => a - b);
}

/** A Region coordinate's line: per shift, its variables moved by that many dial points from their own start, each to its nearest candidate. */
function shiftLine(variables: readonly VariableBounds[], shifts: readonly number[]): Line {
  const n = variables.length;
  const fractions = new Float64Array(shifts.length * n);
  for (let i = 0; i < shifts.length; i += 1) {
    for (let k = 0; k < n; k += 1) {
      const b = variables[k] as VariableBounds;
      fractions[i * n + k] = nearestCandidate(b, b.startPercent + (shifts[i] as number)) / 100;
    }
  }
  return { vars: Int32Array.from(variables, (b) => b.variable.index), fractions, count: shifts.length };
}

/** One variable's candidates alone. */
function singleLine(b: VariableBounds): Line {
  return { vars: Int32Array.of(b.variable.index), fractions: Float64Array.from(b.candidates, (d) => d / 100), count: b.candidates.length };
}

/** Puts the marked indices below n in `into`, ascending; returns how many. */
function markedOptions(marked: Uint8Array, n: number, into: Int32Array): number {
  let count = 0;
  for (let i = 0; i < n; i += 1) {
    if (marked[i] !== 1) continue;
    into[count] = i;
    count += 1;
  }
  return count;
}

function nearestCandidate(b: VariableBounds, target: number): number {
  let best = b.startPercent;
  let gap = Number.POSITIVE_INFINITY;
  // A line is every shift against every candidate (some 40 x 40 per Region): a plain indexed loop.
  const candidates = b.candidates;
  for (let k = 0; k < candidates.length; k += 1) {
    const d = candidates[k] as number;
    const g = Math.abs(d - target);
    if (g < gap - 1e-9) {
      gap = g;
      best = d;
    }
  }
  return best;
}

/** Whether every variable option i of a line names is already at its dial (within rounding). */
function sameDials(line: Line, i: number, dials: Float64Array): boolean {
  const n = line.vars.length;
  for (let k = 0; k < n; k += 1) if (!(Math.abs((dials[line.vars[k] as number] as number) - (line.fractions[i * n + k] as number)) < 1e-12)) return false;
  return true;
}

function sameMoves(a: ReadonlyMap<number, number>, b: ReadonlyMap<number, number>): boolean {
  if (a.size !== b.size) return false;
  for (const [v, d] of a) if (Math.abs((b.get(v) ?? Number.NaN) - d) > 1e-12) return false;
  return true;
}

/** A receiver is not lowered past the latency budget when more than this share of its users would go straight onto load being taken off. */
const SENDS_BACK_SHARE = 0.25;

/**
 * Regions more than SENDS_BACK_SHARE of whose users (as their nearest Region, by demand) have one of
 * `to` as the next healthy Region in their strict RTT order: lowering such a Region sends its users
 * there, since GA does not turn spill away twice.
 */
function sendingUsersTo(model: TrafficModel, healthy: ReadonlySet<number>, to: ReadonlySet<number>): Set<number> {
  const out = new Set<number>();
  const R = model.regions.length;
  const own = new Float64Array(R);
  const back = new Float64Array(R);
  for (const c of model.classes) {
    const { first, order } = c.pref;
    for (let r = 0; r < R; r += 1) {
      const users = (first[r] as number) * c.demandAhead;
      if (!(users > 0)) continue;
      own[r] = (own[r] as number) + users;
      for (let k = 0; k < order.length; k += 1) {
        const next = order[k] as number;
        if (next === r || !healthy.has(next)) continue;
        if (to.has(next)) back[r] = (back[r] as number) + users;
        break;
      }
    }
  }
  for (let r = 0; r < R; r += 1) if ((own[r] as number) > 0 && (back[r] as number) > SENDS_BACK_SHARE * (own[r] as number)) out.add(r);
  return out;
}

/** A trial the search holds and its score: a class instance, not a literal (see TrialOf in dial-evaluator.ts). */
class Candidate {
  constructor(
    readonly trial: Trial,
    readonly score: Score,
  ) {}
}
