// The plan of a cycle that could not take the lease: it collected nothing and changes nothing, and
// says who holds the lease and until when.

import { PLAN_FORMAT_VERSION, type Hold, type Plan } from '../plan/types.js';
import { summarizePlan } from '../plan/summarize-plan.js';
import type { Policy } from '../policy/schema.js';
import type { LeaseHolder } from '../ports/lease.js';

export function leaseHeldPlan(policy: Policy, location: string, holder: LeaseHolder, now: Date): Plan {
  const hold: Hold = {
    scope: { kind: 'global' },
    reason: 'LeaseHeld',
    message: `${holder.owner} holds the lease on ${location} (token ${holder.token}) until ${holder.expiresAt.toISOString()}; this cycle read and changed nothing`,
    evidence: { holder: holder.owner, token: holder.token, expiresAt: holder.expiresAt.toISOString(), store: location },
  };
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    generatedAt: now.toISOString(),
    policy: { name: policy.name, apiVersion: policy.apiVersion },
    snapshot: { takenAt: now.toISOString() },
    acceleratorArn: policy.accelerator.arn,
    changes: [],
    holds: [hold],
    regions: [],
    summary: summarizePlan([], [hold], [], { movedDemandPercent: 0, meanAddedMs: 0 }),
  };
}
