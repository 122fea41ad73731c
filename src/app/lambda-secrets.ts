// The Lambda's secrets: the deployment names SSM Parameter Store SecureStrings in its environment
// (parameter NAMES only, e.g. GA_STEER_SLACK_WEBHOOK_PARAMETER=/ga-steer/prod/slack-webhook); the values
// are read once per cold start (secret-parameters.ts) and handed to the cycle under the variable each
// policy reads them from (alerts.slack.webhookUrlEnv, signals.ripeAtlas.apiKeyEnv), in a copy of the
// environment that never reaches process.env, the template or a log.

import type { SecretParameters } from '../adapters/ssm/secret-parameters.js';
import type { Policy } from '../policy/schema.js';

export const SLACK_WEBHOOK_PARAMETER_ENV = 'GA_STEER_SLACK_WEBHOOK_PARAMETER';
export const RIPE_ATLAS_KEY_PARAMETER_ENV = 'GA_STEER_RIPE_ATLAS_KEY_PARAMETER';

export interface CycleEnvironment {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The secret values read, for the redactor. */
  readonly secrets: readonly string[];
}

/** The environment a cycle of `policy` runs with: `env`, plus each configured secret the policy uses. */
export async function environmentWithSecrets(policy: Policy, env: Readonly<Record<string, string | undefined>>, parameters: () => Promise<SecretParameters>): Promise<CycleEnvironment> {
  const wanted: { parameterEnv: string; target: string }[] = [];
  const webhookEnv = policy.alerts.slack?.webhookUrlEnv;
  if (webhookEnv !== undefined) wanted.push({ parameterEnv: SLACK_WEBHOOK_PARAMETER_ENV, target: webhookEnv });
  const atlasKeyEnv = policy.signals.ripeAtlas?.apiKeyEnv;
  if (atlasKeyEnv !== undefined && (policy.signals.ripeAtlas?.measurements.length ?? 0) > 0) wanted.push({ parameterEnv: RIPE_ATLAS_KEY_PARAMETER_ENV, target: atlasKeyEnv });

  const out: Record<string, string | undefined> = { ...env };
  const secrets: string[] = [];
  for (const { parameterEnv, target } of wanted) {
    const parameter = env[parameterEnv];
    if (parameter === undefined || parameter === '') continue;
    const value = await (await parameters()).read(parameter, `${parameterEnv} (for policy ${policy.name}'s ${target})`);
    out[target] = value;
    secrets.push(value);
  }
  return { env: out, secrets };
}
