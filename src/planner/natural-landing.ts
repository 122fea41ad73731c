// Where each client group's users land with every dial at 100 and every Region healthy: who is nearest
// to which Region. While every governed dial is at 100 the landing measurements say it directly; once
// a dial is lowered they mix it with spill, and the routing model fell back to the RTT ranking, which
// can differ a lot from what GA was seen doing (a wide country whose probes rank a far Region first).
// The fit then had to explain the switch with its per-Region scales, in the cycle after the first
// change: a Region just lowered looked four times as full of its own users, its receiver nearly empty.
// Nearness does not change when a dial does, so the landing seen at full dials is remembered (in the
// controller state) and used while dials are lowered, for up to a day.

import type { GovernedTopology } from './governed-topology.js';
import type { ClientGroupSignals } from './signal-view.js';

/** Remembered natural landing: per client group, the share landing in each Region. */
export interface NaturalLanding {
  readonly at: string;
  readonly groups: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** Per client group, how many landing results its shares are made of. */
  readonly samples: Readonly<Record<string, number>>;
}

/** How long a remembered landing stands in while dials are lowered. */
const MAX_AGE_MS = 24 * 3600 * 1000;
/** Shares below this are not remembered (the model drops them too). */
const MIN_SHARE = 0.01;

export interface NaturalLandingView {
  /** The client groups with `landing` set to their natural landing where known, else undefined. */
  readonly clientGroups: readonly ClientGroupSignals[];
  /** Whether `landing` says where users start (true), or is absent or mixed with spill (false). */
  readonly natural: boolean;
  /** What to remember for the next cycles. */
  readonly remember: NaturalLanding | undefined;
}

export function naturalLanding(remembered: NaturalLanding | undefined, clientGroups: readonly ClientGroupSignals[], topology: GovernedTopology, now: Date): NaturalLandingView {
  const allFull = topology.groups.every((g) => g.group.trafficDialPercent >= 100 - 1e-9);
  const allHealthy = [...topology.regionHealth.values()].every(Boolean);
  const fresh = remembered !== undefined && now.getTime() - Date.parse(remembered.at) <= MAX_AGE_MS ? remembered : undefined;
  if (allFull) {
    // What is measured now says where users start; remember it only when no Region's users are failed over.
    if (!allHealthy) return { clientGroups, natural: true, remember: fresh };
    const groups: Record<string, Record<string, number>> = { ...(fresh?.groups ?? {}) };
    const samples: Record<string, number> = { ...(fresh?.samples ?? {}) };
    let seen = false;
    for (const g of clientGroups) {
      if (g.landing === undefined) continue;
      seen = true;
      groups[g.id] = Object.fromEntries(Object.entries(g.landing).filter(([, s]) => s >= MIN_SHARE).map(([r, s]) => [r, Math.round(s * 1000) / 1000]));
      samples[g.id] = g.landingSamples ?? 1;
    }
    return { clientGroups, natural: true, remember: seen ? { at: now.toISOString(), groups, samples } : fresh };
  }
  if (fresh === undefined) return { clientGroups: clientGroups.map((g) => ({ ...g, landing: undefined, landingSamples: undefined })), natural: false, remember: undefined };
  return {
    clientGroups: clientGroups.map((g) => ({ ...g, landing: fresh.groups[g.id], landingSamples: fresh.samples[g.id] })),
    natural: true,
    remember: fresh,
  };
}
