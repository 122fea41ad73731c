// An in-memory AcceleratorGateway for app-layer tests: applies changes to a topology it holds, checks
// `before` like the real adapter, and can be told to fail a given write.

import { dialsEqual } from '../../src/domain/traffic.js';
import type { Plan } from '../../src/plan/types.js';
import type { AcceleratorGateway, ApplyReport, ChangeApplyOutcome, WriteGuard } from '../../src/ports/accelerator-gateway.js';
import type { AcceleratorTopology } from '../../src/snapshot/schema.js';

export class MemoryGateway implements AcceleratorGateway {
  failWrites = new Set<number>();
  /** Called after each write lands: tests use it to act between two writes (a takeover, a stall). */
  afterWrite: (() => Promise<void>) | undefined;
  readCount = 0;
  /** Thrown by readTopology while set: a Global Accelerator that cannot be read. */
  readError: Error | undefined;
  private writes = 0;
  constructor(public topology: AcceleratorTopology) {}

  async readTopology(): Promise<AcceleratorTopology> {
    this.readCount += 1;
    if (this.readError !== undefined) throw this.readError;
    return structuredClone(this.topology);
  }

  async applyPlan(plan: Plan, guard?: WriteGuard): Promise<ApplyReport> {
    const outcomes: ChangeApplyOutcome[] = [];
    let stopped = false;
    let refusal: string | undefined;
    for (const change of plan.changes) {
      if (change.dryRun) {
        outcomes.push({ change, status: 'dry-run' });
        continue;
      }
      const permit = !stopped && guard !== undefined ? await guard.beforeWrite() : undefined;
      if (permit !== undefined && !permit.allowed) {
        refusal = permit.reason;
        stopped = true;
      }
      if (stopped) {
        outcomes.push({ change, status: 'not-attempted', ...(refusal !== undefined ? { message: refusal } : {}) });
        continue;
      }
      const group = this.topology.listeners.flatMap((l) => l.endpointGroups).find((g) => g.arn === change.address.endpointGroupArn);
      if (group === undefined) throw new Error('unknown group');
      const live = change.kind === 'dial' ? dialsEqual(group.trafficDialPercent, change.before.trafficDialPercent) : change.before.endpoints.every((e, i) => group.endpoints[i]?.weight === e.weight);
      if (!live) {
        outcomes.push({ change, status: 'stale' });
        stopped = true;
        continue;
      }
      this.writes += 1;
      if (this.failWrites.has(this.writes)) {
        outcomes.push({ change, status: 'failed', message: 'InternalServiceErrorException' });
        stopped = true;
        continue;
      }
      if (change.kind === 'dial') group.trafficDialPercent = change.after.trafficDialPercent;
      else change.after.endpoints.forEach((e, i) => { const ep = group.endpoints[i]; if (ep !== undefined) ep.weight = e.weight; });
      outcomes.push({ change, status: 'applied' });
      await this.afterWrite?.();
    }
    const applied = outcomes.filter((o) => o.status === 'applied').length;
    const bad = outcomes.some((o) => o.status === 'failed' || o.status === 'stale' || o.status === 'not-attempted');
    return { outcome: !bad ? (applied > 0 ? 'applied' : 'nothing-to-do') : applied > 0 ? 'partial' : 'failed', changes: outcomes, deployed: true };
  }
}
