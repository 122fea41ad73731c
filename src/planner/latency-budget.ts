// The latency budget, and what moving users costs them. "Added latency" has one definition
// everywhere: for the users who land in another Region than before, the demand-weighted mean of
// (RTT where they land now - RTT where they landed before). The budget caps it per client group,
// measured from where each group lands with every governed dial at 100 (so small steps cannot add up
// past it), for groups carrying at least 1 % of the moved demand. A group already past the budget
// (a human's dial, a stricter new policy) may stay where it is but is never pushed further.

import type { DialEvaluator, Trial } from './dial-evaluator.js';
import type { TrafficModel } from './traffic-model.js';

/** Groups carrying less than this share of the moved demand do not bind the budget. */
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
  private readonly allowed = new Map<string, number>();

  constructor(
    private readonly model: TrafficModel,
    evaluator: DialEvaluator,
    readonly budgetMs: number,
  ) {
    for (const m of this.perMember(evaluator.current(), evaluator)) this.allowed.set(m.id, Math.max(budgetMs, m.addedMs));
  }

  /** The worst violation in a trial, measured from where every group would land with all dials at 100. */
  check(trial: Trial, evaluator: DialEvaluator): BudgetViolation | undefined {
    let worst: BudgetViolation | undefined;
    for (const m of this.perMember(trial, evaluator)) {
      const allowed = this.allowed.get(m.id) ?? this.budgetMs;
      if (m.addedMs > allowed + 1e-6 && (worst === undefined || m.addedMs - allowed > worst.addedMs - worst.allowedMs)) {
        worst = { clientGroup: m.id, addedMs: m.addedMs, allowedMs: allowed };
      }
    }
    return worst;
  }

  /**
   * What going from one trial to another costs the users who move between them; with `scope`, only the
   * users of one listener whose nearest healthy Region is the given one (one endpoint group's users).
   */
  movedCost(from: Trial, fromEvaluator: DialEvaluator, to: Trial, toEvaluator: DialEvaluator, scope?: { listener: number; region: number }): MovedCost {
    const R = this.model.regions.length;
    const landing = new Map<number, number>();
    const perGroup: { id: string; moved: number; addedMs: number }[] = [];
    const unknown: string[] = [];
    let movedTotal = 0;
    this.model.classes.forEach((cls, ci) => {
      const delta = new Float64Array(R);
      this.model.listeners.forEach((l, li) => {
        if (scope !== undefined && (li !== scope.listener || mainFirst(cls.pref.first, l.present) !== scope.region)) return;
        const a = fromEvaluator.landingOf(from, li, ci);
        const b = toEvaluator.landingOf(to, li, ci);
        for (let r = 0; r < R; r += 1) delta[r] = (delta[r] as number) + l.weight * ((b[r] as number) - (a[r] as number));
      });
      let moved = 0;
      for (let r = 0; r < R; r += 1) if ((delta[r] as number) > 0) moved += delta[r] as number;
      if (moved < 1e-9) return;
      let cost = 0;
      let known = true;
      for (let r = 0; r < R; r += 1) {
        const d = delta[r] as number;
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
    let weight = 0;
    let worst = Number.NEGATIVE_INFINITY;
    let worstGroup: string | null = null;
    for (const p of perGroup) {
      weighted += p.addedMs * p.moved;
      weight += p.moved;
      if (p.moved >= MIN_SHARE_OF_MOVED * movedTotal && p.addedMs > worst) {
        worst = p.addedMs;
        worstGroup = p.id;
      }
    }
    const normalized = new Map<number, number>();
    for (const [r, v] of landing) normalized.set(r, movedTotal > 0 ? v / movedTotal : 0);
    return {
      movedShare: this.model.totalDemandAhead > 0 ? movedTotal / this.model.totalDemandAhead : 0,
      meanAddedMs: weight > 0 ? weighted / weight : 0,
      worstAddedMs: worstGroup === null ? 0 : worst,
      worstClientGroup: worstGroup,
      landing: normalized,
      unknownGroups: unknown,
    };
  }

  /** Added RTT per moved user of each member (from the natural landing), for members that bind the budget. */
  private perMember(trial: Trial, evaluator: DialEvaluator): { id: string; addedMs: number }[] {
    const R = this.model.regions.length;
    const rows: { id: string; moved: number; addedMs: number }[] = [];
    let movedTotal = 0;
    this.model.classes.forEach((cls, ci) => {
      const delta = new Float64Array(R);
      let any = false;
      this.model.listeners.forEach((l, li) => {
        const a = evaluator.naturalLanding[li]?.[ci] as Float64Array;
        const b = evaluator.landingOf(trial, li, ci);
        for (let r = 0; r < R; r += 1) {
          const d = (b[r] as number) - (a[r] as number);
          if (d !== 0) {
            delta[r] = (delta[r] as number) + l.weight * d;
            any = true;
          }
        }
      });
      if (!any) return;
      let moved = 0;
      for (let r = 0; r < R; r += 1) if ((delta[r] as number) > 0) moved += delta[r] as number;
      if (moved < 1e-9) return;
      let cost = 0;
      let known = true;
      for (let r = 0; r < R; r += 1) {
        const d = delta[r] as number;
        if (Math.abs(d) < 1e-12) continue;
        const rtt = cls.rttMs[r] as number;
        if (Number.isNaN(rtt)) known = false;
        else cost += d * rtt;
      }
      movedTotal += moved * cls.demandAhead;
      // A group moving to a Region it has no RTT for cannot be judged: it does not bind the budget.
      if (known) rows.push({ id: cls.id, moved: moved * cls.demandAhead, addedMs: cost / moved });
    });
    return rows.filter((r) => r.moved >= MIN_SHARE_OF_MOVED * movedTotal).map((r) => ({ id: r.id, addedMs: r.addedMs }));
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
