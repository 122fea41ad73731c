// Scheduled Lambda: one ga-steer control cycle (collect, decide, apply, persist, alert).
// Configuration: GA_STEER_POLICY, GA_STEER_STATE_BUCKET, GA_STEER_STATE_KEY, GA_STEER_MODE (see README).

import { runLambdaCycle, type LambdaCycleSummary } from '../src/app/lambda-cycle.js';

export const handler = async (event: unknown): Promise<LambdaCycleSummary> => runLambdaCycle(event, process.env);
