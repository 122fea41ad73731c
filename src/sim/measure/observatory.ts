// What the measurement systems can see of the truth: a history of each step's load per Region and
// demand per client group, read back with each system's lag.

import type { RegionCode } from '../../domain/traffic.js';

export interface Observation {
  readonly tMs: number;
  /** Active flows per Region (what an NLB's flow count reads). */
  readonly loadByRegion: Readonly<Record<RegionCode, number>>;
  /** Flows each Region can carry at 100 % now (what healthy hosts x per-host capacity reads). */
  readonly capacityByRegion: Readonly<Record<RegionCode, number>>;
  readonly demandByClientGroup: Readonly<Record<string, number>>;
}

export class Observatory {
  private readonly history: Observation[] = [];

  constructor(private readonly keepMs: number) {}

  record(o: Observation): void {
    this.history.push(o);
    const horizon = o.tMs - this.keepMs;
    while (this.history.length > 1 && (this.history[0]?.tMs ?? 0) < horizon) this.history.shift();
  }

  /** The newest observation at or before tMs (what a system lagging by `now - tMs` sees). */
  at(tMs: number): Observation | undefined {
    for (let i = this.history.length - 1; i >= 0; i -= 1) {
      const o = this.history[i];
      if (o !== undefined && o.tMs <= tMs) return o;
    }
    return undefined;
  }
}
