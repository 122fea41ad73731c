// What the ga-steer controller reads from the simulated world besides CloudWatch: probe results
// (summarised exactly as RIPE Atlas results are) and per-country demand, the simulated equivalent of
// the service's own flow counts, each with its lag.

import { summarizeLanding, summarizeLatency } from '../../signals/summarize-samples.js';
import type { Policy } from '../../policy/schema.js';
import type { SignalReadout, SignalSource } from '../../ports/signal-source.js';
import type { ClientGroup } from '../../snapshot/schema.js';
import type { ServiceMetro } from '../types.js';
import type { Observatory } from './observatory.js';
import type { SimulatedProbes } from './simulated-probes.js';

export class SimulationSignalSource implements SignalSource {
  readonly name = 'simulator';
  private readonly clientGroups: ClientGroup[];

  constructor(
    private readonly probes: SimulatedProbes,
    private readonly observatory: Observatory,
    private readonly demandLagMs: number,
    metros: readonly ServiceMetro[],
  ) {
    this.clientGroups = [...new Set(metros.map((m) => m.clientGroup))].sort().map((id) => ({ id, countryCode: id }));
  }

  async collect(policy: Policy, now: Date): Promise<SignalReadout> {
    const { latency, landing } = this.probes.available(now.getTime());
    const lat = summarizeLatency(latency, { now, maxAgeSeconds: policy.guardrails.maxSignalAgeSeconds.latency });
    const land = summarizeLanding(landing, { now, maxAgeSeconds: policy.guardrails.maxSignalAgeSeconds.landing });
    const observed = this.observatory.at(now.getTime() - this.demandLagMs);
    const demand =
      observed === undefined
        ? []
        : Object.entries(observed.demandByClientGroup).map(([clientGroup, value]) => ({
            clientGroup,
            value,
            unit: 'flows',
            observedAt: new Date(observed.tMs).toISOString(),
            source: 'simulator' as const,
          }));
    return { latency: lat.measurements, landing: land.measurements, demand, clientGroups: this.clientGroups, problems: [] };
  }
}
