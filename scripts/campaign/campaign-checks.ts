// The campaign's judge. It sees every write that lands in the emulator (with the group as it was just
// before), every human edit, what each cycle read, planned and reported, and the world's truth (which
// signals were stale, whether the clock was skewed, whether the accelerator was deploying). From that
// it checks, independently of the planner: no endpoint lost or added, no weight or client-IP flag
// changed except as planned, dials within [floor, 100] and steps within the maximum, never the last
// healthy Region drained, no write on stale data, one writer at a time, cooldowns and back-offs kept,
// a clock off by more than the allowance held on (and one within it not), every failure reported, and
// a state that records what landed.

import { capacityViewPercent } from '../../src/planner/objective.js';
import type { GaEndpointGroup } from '../../src/emulator/global-accelerator/store.js';
import type { HumanEdit } from '../../src/emulator/faults.js';
import type { ControllerState } from '../../src/planner/controller-state.js';
import type { Plan, PlannedChange } from '../../src/plan/types.js';
import type { Policy } from '../../src/policy/schema.js';
import type { ApplyReport } from '../../src/ports/accelerator-gateway.js';
import type { AlertEvent } from '../../src/ports/notifier.js';
import type { AcceleratorTopology } from '../../src/snapshot/schema.js';

export interface GroupView {
  readonly region: string;
  readonly listenerArn: string;
  readonly dial: number;
  /** Endpoint id -> weight, client-IP flag, health. */
  readonly endpoints: ReadonlyMap<string, { readonly weight: number; readonly clientIp: boolean; readonly healthy: boolean }>;
}

export interface Violation {
  readonly cycle: number;
  readonly kind: string;
  readonly message: string;
}

/** What the world was like during a cycle, as only the campaign knows it. */
export interface CycleTruth {
  readonly index: number;
  /** The cycle's start, true time (ms). */
  readonly startMs: number;
  readonly skewMs: number;
  /** Skew so large that every signal reads as stale or from the future: nothing may be written. */
  readonly largeSkew: boolean;
  /** Signals stale by the true clock (beyond their limit, the query's period and the skew allowance). */
  readonly staleSignals: readonly string[];
  /** Endpoints whose own load series is stale by the true clock. */
  readonly staleEndpoints: ReadonlySet<string>;
  readonly groups: ReadonlyMap<string, GroupView>;
}

export interface CycleOutcome {
  readonly plan: Plan | undefined;
  readonly report: ApplyReport | undefined;
  readonly leaseStatus: string;
  readonly error: string | undefined;
}

interface WriteRecord {
  readonly arn: string;
  readonly kind: 'dial' | 'weights';
  readonly change: PlannedChange | undefined;
}

/** Dials are float32 on the wire: two dials this close are the same dial (domain/traffic.ts). */
const EPS = 0.01;

export class CampaignChecker {
  readonly violations: Violation[] = [];
  readonly counts = new Map<string, number>();
  private cycle: CycleTruth | undefined;
  private readonly activePlans = new Set<Plan>();
  private readonly lastDescribed = new Map<string, GroupView>();
  private writes: WriteRecord[] = [];
  /** What each write left in its group (dial and weights), as ga-steer then expects to find it. */
  private readonly written_ = new Map<string, string>();
  private edits: { arn: string; edit: HumanEdit }[] = [];
  private alerts: AlertEvent[][] = [];
  private readonly windowEdited = new Set<string>();
  private readTopologies: AcceleratorTopology[] = [];
  // Back-off model: what ga-steer last set (or adopted) per group, and a change by someone else seen.
  private readonly expected = new Map<string, string>();
  private readonly override = new Map<string, { seen: string; untilMs: number }>();
  // Cooldown model: true time of the cycle of the last landed dial write and weights write, per endpoint group.
  private readonly lastDialWrite = new Map<string, number>();
  private readonly lastWeightsWrite = new Map<string, number>();

  constructor(
    private readonly policy: Policy,
    /** Slack for skew between cycles' clocks when judging times (ms). */
    private readonly toleranceMs: number,
  ) {}

  count(kind: string, n = 1): void {
    this.counts.set(kind, (this.counts.get(kind) ?? 0) + n);
  }

  beginCycle(truth: CycleTruth): void {
    this.cycle = truth;
    this.writes = [];
    this.edits = [];
    this.alerts = [];
    this.windowEdited.clear();
    this.readTopologies = [];
  }

  // --- what the emulator and the wrapped gateway report as it happens ---

  applyStarted(plan: Plan): void {
    this.activePlans.add(plan);
  }

  applyEnded(plan: Plan): void {
    this.activePlans.delete(plan);
  }

  topologyRead(topology: AcceleratorTopology): void {
    this.readTopologies.push(topology);
  }

  alerted(events: readonly AlertEvent[]): void {
    this.alerts.push([...events]);
  }

  described(arn: string, group: GaEndpointGroup, listenerArn: string): void {
    this.lastDescribed.set(arn, viewOf(group, listenerArn));
  }

  humanEdited(edit: HumanEdit): void {
    this.edits.push({ arn: edit.endpointGroupArn, edit });
  }

  /** An UpdateEndpointGroup about to be served; `live` is the group just before, `listeners` every group after. */
  written(input: Readonly<Record<string, unknown>>, live: GroupView, after: () => ReadonlyMap<string, GroupView>): void {
    const arn = String(input['EndpointGroupArn']);
    const configs = input['EndpointConfigurations'] as { EndpointId?: string; Weight?: number; ClientIPPreservationEnabled?: boolean }[] | undefined;
    const dial = input['TrafficDialPercentage'] as number | undefined;
    const kind: 'dial' | 'weights' = configs !== undefined ? 'weights' : 'dial';
    const plans = [...this.activePlans];
    if (plans.length !== 1) this.fail('one-writer', `${arn}: a ${kind} write while ${plans.length} applies were running`);
    const change = plans.flatMap((p) => p.changes).find((c) => c.address.endpointGroupArn === arn && c.kind === kind && !c.dryRun);
    this.writes.push({ arn, kind, change });
    const next: GroupView =
      configs !== undefined
        ? { ...live, endpoints: new Map((configs ?? []).map((c) => [c.EndpointId ?? '', { weight: c.Weight ?? 128, clientIp: c.ClientIPPreservationEnabled ?? false, healthy: true }])) }
        : { ...live, dial: dial ?? live.dial };
    this.written_.set(arn, keyOf(next));
    this.count(`writes landed (${kind})`);
    if (change === undefined) return this.fail('unplanned-write', `${arn}: a ${kind} write no plan of the cycle holds`);
    // A human edit between ga-steer's read and write of the group (one round trip) is last-writer-wins:
    // GA has no conditional write (README, known limits). Counted, not judged.
    const described = this.lastDescribed.get(arn);
    const window = described !== undefined && sameView(described, live) ? false : true;
    if (window) {
      this.windowEdited.add(arn);
      this.count('human edits in the read-write round trip (last writer wins)');
    }
    if (change.kind === 'dial') {
      if (configs !== undefined) this.fail('unplanned-write', `${arn}: a dial change wrote the endpoint list`);
      if (dial === undefined || Math.abs(dial - change.after.trafficDialPercent) > 0.01) this.fail('dial-not-as-planned', `${arn}: wrote dial ${dial}, planned ${change.after.trafficDialPercent}`);
      if (!window && Math.abs(live.dial - change.before.trafficDialPercent) > 0.01) this.fail('stale-apply', `${arn}: wrote the dial over ${live.dial}, the plan was made for ${change.before.trafficDialPercent}`);
      this.checkDialLimits(arn, change.before.trafficDialPercent, change.after.trafficDialPercent, live.region);
      this.checkServing(arn, after());
      return;
    }
    if (change.kind !== 'weights') return;
    if (dial !== undefined) this.fail('unplanned-write', `${arn}: a weights change wrote the dial`);
    const ids = (configs ?? []).map((c) => c.EndpointId ?? '').sort();
    const liveIds = [...live.endpoints.keys()].sort();
    if (ids.join(',') !== liveIds.join(',')) {
      if (window) this.count('endpoint lists overwritten in the read-write round trip');
      else this.fail('endpoint-list', `${arn}: wrote endpoints [${ids.join(', ')}] over [${liveIds.join(', ')}]`);
    }
    for (const c of configs ?? []) {
      const id = c.EndpointId ?? '';
      const was = live.endpoints.get(id);
      if (was === undefined) continue;
      if (c.ClientIPPreservationEnabled !== was.clientIp) this.fail('client-ip', `${arn}: wrote client IP preservation ${String(c.ClientIPPreservationEnabled)} for ${id}, was ${was.clientIp}`);
      const planned = change.after.endpoints.find((e) => e.endpointId === id)?.weight;
      const want = planned ?? was.weight;
      if (c.Weight !== want) this.fail('weight-not-as-planned', `${arn}: wrote weight ${String(c.Weight)} for ${id}, expected ${want}`);
      const before = change.before.endpoints.find((e) => e.endpointId === id)?.weight;
      if (!window && before !== undefined && before !== was.weight) this.fail('stale-apply', `${arn}: wrote weights over ${id}=${was.weight}, the plan was made for ${before}`);
    }
    const stale = change.after.endpoints.filter((e) => this.cycle?.staleEndpoints.has(e.endpointId) === true && e.weight !== change.before.endpoints.find((b) => b.endpointId === e.endpointId)?.weight);
    if (stale.length > 0) this.fail('stale-data', `${arn}: moved the weight of ${stale.map((e) => e.endpointId).join(', ')}, whose load series is stale`);
  }

  private checkDialLimits(arn: string, before: number, after: number, region: string): void {
    const g = this.policy.guardrails;
    const floor = this.policy.regions[region]?.dialFloorPercent ?? g.dialFloorPercent;
    if (after > 100 + EPS || after < -EPS) this.fail('dial-range', `${arn}: dial ${after}`);
    if (after < before - EPS && after < floor - EPS) this.fail('dial-floor', `${arn}: dial lowered to ${after}, below the floor ${floor}`);
    if (before - after > g.maxStepPercent + EPS) this.fail('dial-step', `${arn}: dial lowered by ${before - after} (max ${g.maxStepPercent})`);
    if (after - before > g.restoreStepPercent + EPS) this.fail('dial-step', `${arn}: dial raised by ${after - before} (max ${g.restoreStepPercent})`);
  }

  /** After a dial write: on its listener, a healthy Region still serves, and enough Regions do. */
  private checkServing(arn: string, groups: ReadonlyMap<string, GroupView>): void {
    const listener = groups.get(arn)?.listenerArn;
    const mine = [...groups.values()].filter((g) => g.listenerArn === listener);
    const healthy = mine.filter((g) => [...g.endpoints.values()].some((e) => e.healthy && e.weight > 0));
    if (healthy.length > 0 && !healthy.some((g) => g.dial > EPS)) this.fail('last-healthy-region', `${arn}: after the write no healthy Region on ${listener} has a dial above 0`);
    const serving = mine.filter((g) => g.dial > EPS).length;
    if (serving < this.policy.guardrails.minRegionsServing) this.fail('min-regions-serving', `${arn}: ${serving} Regions serving on ${listener}`);
  }

  // --- after the cycle ---

  endCycle(outcomes: readonly CycleOutcome[], groupsNow: ReadonlyMap<string, GroupView>, state: ControllerState | undefined): void {
    const truth = this.cycle;
    if (truth === undefined) return;
    this.judgeBackoffAtRead(truth, outcomes.some((o) => o.plan?.decision !== undefined));
    this.judgeClock(truth, outcomes);
    this.judgeEndpoints(truth, groupsNow);
    const wrote = this.writes.length > 0;
    if (wrote) {
      const writer = outcomes.find((o) => o.report !== undefined);
      const seen = this.readTopologies[0];
      if (seen !== undefined && seen.status !== 'DEPLOYED') this.fail('stale-data', `wrote while the accelerator read ${seen.status}`);
      if (truth.largeSkew) this.fail('stale-data', `wrote with the clock ${truth.skewMs / 1000} s off`);
      if (truth.staleSignals.length > 0) this.fail('stale-data', `wrote while ${truth.staleSignals.join(', ')} ${truth.staleSignals.length > 1 ? 'were' : 'was'} stale`);
      if (writer === undefined) this.fail('unreported', `${this.writes.length} writes landed in a cycle that reported no apply (${outcomes.map((o) => o.error ?? o.leaseStatus).join('; ')})`);
      this.judgeCooldowns(truth, writer?.plan);
      this.judgeBackoffWrites(truth);
    }
    for (const o of outcomes) this.judgeReport(truth, o, state);
    // CAMPAIGN_TRACE=<end of an endpoint group ARN>: one line per cycle on that group, to explain a violation.
    const trace = process.env['CAMPAIGN_TRACE'];
    if (trace !== undefined) {
      const g = this.readTopologies[0]?.listeners.flatMap((l) => l.endpointGroups).find((x) => x.arn.endsWith(trace));
      const arn = g?.arn ?? '';
      process.stderr.write(`#${truth.index} t=${truth.startMs / 1000} skew=${truth.skewMs} seen=${g ? keyOfTopology(g) : '-'} exp=${this.expected.get(arn)} ov=${JSON.stringify(this.override.get(arn))} writes=${JSON.stringify(this.writes.filter((w) => w.arn === arn).map((w) => w.kind))} edits=${JSON.stringify(this.edits.filter((e) => e.arn === arn).map((e) => e.edit))} holds=${outcomes.map((o) => o.plan?.holds.map((h) => h.reason).join(',')).join(' / ')} report=${outcomes.map((o) => o.report?.changes.map((c) => c.change.address.endpointGroupArn.endsWith(trace) ? `${c.change.kind}:${c.status}` : '').join(',')).join(' / ')} state=${JSON.stringify(state?.groups[arn])}\n`);
    }
    for (const [arn, key] of this.written_) this.expected.set(arn, key);
    this.written_.clear();
    for (const w of this.writes) {
      const region = w.change?.address.region ?? '';
      if (w.kind === 'dial') this.lastDialWrite.set(w.arn, truth.startMs);
      else this.lastWeightsWrite.set(w.arn, truth.startMs);
    }
    this.count('cycles');
  }

  /** Every cycle that read the accelerator with its clock off by more than the allowance holds for it; one within the allowance never does. */
  private judgeClock(truth: CycleTruth, outcomes: readonly CycleOutcome[]): void {
    for (const o of outcomes) {
      if (o.plan === undefined || o.leaseStatus === 'held-elsewhere') continue;
      const held = o.plan.holds.some((h) => h.reason === 'ClockSkew');
      if (held) this.count('cycles held for clock skew');
      if (truth.largeSkew && !held) this.fail('clock-skew', `the clock was ${truth.skewMs / 1000} s off and the cycle did not hold for it (holds: ${o.plan.holds.map((h) => h.reason).join(', ') || 'none'})`);
      if (!truth.largeSkew && held) this.fail('clock-skew', `held for clock skew with the clock ${truth.skewMs / 1000} s off, within the allowance`);
    }
  }

  /** Endpoints: the set is what it was plus what people added, minus what they removed; client-IP flags unchanged. */
  private judgeEndpoints(truth: CycleTruth, groupsNow: ReadonlyMap<string, GroupView>): void {
    for (const [arn, start] of truth.groups) {
      const ids = new Set(start.endpoints.keys());
      for (const e of this.edits.filter((x) => x.arn === arn)) {
        if (e.edit.addEndpoint !== undefined) ids.add(e.edit.addEndpoint.endpointId);
        if (e.edit.removeEndpointId !== undefined) ids.delete(e.edit.removeEndpointId);
      }
      const now = groupsNow.get(arn);
      const nowIds = [...(now?.endpoints.keys() ?? [])].sort();
      if ([...ids].sort().join(',') !== nowIds.join(',') && !this.windowEdited.has(arn)) {
        this.fail('endpoint-list', `${arn}: endpoints are [${nowIds.join(', ')}], expected [${[...ids].sort().join(', ')}]`);
      }
      for (const [id, e] of now?.endpoints ?? []) {
        const was = start.endpoints.get(id);
        if (was !== undefined && was.clientIp !== e.clientIp) this.fail('client-ip', `${arn}: client IP preservation of ${id} changed to ${e.clientIp}`);
      }
    }
  }

  /** Cooldowns: a group's dial and its weights change at most once per cooldown (less the clocks' slack): the cooldown is per endpoint group. */
  private judgeCooldowns(truth: CycleTruth, plan: Plan | undefined): void {
    const cooldownMs = this.policy.guardrails.cooldownSeconds * 1000 - this.toleranceMs;
    for (const w of this.writes) {
      const region = w.change?.address.region ?? '';
      if (w.kind === 'dial') {
        const last = this.lastDialWrite.get(w.arn);
        if (last === undefined || truth.startMs - last >= cooldownMs) continue;
        const assessed = plan?.regions.find((r) => r.region === region);
        if (headingOverCapacity(assessed?.predictedIfUnchangedPercent ?? null, assessed?.utilizationPercent ?? null) && w.change?.kind === 'dial' && w.change.after.trafficDialPercent < w.change.before.trafficDialPercent) {
          // The planner lets a group whose Region is heading over its capacity step down within its cooldown (dial-bounds.ts).
          this.count('dial changes within the cooldown for a Region heading over capacity');
        } else this.fail('cooldown', `${w.arn}: dial changed ${(truth.startMs - last) / 1000} s after its last change`);
      } else {
        const last = this.lastWeightsWrite.get(w.arn);
        if (last !== undefined && truth.startMs - last < cooldownMs) this.fail('cooldown', `${w.arn}: weights changed ${(truth.startMs - last) / 1000} s after their last change`);
        const dialAt = this.lastDialWrite.get(w.arn);
        if (dialAt !== undefined && truth.startMs - dialAt < cooldownMs) this.fail('cooldown', `${w.arn}: weights changed ${(truth.startMs - dialAt) / 1000} s after a dial change of the group`);
      }
    }
  }

  /** The back-off model at this cycle's read: a change ga-steer did not make starts (or restarts) it. */
  private judgeBackoffAtRead(truth: CycleTruth, decided: boolean): void {
    const seen = this.readTopologies[0];
    if (seen === undefined) return;
    const backoffMs = this.policy.guardrails.humanOverrideBackoffSeconds * 1000;
    for (const l of seen.listeners) {
      for (const g of l.endpointGroups) {
        const key = keyOfTopology(g);
        const expected = this.expected.get(g.arn);
        if (expected === undefined) {
          // ga-steer forms its first expectation in a cycle that decided (not one held on stale data).
          if (decided) this.expected.set(g.arn, key);
          continue;
        }
        const o = this.override.get(g.arn);
        if (o !== undefined && truth.startMs >= o.untilMs && key === o.seen) {
          this.expected.set(g.arn, key);
          this.override.delete(g.arn);
          continue;
        }
        if (key === expected) {
          this.override.delete(g.arn);
          continue;
        }
        if (o === undefined || o.seen !== key) {
          this.override.set(g.arn, { seen: key, untilMs: truth.startMs + backoffMs });
          this.count('human changes seen by a cycle');
        }
      }
    }
  }

  private judgeBackoffWrites(truth: CycleTruth): void {
    for (const w of this.writes) {
      const region = w.change?.address.region;
      for (const [arn, o] of this.override) {
        if (truth.groups.get(arn)?.region !== region) continue;
        if (truth.startMs < o.untilMs - this.toleranceMs) this.fail('backoff', `${w.arn}: ${w.kind} written ${Math.round((o.untilMs - truth.startMs) / 1000)} s before the back-off for a change by someone else in ${region} ended (saw ${o.seen}, expected ${this.expected.get(arn) ?? '?'}; edits this cycle: ${JSON.stringify(this.edits)})`);
      }
    }
  }

  /** Every failure reported, nothing claimed that did not land, and a state that says what landed. */
  private judgeReport(truth: CycleTruth, o: CycleOutcome, state: ControllerState | undefined): void {
    if (o.error !== undefined) this.count(`cycle errors: ${o.error}`);
    const report = o.report;
    if (report === undefined || o.plan === undefined) return;
    this.count(`apply outcome: ${report.outcome}`);
    for (const c of report.changes) {
      const landed = this.writes.some((w) => w.change === c.change);
      if (c.status === 'applied' && !landed) this.fail('unreported', `${c.change.address.endpointGroupArn}: ${c.change.kind} reported applied, but no write of it landed`);
      if (landed && c.status !== 'applied' && c.status !== 'failed') this.fail('unreported', `${c.change.address.endpointGroupArn}: a ${c.change.kind} write landed, reported ${c.status}`);
      if ((c.status === 'failed' || c.status === 'stale' || c.status === 'not-attempted') && (c.message ?? '') === '') this.fail('unreported', `${c.change.address.endpointGroupArn}: ${c.status} without a message`);
      this.count(`change ${c.status}`);
    }
    // Alerts are deduplicated (issue 11): a failure already posted and still open in the alert memory is reported.
    const openFailures = Object.keys((state as { alerts?: { open?: Record<string, unknown> } } | undefined)?.alerts?.open ?? {}).filter((k) => k.startsWith('failure:apply:'));
    if ((report.outcome === 'failed' || report.outcome === 'partial') && !this.alerts.some((a) => a.includes('apply-failed')) && openFailures.length === 0) {
      this.fail('unreported', `apply ${report.outcome} raised no apply-failed alert`)
    }
    if (state === undefined || o.leaseStatus !== 'kept') return;
    const nowIso = o.plan.generatedAt;
    for (const c of report.changes) {
      const s = state.groups[c.change.address.endpointGroupArn];
      if (s === undefined || s.humanOverrideSeenAt !== undefined) continue;
      const landed = c.status === 'applied' || c.status === 'already-applied';
      if (c.change.kind === 'dial') {
        if (landed && s.lastChangeAt !== nowIso) this.fail('state', `${c.change.address.endpointGroupArn}: dial ${c.status}, but the state's lastChangeAt is ${String(s.lastChangeAt)}`);
        if (!landed && c.status !== 'dry-run' && s.lastChangeAt === nowIso) this.fail('state', `${c.change.address.endpointGroupArn}: dial ${c.status}, but the state restarted its cooldown`);
        if (!landed && c.status !== 'dry-run' && s.expectedDialPercent !== c.change.before.trafficDialPercent) this.fail('state', `${c.change.address.endpointGroupArn}: dial ${c.status}, but the state expects ${String(s.expectedDialPercent)}`);
      } else {
        if (!landed && c.status !== 'dry-run' && s.weightsChangedAt === nowIso) this.fail('state', `${c.change.address.endpointGroupArn}: weights ${c.status}, but the state says they changed now`);
        if (landed && s.weightsChangedAt !== nowIso) this.fail('state', `${c.change.address.endpointGroupArn}: weights ${c.status}, but the state's weightsChangedAt is ${String(s.weightsChangedAt)}`);
      }
    }
    void truth;
  }

  private fail(kind: string, message: string): void {
    this.violations.push({ cycle: this.cycle?.index ?? -1, kind, message });
  }
}

export function viewOf(group: GaEndpointGroup, listenerArn: string): GroupView {
  return {
    region: group.region,
    listenerArn,
    dial: group.trafficDialPercent,
    endpoints: new Map(group.endpoints.map((e) => [e.endpointId, { weight: e.weight, clientIp: e.clientIpPreservation, healthy: e.healthState === 'HEALTHY' }])),
  };
}

function sameView(a: GroupView, b: GroupView): boolean {
  return keyOf(a) === keyOf(b) && [...a.endpoints].every(([id, e]) => b.endpoints.get(id)?.clientIp === e.clientIp);
}

/** Dial and weights, as ga-steer compares them with what it expects. */
function keyOf(g: GroupView | undefined): string {
  if (g === undefined) return '';
  return `${Math.round(g.dial * 100) / 100}|${[...g.endpoints].map(([id, e]) => `${id}=${e.weight}`).sort().join(',')}`;
}

function keyOfTopology(g: AcceleratorTopology['listeners'][number]['endpointGroups'][number]): string {
  return `${Math.round(g.trafficDialPercent * 100) / 100}|${g.endpoints.map((e) => `${e.endpointId}=${e.weight}`).sort().join(',')}`;
}

/** The planner's rule for "heading over capacity" (objective.ts), with half a point of slack: the plan rounds its figures. */
function headingOverCapacity(ahead: number | null, measured: number | null): boolean {
  return ahead !== null && capacityViewPercent(ahead, measured ?? undefined) > 99.5;
}
