// A fleet file (fleets/<name>.yaml): the policies one deployment runs, each on its own schedule, and
// the deployment's secrets (SSM parameter names, never values) and alarm recipients. A policy may be
// read from S3 on every invocation (`location`), so it changes without a redeploy.

import * as z from 'zod';

/** EventBridge Scheduler rates ga-steer accepts: `rate(2 minutes)`, `rate(1 hour)`. */
export const SCHEDULE_RATE = /^rate\((\d{1,4}) (minute|minutes|hour|hours)\)$/;
/** An SSM parameter name: a path from the root, of the characters SSM allows. */
const PARAMETER_NAME = /^\/[a-zA-Z0-9_.\-/]{1,1000}$/;

export const fleetPolicySchema = z.strictObject({
  name: z
    .string()
    .regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, 'a policy name: policies/<name>.yaml (lower-case letters, digits, dashes)')
    .describe('The policy: policies/<name>.yaml, whose `name` must match.'),
  schedule: z.string().regex(SCHEDULE_RATE, 'a rate such as rate(2 minutes) or rate(1 hour)').default('rate(2 minutes)').describe('How often its cycle runs.'),
  mode: z.enum(['apply', 'plan']).default('apply').describe('plan: plan and alert, never write (GA_STEER_MODE=plan stops every policy).'),
  location: z
    .string()
    .regex(/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\/[^?#]+$/, 'an S3 object: s3://bucket/key')
    .optional()
    .describe('Where the Lambda reads the policy on every invocation (s3://bucket/key): change it there, no redeploy. policies/<name>.yaml is still checked and scopes the role to its accelerator.'),
  heartbeatMinutes: z.number().int().min(5).max(1440).optional().describe('Alarm when no cycle succeeded for this long (default: three schedule intervals, at least 15 minutes).'),
});

export const fleetSchema = z.strictObject({
  policies: z.array(fleetPolicySchema).min(1).max(50).describe('The policies (accelerators) this deployment steers.'),
  secrets: z
    .strictObject({
      slackWebhookParameter: z.string().regex(PARAMETER_NAME, 'an SSM parameter name such as /ga-steer/prod/slack-webhook').optional(),
      ripeAtlasKeyParameter: z.string().regex(PARAMETER_NAME, 'an SSM parameter name such as /ga-steer/prod/ripe-atlas-key').optional(),
      kmsKeyArn: z.string().regex(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f-]{36}$/, 'a KMS key ARN').optional().describe('The customer managed key of the SecureStrings; default: any key, used through SSM only.'),
    })
    .default({}),
  alarms: z.strictObject({ email: z.email().optional().describe('Subscribed to the alarm topic (confirm the e-mail AWS sends).') }).default({}),
});

export type FleetFile = z.output<typeof fleetSchema>;
export type FleetPolicyEntry = z.output<typeof fleetPolicySchema>;
