// Scheduled Lambda: one ga-steer control cycle (collect, decide, apply, persist, alert) for the policy
// the schedule's event names (a fleet) or the deployment's one.
// Configuration: GA_STEER_POLICY, GA_STEER_FLEET_POLICIES, GA_STEER_POLICY_DIR, GA_STEER_STATE_TABLE,
// GA_STEER_LEASE_TTL_SECONDS, GA_STEER_MODE, GA_STEER_CYCLE_TIMEOUT_SECONDS, the SSM parameter names
// GA_STEER_SLACK_WEBHOOK_PARAMETER and GA_STEER_RIPE_ATLAS_KEY_PARAMETER, and Powertools' own
// POWERTOOLS_SERVICE_NAME, POWERTOOLS_METRICS_NAMESPACE (see README).

import { runLambdaCycle, type LambdaCycleSummary } from '../src/app/lambda-cycle.js';
import { LambdaTelemetry, METRICS_NAMESPACE, type InvocationContext } from '../src/app/lambda-telemetry.js';
import { SecretRedactor } from '../src/app/redact.js';

/** Built once per cold start: every log line and error of every invocation passes through it. */
const secrets = new SecretRedactor(process.env);
const telemetry = new LambdaTelemetry({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'ga-steer',
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? METRICS_NAMESPACE,
  redact: secrets.redact,
});

/** The part of the runtime's context the handler reads. */
interface LambdaContext {
  getRemainingTimeInMillis?: () => number;
  awsRequestId?: unknown;
  functionName?: unknown;
  functionVersion?: unknown;
  invokedFunctionArn?: unknown;
  memoryLimitInMB?: unknown;
}

export const handler = async (event: unknown, context?: LambdaContext): Promise<LambdaCycleSummary> => {
  const invocation = invocationOf(context);
  return runLambdaCycle(event, process.env, {
    secrets,
    telemetry,
    ...(invocation !== undefined ? { context: invocation } : {}),
    ...(context?.getRemainingTimeInMillis !== undefined ? { remainingTimeMs: context.getRemainingTimeInMillis() } : {}),
  });
};

/** The context's fields for the logs, when the runtime gave them all. */
function invocationOf(context: LambdaContext | undefined): InvocationContext | undefined {
  if (context === undefined) return undefined;
  const { awsRequestId, functionName, functionVersion, invokedFunctionArn, memoryLimitInMB } = context;
  if (typeof awsRequestId !== 'string' || typeof functionName !== 'string' || typeof functionVersion !== 'string' || typeof invokedFunctionArn !== 'string') return undefined;
  return { awsRequestId, functionName, functionVersion, invokedFunctionArn, memoryLimitInMB: String(memoryLimitInMB ?? '') };
}
