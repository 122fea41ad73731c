// What the Lambda tells operations, through Powertools for AWS Lambda: structured JSON logs (level,
// message, timestamp, request id, cold start, function name; every string redacted) and CloudWatch
// metrics in the Embedded Metric Format, flushed at the end of every invocation, success or failure.
// The stack's heartbeat alarm watches CycleSucceeded; the dashboards read the rest.

import { Logger } from '@aws-lambda-powertools/logger';
import { MetricResolution, Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { ApplyReport } from '../ports/accelerator-gateway.js';
import type { Plan } from '../plan/types.js';
import type { Redact } from './redact.js';

/** The namespace the stack's alarms read (serverless.yml sets POWERTOOLS_METRICS_NAMESPACE to it). */
export const METRICS_NAMESPACE = 'GaSteer';

/** Metric names, shared with the stack's alarms. */
export const METRIC = {
  /** 1 per cycle that ran to its end (a hold is a successful cycle); the heartbeat alarm's metric. */
  cycleSucceeded: 'CycleSucceeded',
  /** 1 per invocation that failed (configuration, collection, state, deadline). */
  cycleFailed: 'CycleFailed',
  cycleDuration: 'CycleDuration',
  changes: 'Changes',
  /** Per hold reason (dimension Reason). */
  holds: 'Holds',
  /** Changes whose write failed or found the group changed since it was read. */
  applyFailures: 'ApplyFailures',
  /** Per Region (dimension Region): measured utilization and the plan's prediction with it applied. */
  measuredUtilization: 'MeasuredUtilization',
  predictedUtilization: 'PredictedUtilization',
} as const;

/** The runtime's context fields the logger reads (parsed by the handler, never trusted). */
export interface InvocationContext {
  readonly awsRequestId: string;
  readonly functionName: string;
  readonly functionVersion: string;
  readonly invokedFunctionArn: string;
  readonly memoryLimitInMB: string;
}

export type LogFields = Readonly<Record<string, unknown>>;

export class LambdaTelemetry {
  readonly #logger: Logger;
  readonly #metrics: Metrics;
  readonly #serviceName: string;
  readonly #namespace: string;

  constructor(options: { readonly serviceName: string; readonly namespace?: string; readonly redact: Redact }) {
    const redact = options.redact;
    this.#serviceName = options.serviceName;
    this.#namespace = options.namespace ?? METRICS_NAMESPACE;
    this.#logger = new Logger({
      serviceName: options.serviceName,
      // Every string value of every log line, nested ones included, passes the redactor.
      jsonReplacerFn: (_key: string, value: unknown) => (typeof value === 'string' ? redact(value) : value),
    });
    this.#metrics = new Metrics({ serviceName: this.#serviceName, namespace: this.#namespace });
  }

  /** Called at the start of every invocation: the request id and cold start on every line that follows. */
  startInvocation(context: InvocationContext | undefined): void {
    if (context !== undefined) this.#logger.addContext(context);
  }

  info(message: string, fields: LogFields = {}): void {
    this.#logger.info(message, { ...fields });
  }

  warn(message: string, fields: LogFields = {}): void {
    this.#logger.warn(message, { ...fields });
  }

  error(message: string, fields: LogFields = {}): void {
    this.#logger.error(message, { ...fields });
  }

  /** A cycle that ran to its end: its duration, changes, holds by reason, apply failures, utilization per Region. */
  cycleSucceeded(policy: string, plan: Plan, report: ApplyReport | undefined, durationMs: number): void {
    const m = this.#metrics;
    m.addDimension('Policy', policy);
    m.addMetric(METRIC.cycleSucceeded, MetricUnit.Count, 1);
    m.addMetric(METRIC.cycleDuration, MetricUnit.Milliseconds, durationMs);
    m.addMetric(METRIC.changes, MetricUnit.Count, plan.changes.length);
    m.addMetric(METRIC.applyFailures, MetricUnit.Count, report?.changes.filter((c) => c.status === 'failed' || c.status === 'stale').length ?? 0);
    m.publishStoredMetrics();

    const holds = new Map<string, number>();
    for (const h of plan.holds) holds.set(h.reason, (holds.get(h.reason) ?? 0) + 1);
    for (const [reason, count] of holds) {
      const one = m.singleMetric();
      one.addDimensions({ Policy: policy, Reason: reason });
      one.addMetric(METRIC.holds, MetricUnit.Count, count);
    }
    for (const r of plan.regions) {
      if (r.utilizationPercent === null && r.predictedUtilizationPercent === null) continue;
      const region = new Metrics({ namespace: this.#namespace, serviceName: this.#serviceName });
      region.addDimensions({ Policy: policy, Region: r.region });
      if (r.utilizationPercent !== null) region.addMetric(METRIC.measuredUtilization, MetricUnit.Percent, round(r.utilizationPercent), MetricResolution.Standard);
      if (r.predictedUtilizationPercent !== null) region.addMetric(METRIC.predictedUtilization, MetricUnit.Percent, round(r.predictedUtilizationPercent), MetricResolution.Standard);
      region.publishStoredMetrics();
    }
  }

  /** An invocation that failed; `policy` when it was known by then. */
  cycleFailed(policy: string | undefined, durationMs: number): void {
    const m = this.#metrics;
    if (policy !== undefined) m.addDimension('Policy', policy);
    m.addMetric(METRIC.cycleFailed, MetricUnit.Count, 1);
    m.addMetric(METRIC.cycleDuration, MetricUnit.Milliseconds, durationMs);
    m.publishStoredMetrics();
  }
}

function round(percent: number): number {
  return Math.round(percent * 100) / 100;
}
