// The vantage points' nearest Regions, as a decision reads them from a snapshot: per client group, from
// the source with the most vantage points, fresh measurements only.

import { describe, expect, it } from 'vitest';
import { readSignals } from '../../src/planner/signal-view.js';
import { snapshotSchema } from '../../src/snapshot/schema.js';
import { makePolicy, makeSnapshot, NOW } from '../support/planner-fixtures.js';

const policy = makePolicy();
const base = makeSnapshot();

function withLatency(extra: { clientGroup: string; region: string; nearestShare?: number; vantageCount: number; source: 'ripe-atlas' | 'synthetic'; observedAt?: string }[]) {
  const replaced = new Set(extra.map((m) => `${m.clientGroup}|${m.region}|${m.source}`));
  return snapshotSchema.parse({
    ...base,
    latency: [
      ...base.latency.filter((m) => !replaced.has(`${m.clientGroup}|${m.region}|${m.source}`)),
      ...extra.map((m) => ({ p50Ms: 20, p90Ms: 25, p95Ms: 30, lossPercent: 0, sampleCount: 30, observedAt: '2026-11-22T11:50:00Z', ...m })),
    ],
  });
}

function nearestOf(snapshot: ReturnType<typeof withLatency>, group: string) {
  const view = readSignals(policy, snapshot, NOW);
  if (!view.ok) throw new Error('the view holds');
  const g = view.view.clientGroups.find((c) => c.id === group);
  return g?.nearest === undefined ? undefined : { shares: Object.fromEntries(g.nearest.shares), vantages: g.nearest.vantages };
}

describe('nearest shares in the signal view', () => {
  it('has none for a group whose measurements carry none', () => {
    expect(nearestOf(base, 'DE')).toBeUndefined();
  });

  it('reads them per group, resting on the fewest vantage points among its Regions', () => {
    const s = withLatency([
      { clientGroup: 'DE', region: 'eu-central-1', nearestShare: 0.75, vantageCount: 8, source: 'ripe-atlas' },
      { clientGroup: 'DE', region: 'eu-west-1', nearestShare: 0.25, vantageCount: 6, source: 'ripe-atlas' },
    ]);
    expect(nearestOf(s, 'DE')).toEqual({ shares: { 'eu-central-1': 0.75, 'eu-west-1': 0.25 }, vantages: 6 });
  });

  it('takes the source with more vantage points, and leaves out a stale measurement', () => {
    const s = withLatency([
      { clientGroup: 'DE', region: 'eu-central-1', nearestShare: 0.5, vantageCount: 8, source: 'ripe-atlas' },
      { clientGroup: 'DE', region: 'eu-west-1', nearestShare: 0.5, vantageCount: 8, source: 'ripe-atlas' },
      { clientGroup: 'DE', region: 'eu-central-1', nearestShare: 1, vantageCount: 2, source: 'synthetic' },
      { clientGroup: 'DE', region: 'eu-west-1', nearestShare: 0, vantageCount: 2, source: 'synthetic' },
      { clientGroup: 'IE', region: 'eu-west-1', nearestShare: 1, vantageCount: 5, source: 'ripe-atlas' },
      { clientGroup: 'IE', region: 'eu-central-1', nearestShare: 0, vantageCount: 5, source: 'ripe-atlas', observedAt: '2026-11-20T00:00:00Z' },
    ]);
    expect(nearestOf(s, 'DE')).toEqual({ shares: { 'eu-central-1': 0.5, 'eu-west-1': 0.5 }, vantages: 8 });
    expect(nearestOf(s, 'IE')).toEqual({ shares: { 'eu-west-1': 1 }, vantages: 5 });
  });
});
