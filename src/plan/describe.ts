// Small phrases shared by the text and Markdown renderings.

import type { ChangeAddress, Hold, OverloadRecord, PlannedChange } from './types.js';

export function shortArnId(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

export function describeAddress(a: ChangeAddress): string {
  return `${a.region} listener ${shortArnId(a.listenerArn)} group ${shortArnId(a.endpointGroupArn)}`;
}

export function describeHoldScope(h: Hold): string {
  if (h.scope.kind === 'global') return 'all';
  if (h.scope.kind === 'region') return h.scope.region;
  return describeAddress(h.scope.address);
}

export function formatPercent(n: number | null): string {
  return n === null ? 'n/a' : `${trim(n)} %`;
}

export function trim(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

export function describeChangeValues(c: PlannedChange): string {
  if (c.kind === 'dial') return `traffic dial ${trim(c.before.trafficDialPercent)} -> ${trim(c.after.trafficDialPercent)}`;
  const pairs = c.after.endpoints.map((e, i) => {
    const before = c.before.endpoints[i]?.weight;
    return before === e.weight ? `${shortEndpoint(e.endpointId)} ${e.weight}` : `${shortEndpoint(e.endpointId)} ${String(before)} -> ${e.weight}`;
  });
  return `weights ${pairs.join(', ')}`;
}

export function describeWhy(c: PlannedChange): string {
  const e = c.evidence;
  if (c.kind === 'weights') return e.notes[0] ?? '';
  const util = formatPercent(e.utilizationPercent);
  const pred = formatPercent(e.predictedUtilizationPercent);
  return c.reason === 'DialReduced'
    ? `utilization ${util} above drain threshold ${e.drainAbovePercent} %; predicted ${pred} (target ${e.targetPercent} %)`
    : `utilization ${util} below restore threshold ${e.restoreBelowPercent} %; predicted ${pred} (target ${e.targetPercent} %)`;
}

export function describeLanding(c: PlannedChange): string | undefined {
  const entries = Object.entries(c.evidence.predictedLanding);
  if (entries.length === 0) return undefined;
  return entries
    .sort(([, a], [, b]) => b - a)
    .map(([r, s]) => {
      const u = c.evidence.receiverUtilizationPercent[r];
      return `${r} ${trim(Math.round(s * 1000) / 10)} %${u !== undefined ? ` (predicted ${trim(u)} %)` : ''}`;
    })
    .join(', ');
}

export function describeLatency(c: PlannedChange): string | undefined {
  if (c.kind !== 'dial') return undefined;
  const l = c.evidence.addedLatencyMs;
  const sign = (n: number): string => (n >= 0 ? `+${trim(n)}` : trim(n));
  return `${sign(l.meanMs)} ms mean for the users who move${l.worstClientGroup !== null ? `, worst ${sign(l.worstMs)} ms (${l.worstClientGroup})` : ''}`;
}

function shortEndpoint(id: string): string {
  const parts = id.split('/');
  return parts.length > 2 ? parts.slice(-2).join('/') : id;
}

/**
 * Whether the Regions can absorb the load heading over capacity, when some is: the one line that says
 * which way the planner works this cycle (relieve into the others, or contain an overload that stays).
 */
export function describeOverload(o: OverloadRecord | undefined): string | undefined {
  if (o === undefined) return undefined;
  const sides = `${trim(o.overCapacityDemandPercent)} % of demand heading over capacity at the current dials, room for ${trim(o.roomDemandPercent)} % below the 95 % margin in the other Regions`;
  return o.absorbable
    ? `${sides}: the others can absorb it, so the Regions over capacity are relieved into them`
    : `${sides}: it cannot be absorbed, so some Region stays over capacity whatever the dials; receivers are filled only below their margin and the overload is kept in as few Regions as possible`;
}
