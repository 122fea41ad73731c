// Fault injection, configurable per operation: what a flaky network, a throttled API or a human at the
// console does to a controller. Rules are consumed in order; each fires `times` times (default once).
//
// Before the call is served (nothing changes): throttle, server-error, latency, disconnect (the
// connection is cut), hang (the request is read and never answered). After it is served (a write has
// landed): drop-response (the connection is cut instead of the answer), stall-body (the headers and
// half the body, then silence), trickle (the answer one byte every `delayMs`, default 200).
// concurrent-edit: a human's change made right after the call, whatever became of it (so after a
// write that failed it lands during the caller's back-off).

import * as z from 'zod';

const humanEdit = z.strictObject({
  endpointGroupArn: z.string().min(1),
  trafficDialPercent: z.number().min(0).max(100).optional(),
  /** Endpoint id -> new weight. */
  weights: z.record(z.string(), z.int().min(0).max(255)).optional(),
  /** Adds an endpoint (as AddEndpoints would). */
  addEndpoint: z.strictObject({ endpointId: z.string().min(1), weight: z.int().min(0).max(255).default(128) }).optional(),
  /** Removes an endpoint (as RemoveEndpoints would). */
  removeEndpointId: z.string().min(1).optional(),
});

export const faultRuleSchema = z.strictObject({
  /** `GlobalAccelerator_V20180706.UpdateEndpointGroup`, or just the operation name, or `*`. */
  operation: z.string().min(1),
  kind: z.enum(['throttle', 'server-error', 'latency', 'disconnect', 'hang', 'drop-response', 'stall-body', 'trickle', 'concurrent-edit']),
  /** How many matching calls it affects; 0 means every call. */
  times: z.int().min(0).default(1),
  /** Matching calls to let through before the rule starts firing. */
  after: z.int().min(0).default(0),
  delayMs: z.int().min(0).max(120_000).default(0),
  /** concurrent-edit: the change a human makes right after the matching call is served. */
  edit: humanEdit.optional(),
});

export const faultPlanSchema = z.strictObject({ faults: z.array(faultRuleSchema) });

export type FaultRule = z.output<typeof faultRuleSchema>;
export type FaultRuleInput = z.input<typeof faultRuleSchema>;
export type HumanEdit = z.output<typeof humanEdit>;

interface ArmedRule {
  readonly rule: FaultRule;
  seen: number;
  fired: number;
}

export class FaultInjector {
  private rules: ArmedRule[] = [];

  add(rule: FaultRuleInput): void {
    this.rules.push({ rule: faultRuleSchema.parse(rule), seen: 0, fired: 0 });
  }

  clear(): void {
    this.rules = [];
  }

  /** Rules that fire for this call, in the order they were added. */
  match(target: string): FaultRule[] {
    const operation = target.slice(target.indexOf('.') + 1);
    const firing: FaultRule[] = [];
    for (const armed of this.rules) {
      const { rule } = armed;
      if (rule.operation !== '*' && rule.operation !== target && rule.operation !== operation) continue;
      armed.seen += 1;
      if (armed.seen <= rule.after) continue;
      if (rule.times !== 0 && armed.fired >= rule.times) continue;
      armed.fired += 1;
      firing.push(rule);
    }
    return firing;
  }

  /** How often each rule fired, for tests. */
  firedCounts(): number[] {
    return this.rules.map((r) => r.fired);
  }
}
