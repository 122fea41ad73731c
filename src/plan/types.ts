// The plan: a decision as data. Versioned; renderers and `apply` read only this.

import type { DialPercent, EndpointWeight, RegionCode } from '../domain/traffic.js';

export const PLAN_FORMAT_VERSION = 1;

/** Stable, UpperCamelCase reasons for changes. Humans read them; apply never does. */
export type ChangeReason = 'DialReduced' | 'DialRestored' | 'WeightsShifted';

/** Stable reasons for holding (not changing) a scope. */
export type HoldReason =
  | 'Disabled'
  | 'AcceleratorNotDeployed'
  | 'AcceleratorNotFound'
  | 'NoData'
  | 'StaleData'
  | 'Pinned'
  | 'CoolingDown'
  | 'AwaitingEffect'
  | 'HumanOverride'
  | 'DialFloorReached'
  | 'MinRegionsServing'
  | 'LastHealthyRegion'
  | 'LatencyBudgetExceeded'
  | 'InsufficientCapacity'
  | 'ReceiverAtCapacity'
  | 'NoHealthyEndpoints'
  /** The local clock is further from AWS's (their responses' Date) than the clock-skew allowance. */
  | 'ClockSkew'
  /** Another ga-steer process holds the accelerator's lease: this cycle read and changed nothing. */
  | 'LeaseHeld';

/** Where a change lands: one endpoint group of one listener. */
export interface ChangeAddress {
  readonly acceleratorArn: string;
  readonly listenerArn: string;
  readonly endpointGroupArn: string;
  readonly region: RegionCode;
}

export interface EndpointWeightSetting {
  readonly endpointId: string;
  readonly weight: EndpointWeight;
}

export interface DialChange {
  readonly kind: 'dial';
  readonly address: ChangeAddress;
  readonly before: { readonly trafficDialPercent: DialPercent };
  readonly after: { readonly trafficDialPercent: DialPercent };
  readonly reason: ChangeReason;
  readonly evidence: ChangeEvidence;
  /** True when a dry-run rule matched: planned and reported, never applied. */
  readonly dryRun: boolean;
}

export interface WeightsChange {
  readonly kind: 'weights';
  readonly address: ChangeAddress;
  /** Every endpoint of the group, in the group's order. Apply writes back all of them. */
  readonly before: { readonly endpoints: readonly EndpointWeightSetting[] };
  readonly after: { readonly endpoints: readonly EndpointWeightSetting[] };
  readonly reason: ChangeReason;
  readonly evidence: ChangeEvidence;
  readonly dryRun: boolean;
}

export type PlannedChange = DialChange | WeightsChange;

/** The numbers that drove a change. Units are in the names. */
export interface ChangeEvidence {
  /** Measured: the newest load reading over the Region's capacity. */
  readonly utilizationPercent: number | null;
  /** Where the Region is heading with no change (pending changes settled, demand trend, Regions back from failure). */
  readonly predictedIfUnchangedPercent: number | null;
  /** Where the Region is heading with the whole plan applied. */
  readonly predictedUtilizationPercent: number | null;
  readonly targetPercent: number;
  readonly drainAbovePercent: number;
  readonly restoreBelowPercent: number;
  /** Where the traffic this change moves is predicted to land: Region -> share of the moved traffic. */
  readonly predictedLanding: Readonly<Record<RegionCode, number>>;
  /** Predicted utilization, with the whole plan applied, of every Region that receives more traffic. */
  readonly receiverUtilizationPercent: Readonly<Record<RegionCode, number>>;
  /** Added latency for the users this change moves (RTT where they land minus where they landed), mean and worst client group. */
  readonly addedLatencyMs: { readonly meanMs: number; readonly worstMs: number; readonly worstClientGroup: string | null };
  readonly notes: readonly string[];
}

export interface Hold {
  /** `global`, a Region, or one endpoint group. */
  readonly scope:
    | { readonly kind: 'global' }
    | { readonly kind: 'region'; readonly region: RegionCode }
    | { readonly kind: 'endpoint-group'; readonly address: ChangeAddress };
  readonly reason: HoldReason;
  readonly message: string;
  readonly evidence: Readonly<Record<string, string | number | boolean | null>>;
}

export interface RegionAssessment {
  readonly region: RegionCode;
  /** Measured. */
  readonly utilizationPercent: number | null;
  /** Predicted with no change, and with the plan applied. */
  readonly predictedIfUnchangedPercent: number | null;
  readonly predictedUtilizationPercent: number | null;
  readonly targetPercent: number;
  readonly condition: 'hot' | 'warm' | 'cool' | 'unknown';
  readonly healthy: boolean;
  readonly dialBeforePercent: DialPercent;
  readonly dialAfterPercent: DialPercent;
}

export interface Plan {
  readonly formatVersion: typeof PLAN_FORMAT_VERSION;
  readonly generatedAt: string;
  readonly policy: { readonly name: string; readonly apiVersion: string };
  readonly snapshot: { readonly takenAt: string };
  readonly acceleratorArn: string;
  readonly changes: readonly PlannedChange[];
  readonly holds: readonly Hold[];
  readonly regions: readonly RegionAssessment[];
  readonly summary: PlanSummary;
  /** How the dials were chosen, when the planner searched. */
  readonly decision?: DecisionRecord;
}

export interface PlanSummary {
  readonly verdict: 'changes' | 'no-changes' | 'hold';
  readonly changeCount: number;
  readonly appliedChangeCount: number;
  readonly dryRunChangeCount: number;
  readonly holdCount: number;
  readonly hotRegions: readonly RegionCode[];
  /** Share of all demand the plan moves to another Region, percent. */
  readonly movedDemandPercent: number;
  /** Added latency for the users the plan moves: mean over them of (RTT where they land - RTT before). */
  readonly predictedMeanAddedLatencyMs: number;
  readonly headline: string;
}

/** The objective before and after, tier by tier (utilization points, ms), and how it was searched. */
export interface DecisionRecord {
  readonly method: 'exhaustive' | 'coordinate-descent' | 'nothing-to-move';
  readonly evaluations: number;
  readonly before: ObjectiveFigures;
  readonly after: ObjectiveFigures;
  /** When some Region is heading over capacity at the current dials: whether the others can absorb it. */
  readonly overload?: OverloadRecord;
}

/**
 * Users heading over capacity at the current dials beside the room below the capacity margin in the
 * other Regions, as shares of all demand. Where the overload exceeds the room, some Region stays over
 * capacity whatever the dials: the planner then fills receivers only below their margin and keeps the
 * overload in as few Regions as it can (README, "How ga-steer decides").
 */
export interface OverloadRecord {
  readonly overCapacityDemandPercent: number;
  readonly roomDemandPercent: number;
  readonly absorbable: boolean;
}

export interface ObjectiveFigures {
  /** The worst Region's predicted load above 100 % of capacity, utilization points. */
  readonly worstOverCapacityPoints: number;
  /** Users predicted above capacity, within the 95-100 % margin, and above the Regions' thresholds (target, or the current level inside the hysteresis band), as shares of all demand. */
  readonly overCapacityDemandPercent: number;
  readonly inCapacityMarginDemandPercent: number;
  readonly overThresholdDemandPercent: number;
  /** Demand-weighted mean RTT of every user. */
  readonly meanRttMs: number;
}
