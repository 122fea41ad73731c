// Checks an AssignmentProblem before a bound is computed from it, and the small facts both bounds need
// (which Regions may serve, and how many flows each may carry).

import type { RegionCode } from '../../domain/traffic.js';
import { BoundsInputError } from './errors.js';
import type { AssignmentProblem } from '../types.js';

/** Every inconsistency found; empty when the problem is usable. */
export function problemIssues(problem: AssignmentProblem): string[] {
  const issues: string[] = [];
  const { regions, metros, demand, capacityFraction } = problem;
  if (demand.length !== metros.length) issues.push(`demand has ${demand.length} entries for ${metros.length} metros`);
  if (!(Number.isFinite(capacityFraction) && capacityFraction > 0)) issues.push(`capacityFraction must be > 0 (got ${capacityFraction})`);
  const codes = new Set<RegionCode>();
  for (const r of regions) {
    if (codes.has(r.code)) issues.push(`Region ${r.code} listed twice`);
    codes.add(r.code);
    if (!(Number.isFinite(r.capacity) && r.capacity >= 0)) issues.push(`Region ${r.code}: capacity must be a finite number >= 0 (got ${r.capacity})`);
  }
  metros.forEach((m, i) => {
    const d = demand[i];
    if (d !== undefined && !(Number.isFinite(d) && d >= 0)) issues.push(`metro ${m.id}: demand must be a finite number >= 0 (got ${d})`);
    for (const code of codes) {
      const rtt = m.rttMs[code];
      if (rtt === undefined || !(Number.isFinite(rtt) && rtt >= 0)) issues.push(`metro ${m.id}: no usable RTT to ${code}`);
    }
    const missing = [...codes].filter((c) => !m.proximity.includes(c));
    if (missing.length > 0) issues.push(`metro ${m.id}: proximity lacks ${missing.join(', ')}`);
  });
  return issues;
}

/** @throws BoundsInputError listing every issue. */
export function assertUsableProblem(problem: AssignmentProblem): void {
  const issues = problemIssues(problem);
  if (issues.length > 0) throw new BoundsInputError(issues);
}

/** Flows a Region may carry: its capacity times the usable fraction. */
export function usableCapacity(problem: AssignmentProblem, capacity: number): number {
  return capacity * problem.capacityFraction;
}

export function healthyRegions(problem: AssignmentProblem): RegionCode[] {
  return problem.regions.filter((r) => !problem.unhealthy.has(r.code)).map((r) => r.code);
}

export function totalDemand(problem: AssignmentProblem): number {
  return problem.demand.reduce((s, d) => s + d, 0);
}
