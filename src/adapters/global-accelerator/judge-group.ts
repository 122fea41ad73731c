// Judging a live endpoint group against a planned change: before a write (may it be written?), after
// a write that failed or went unanswered (did it land, or did someone else change the group?), and
// after a write that succeeded (did exactly the intended values land?).

import { dialsEqual } from '../../domain/traffic.js';
import type { DialChange, PlannedChange, WeightsChange } from '../../plan/types.js';
import type { EndpointGroupTopology } from '../../snapshot/schema.js';

export const MAX_ENDPOINTS_PER_WRITE = 10;

export type Verdict = { status: 'write' } | { status: 'already-applied' | 'stale' | 'failed'; message: string };

/** Before the first write: the group must still be as the plan found it (or already as it wants it). */
export function judgeChange(change: PlannedChange, live: EndpointGroupTopology): Verdict {
  return change.kind === 'dial' ? judgeDial(change, live) : judgeWeights(change, live);
}

function judgeDial(change: DialChange, live: EndpointGroupTopology): Verdict {
  if (dialsEqual(live.trafficDialPercent, change.after.trafficDialPercent)) return { status: 'already-applied', message: `dial is already ${live.trafficDialPercent}` };
  if (!dialsEqual(live.trafficDialPercent, change.before.trafficDialPercent)) {
    return { status: 'stale', message: `dial is ${round(live.trafficDialPercent)}, the plan expected ${change.before.trafficDialPercent}: changed since the plan was made` };
  }
  return { status: 'write' };
}

function judgeWeights(change: WeightsChange, live: EndpointGroupTopology): Verdict {
  const liveIds = idsOf(live);
  const planIds = change.before.endpoints.map((e) => e.endpointId).sort();
  if (liveIds.join('\n') !== planIds.join('\n')) {
    return { status: 'stale', message: `the group's endpoints are now [${liveIds.join(', ')}], the plan was made for [${planIds.join(', ')}]` };
  }
  if (live.endpoints.length > MAX_ENDPOINTS_PER_WRITE) {
    return { status: 'failed', message: `the group has ${live.endpoints.length} endpoints; UpdateEndpointGroup takes at most ${MAX_ENDPOINTS_PER_WRITE}, so its weights cannot be rewritten safely` };
  }
  if (weightsMatch(live, change.after.endpoints)) return { status: 'already-applied', message: 'weights already match' };
  if (!weightsMatch(live, change.before.endpoints)) return { status: 'stale', message: `weights are now ${weightsOf(live)}: changed since the plan was made` };
  return { status: 'write' };
}

export type Rejudged =
  /** The change is there: the failed write landed after all. `others`: what else changed meanwhile. */
  | { kind: 'landed'; others: string[] }
  /** The group is exactly as first read: the write did not land and nobody else touched it. */
  | { kind: 'unchanged' }
  /** Something else changed: someone else is editing the group. */
  | { kind: 'moved'; what: string };

/**
 * After a write that failed or went unanswered: `found` is the group as first read (judged to match
 * the plan's `before`), `fresh` as read now.
 */
export function rejudgeChange(change: PlannedChange, found: EndpointGroupTopology, fresh: EndpointGroupTopology): Rejudged {
  const others = otherSettingChanges(change, found, fresh);
  const own = ownSetting(change, fresh);
  if (own === 'after') return { kind: 'landed', others };
  if (own === 'before' && others.length === 0) return { kind: 'unchanged' };
  return { kind: 'moved', what: [...(own === 'before' ? [] : [own]), ...others].join('; ') };
}

/** Where the change's own setting stands in `g`: as planned before, as planned after, or neither (described). */
function ownSetting(change: PlannedChange, g: EndpointGroupTopology): 'before' | 'after' | string {
  if (change.kind === 'dial') {
    if (dialsEqual(g.trafficDialPercent, change.after.trafficDialPercent)) return 'after';
    if (dialsEqual(g.trafficDialPercent, change.before.trafficDialPercent)) return 'before';
    return `dial is ${round(g.trafficDialPercent)}`;
  }
  // The planned endpoints' weights; an endpoint added or removed is judged with the other settings.
  const planned = change.before.endpoints.map((e) => e.endpointId);
  const weightOf = (id: string): number | undefined => g.endpoints.find((e) => e.endpointId === id)?.weight;
  if (planned.some((id) => weightOf(id) === undefined)) return `endpoints are [${idsOf(g).join(', ')}]`;
  if (planned.every((id) => weightOf(id) === weightIn(change.after.endpoints, id))) return 'after';
  if (planned.every((id) => weightOf(id) === weightIn(change.before.endpoints, id))) return 'before';
  return `weights are ${weightsOf(g)}`;
}

/** Settings the change does not touch that differ between `a` and `b`. */
function otherSettingChanges(change: PlannedChange, a: EndpointGroupTopology, b: EndpointGroupTopology): string[] {
  const out: string[] = [];
  if (change.kind === 'weights' && !dialsEqual(a.trafficDialPercent, b.trafficDialPercent)) out.push(`dial is ${round(b.trafficDialPercent)} where it was ${round(a.trafficDialPercent)}`);
  if (idsOf(a).join('\n') !== idsOf(b).join('\n')) out.push(`endpoints are [${idsOf(b).join(', ')}]`);
  for (const e of a.endpoints) {
    const now = b.endpoints.find((x) => x.endpointId === e.endpointId);
    if (now === undefined) continue;
    if (change.kind === 'dial' && now.weight !== e.weight) out.push(`weight of ${e.endpointId} is ${now.weight} where it was ${e.weight}`);
    if (now.clientIpPreservation !== e.clientIpPreservation) out.push(`client IP preservation of ${e.endpointId} is ${now.clientIpPreservation}`);
  }
  return out;
}

/**
 * What must hold after a write: the intended values (`failures` otherwise), and anything else in the
 * group that changed since the read before the write (`otherChanges`: someone else's concurrent edit).
 */
export function verifyWrite(change: PlannedChange, before: EndpointGroupTopology, after: EndpointGroupTopology, source: string): { failures: string[]; otherChanges: string[] } {
  const failures: string[] = [];
  const otherChanges: string[] = [];
  if (idsOf(after).join('\n') !== idsOf(before).join('\n')) otherChanges.push(`${source} shows endpoints [${after.endpoints.map((e) => e.endpointId).join(', ')}]`);
  for (const e of before.endpoints) {
    const now = after.endpoints.find((x) => x.endpointId === e.endpointId);
    if (now !== undefined && now.clientIpPreservation !== e.clientIpPreservation) failures.push(`${source} shows client IP preservation ${now.clientIpPreservation} for ${e.endpointId}`);
  }
  if (change.kind === 'dial') {
    if (!dialsEqual(after.trafficDialPercent, change.after.trafficDialPercent)) failures.push(`${source} shows dial ${round(after.trafficDialPercent)}, not ${change.after.trafficDialPercent}`);
    for (const e of before.endpoints) {
      const now = after.endpoints.find((x) => x.endpointId === e.endpointId);
      if (now !== undefined && now.weight !== e.weight) otherChanges.push(`${source} shows weight ${now.weight} for ${e.endpointId}, was ${e.weight}`);
    }
  } else {
    for (const e of after.endpoints) {
      const want = weightIn(change.after.endpoints, e.endpointId);
      if (want !== undefined && e.weight !== want) failures.push(`${source} shows weight ${e.weight} for ${e.endpointId}, not ${want}`);
    }
    if (!dialsEqual(after.trafficDialPercent, before.trafficDialPercent)) {
      otherChanges.push(`${source} shows dial ${round(after.trafficDialPercent)} where it was ${round(before.trafficDialPercent)}; left as found`);
    }
  }
  return { failures, otherChanges };
}

export function weightIn(endpoints: readonly { endpointId: string; weight: number }[], id: string): number | undefined {
  return endpoints.find((e) => e.endpointId === id)?.weight;
}

function weightsMatch(g: EndpointGroupTopology, target: readonly { endpointId: string; weight: number }[]): boolean {
  return g.endpoints.every((e) => weightIn(target, e.endpointId) === e.weight);
}

function idsOf(g: EndpointGroupTopology): string[] {
  return g.endpoints.map((e) => e.endpointId).sort();
}

function weightsOf(g: EndpointGroupTopology): string {
  return g.endpoints.map((e) => `${e.endpointId}=${e.weight}`).join(', ');
}

export function round(x: number): number {
  return Math.round(x * 100) / 100;
}
