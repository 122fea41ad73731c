// Scheduled Lambda: one ga-steer control cycle (collect, decide, apply, persist, alert).
// Configuration: GA_STEER_POLICY, GA_STEER_STATE_TABLE, GA_STEER_LEASE_TTL_SECONDS, GA_STEER_MODE,
// GA_STEER_CYCLE_TIMEOUT_SECONDS (see README).

import { runLambdaCycle, type LambdaCycleSummary } from '../src/app/lambda-cycle.js';
import { SecretRedactor } from '../src/app/redact.js';

/** Built once per cold start: every log line and error of every invocation passes through it. */
const secrets = new SecretRedactor(process.env);

/** The part of the runtime's context the handler reads. */
interface LambdaContext {
  getRemainingTimeInMillis?: () => number;
}

export const handler = async (event: unknown, context?: LambdaContext): Promise<LambdaCycleSummary> =>
  runLambdaCycle(event, process.env, { secrets, ...(context?.getRemainingTimeInMillis !== undefined ? { remainingTimeMs: context.getRemainingTimeInMillis() } : {}) });
