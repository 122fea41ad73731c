// The latency budget, and what moving users costs them. "Added latency" has one definition
// everywhere: for the users who land in another Region than before, the demand-weighted mean of
// (RTT where they land now - RTT where they landed before). The budget caps it per client group,
// measured from where each group lands with every governed dial at 100 (so small steps cannot add up
// past it), for groups carrying at least 0.5 % of all demand (a handful of users in a far country does
// not veto relief for everyone; a share of all demand, not of the moved demand, so moving more users
// never exempts a group that moving fewer would not). A group already past the budget (a human's
// dial, a stricter new policy) may stay where it is but is never pushed further.

import type { DialEvaluator, Trial } from './dial-evaluator.js';
import type { TrafficModel } from './traffic-model.js';

/** Groups carrying less than this share of all demand do not bind the budget. */
const MIN_SHARE_OF_DEMAND = 0.005;
/** In a cost report, the worst group is named among groups carrying at least this share of the moved demand. */
const MIN_SHARE_OF_MOVED = 0.01;

export interface MovedCost {
  /** Share of all demand that lands in another Region. */
  readonly movedShare: number;
  /** Mean added RTT of the users who move (negative when they move nearer). */
  readonly meanAddedMs: number;
  /** The client group whose moving users pay most, among groups carrying >= 1 % of the moved demand. */
  readonly worstAddedMs: number;
  readonly worstClientGroup: string | null;
  /** Where the moved demand lands: Region index -> share of the moved demand. */
  readonly landing: ReadonlyMap<number, number>;
  /** Groups that move to a Region they have no RTT for: their cost is estimated. */
  readonly unknownGroups: readonly string[];
}

export interface BudgetViolation {
  readonly clientGroup: string;
  readonly addedMs: number;
  readonly allowedMs: number;
}

export class LatencyBudget {
  private readonly allowed: Float64Array;
  /** Per listener, the Region where most of each class's users start (worked out on first use). */
  private readonly mainFirstOn = new Map<number, Int32Array>();

  constructor(
    private readonly model: TrafficModel,
    evaluator: DialEvaluator,
    readonly budgetMs: number,
  ) {
    const now = evaluator.current();
    this.allowed = Float64Array.from(model.classes, (_, ci) => {
      const m = evaluator.moveFromNatural(now, ci);
      return Number.isNaN(m.addedMs) ? budgetMs : Math.max(budgetMs, m.addedMs);
    });
  }

  /** The worst violation in a trial, measured from where every group would land with all dials at 100. */
  check(trial: Trial, evaluator: DialEvaluator): BudgetViolation | undefined {
    const C = this.model.classes.length;
    const floor = MIN_SHARE_OF_DEMAND * this.model.totalDemandAhead;
    let worst: BudgetViolation | undefined;
    for (let ci = 0; ci < C; ci += 1) {
      const cls = this.model.classes[ci];
      if (cls === undefined || cls.demandAhead < floor) continue;
      const m = evaluator.moveFromNatural(trial, ci);
      // A group moving to a Region it has no RTT for cannot be judged: it does not bind the budget.
      if (Number.isNaN(m.addedMs) || m.movedShare < 1e-9) continue;
      const allowed = this.allowed[ci] as number;
      if (m.addedMs > allowed + 1e-6 && (worst === undefined || m.addedMs - allowed > worst.addedMs - worst.allowedMs)) {
        worst = { clientGroup: cls.id, addedMs: m.addedMs, allowedMs: allowed };
      }
    }
    return worst;
  }

  private mainFirstOf(listener: number, present: Uint8Array): Int32Array {
    let out = this.mainFirstOn.get(listener);
    if (out === undefined) {
      out = Int32Array.from(this.model.classes, (c) => mainFirst(c.pref.first, present));
      this.mainFirstOn.set(listener, out);
    }
    return out;
  }

  /**
   * What going from one trial to another costs the users who move between them; with `scope`, only the
   * users of one listener whose nearest Region is mostly the given one (one endpoint group's users).
   */
  movedCost(from: Trial, fromEvaluator: DialEvaluator, to: Trial, toEvaluator: DialEvaluator, scope?: { listener: number; region: number }): MovedCost {
    const R = this.model.regions.length;
    const landing = new Map<number, number>();
    const perGroup: { id: string; moved: number; addedMs: number }[] = [];
    const unknown: string[] = [];
    let movedTotal = 0;
    const weight = scope === undefined ? 1 : (this.model.listeners[scope.listener]?.weight ?? 0);
    this.model.classes.forEach((cls, ci) => {
      let a: Float64Array;
      let b: Float64Array;
      if (scope === undefined) {
        a = fromEvaluator.aggregateLandingOf(from, ci);
        b = toEvaluator.aggregateLandingOf(to, ci);
      } else {
        const l = this.model.listeners[scope.listener];
        if (l === undefined || this.mainFirstOf(scope.listener, l.present)[ci] !== scope.region) return;
        a = fromEvaluator.landingOf(from, scope.listener, ci);
        b = toEvaluator.landingOf(to, scope.listener, ci);
      }
      let moved = 0;
      for (let r = 0; r < R; r += 1) {
        const d = (b[r] as number) - (a[r] as number);
        if (d > 0) moved += d;
      }
      moved *= weight;
      if (moved < 1e-9) return;
      let cost = 0;
      let known = true;
      for (let r = 0; r < R; r += 1) {
        const d = weight * ((b[r] as number) - (a[r] as number));
        if (Math.abs(d) < 1e-12) continue;
        if (d > 0) landing.set(r, (landing.get(r) ?? 0) + d * cls.demandAhead);
        const rtt = cls.rttMs[r] as number;
        if (Number.isNaN(rtt)) known = false;
        else cost += d * rtt;
      }
      movedTotal += moved * cls.demandAhead;
      if (!known) unknown.push(cls.id);
      else perGroup.push({ id: cls.id, moved: moved * cls.demandAhead, addedMs: cost / moved });
    });
    let weighted = 0;
    let weightSum = 0;
    let worst = Number.NEGATIVE_INFINITY;
    let worstGroup: string | null = null;
    for (const p of perGroup) {
      weighted += p.addedMs * p.moved;
      weightSum += p.moved;
      if (p.moved >= MIN_SHARE_OF_MOVED * movedTotal && p.addedMs > worst) {
        worst = p.addedMs;
        worstGroup = p.id;
      }
    }
    const normalized = new Map<number, number>();
    for (const [r, v] of landing) normalized.set(r, movedTotal > 0 ? v / movedTotal : 0);
    return {
      movedShare: this.model.totalDemandAhead > 0 ? movedTotal / this.model.totalDemandAhead : 0,
      meanAddedMs: weightSum > 0 ? weighted / weightSum : 0,
      worstAddedMs: worstGroup === null ? 0 : worst,
      worstClientGroup: worstGroup,
      landing: normalized,
      unknownGroups: unknown,
    };
  }
}

/** The Region where most of a group's users start on a listener. */
function mainFirst(first: ArrayLike<number>, present: Uint8Array): number {
  let best = -1;
  let share = 0;
  for (let r = 0; r < first.length; r += 1) {
    if (present[r] === 1 && (first[r] as number) > share) {
      share = first[r] as number;
      best = r;
    }
  }
  return best;
}
