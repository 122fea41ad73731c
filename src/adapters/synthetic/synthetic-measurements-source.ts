// Synthetic feeds as a signal source: the policy's feeds read by SyntheticSignalSource, summarised per
// client group and Region like RIPE Atlas pings (per-vantage median, then quantiles across vantages),
// so the snapshot carries LatencyMeasurements with source 'synthetic' and the time of their newest
// sample. Feed failures are problems; the source never throws.

import type { ClientGroupId } from '../../domain/samples.js';
import type { Policy } from '../../policy/schema.js';
import type { SignalReadout, SignalSource } from '../../ports/signal-source.js';
import type { ClientGroup } from '../../snapshot/schema.js';
import { summarizeLatency } from '../../signals/summarize-samples.js';
import { SyntheticSignalSource } from './synthetic-signal-source.js';

export class SyntheticMeasurementsSource implements SignalSource {
  readonly name = 'synthetic';

  constructor(private readonly feeds: SyntheticSignalSource = new SyntheticSignalSource()) {}

  async collect(policy: Policy, now: Date): Promise<SignalReadout> {
    if (policy.signals.synthetic.length === 0) return { problems: [] };
    try {
      const { samples, problems } = await this.feeds.collectSamples(policy, now);
      const summary = summarizeLatency(samples, { now, maxAgeSeconds: policy.guardrails.maxSignalAgeSeconds.latency });
      const groups = [...new Set(summary.measurements.map((m) => m.clientGroup))].sort();
      return {
        latency: summary.measurements,
        clientGroups: groups.flatMap(clientGroupOf),
        problems: [...problems, ...summary.problems].map((p) => `synthetic: ${p}`),
      };
    } catch (e) {
      // collectSamples reports feed failures itself; this is the guard for anything unforeseen.
      return { problems: [`synthetic: unexpected ${e instanceof Error ? e.name : typeof e}`] };
    }
  }
}

/**
 * Feeds name their groups freely; a group named like RIPE Atlas ones (`DE`, `DE-AS3320`) gets its
 * country and ASN, so the two sources describe the same group alike. Others stay names only.
 */
function clientGroupOf(id: ClientGroupId): ClientGroup[] {
  const m = /^([A-Z]{2})(?:-AS(\d+))?$/.exec(id);
  if (m === null || m[1] === undefined) return [];
  return [{ id, countryCode: m[1], ...(m[2] !== undefined ? { asn: Number(m[2]) } : {}) }];
}
