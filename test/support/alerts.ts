// An alert made straight from a plan, for tests of notifiers: every change as proposed, every hold new.

import type { Plan } from '../../src/plan/types.js';
import type { Alert } from '../../src/ports/notifier.js';

export function alertOf(plan: Plan, parts: Partial<Alert> = {}): Alert {
  return {
    events: ['changes'],
    policyName: plan.policy.name,
    acceleratorArn: plan.acceleratorArn,
    mode: 'apply',
    at: plan.generatedAt,
    plan,
    changes: plan.changes.map((change) => ({ change, status: 'proposed' as const })),
    holds: plan.holds.map((hold) => ({ hold })),
    failures: [],
    resolved: [],
    ...parts,
  };
}
