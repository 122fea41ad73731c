// A policy's load queries as GetMetricData queries. Each load query becomes one returned query (the
// metric, or the expression) plus hidden inputs, all with ids unique within the Region's request.

import type { MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import type { LoadQuerySpec, Policy } from '../../policy/schema.js';

export interface LoadQueryPlan {
  readonly region: string;
  readonly signal: string;
  readonly endpointId: string | undefined;
  readonly periodSeconds: number;
  readonly gap: 'no-data' | 'zero';
  /** Id of the query whose values are the load. */
  readonly resultId: string;
  /** The returned query and its hidden inputs; always sent in the same GetMetricData call. */
  readonly queries: readonly MetricDataQuery[];
  /** For problems and evidence: what the query reads. */
  readonly describe: string;
}

export function loadQueryPlans(policy: Policy): LoadQueryPlan[] {
  const plans: LoadQueryPlan[] = [];
  for (const [region, specs] of Object.entries(policy.signals.load)) {
    specs.forEach((spec, i) => plans.push(planOf(region, spec, `q${i}`)));
  }
  return plans;
}

function metricStat(spec: NonNullable<LoadQuerySpec['metric']>, periodSeconds: number) {
  return {
    Metric: { Namespace: spec.namespace, MetricName: spec.metricName, Dimensions: Object.entries(spec.dimensions).map(([Name, Value]) => ({ Name, Value })) },
    Period: periodSeconds,
    Stat: spec.stat,
  };
}

function planOf(region: string, spec: LoadQuerySpec, prefix: string): LoadQueryPlan {
  const base = { region, signal: spec.signal, endpointId: spec.endpointId, periodSeconds: spec.periodSeconds, gap: spec.gap };
  if (spec.metric !== undefined) {
    return {
      ...base,
      resultId: prefix,
      queries: [{ Id: prefix, MetricStat: metricStat(spec.metric, spec.periodSeconds), ReturnData: true }],
      describe: `${spec.metric.namespace} ${spec.metric.metricName} ${spec.metric.stat}`,
    };
  }
  const expression = spec.expression;
  if (expression === undefined) throw new Error(`load query ${spec.signal} in ${region} has neither metric nor expression`);
  // Input ids are namespaced by the query prefix so two queries' inputs never collide; the expression is
  // rewritten to match (ids are whole words).
  const rename = new Map(Object.keys(expression.inputs).map((id) => [id, `${prefix}_${id}`]));
  const rewritten = expression.expression.replace(/\b[a-z][a-zA-Z0-9_]*\b/g, (word) => rename.get(word) ?? word);
  return {
    ...base,
    resultId: prefix,
    queries: [
      ...Object.entries(expression.inputs).map(([id, metric]) => ({ Id: rename.get(id) as string, MetricStat: metricStat(metric, spec.periodSeconds), ReturnData: false })),
      { Id: prefix, Expression: rewritten, Period: spec.periodSeconds, ReturnData: true },
    ],
    describe: `expression ${expression.expression}`,
  };
}
