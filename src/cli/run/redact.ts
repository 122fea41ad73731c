// Secrets reach the process through the environment (AWS keys, the Atlas key, the Slack webhook URL).
// An error message from a library may quote one; every line `ga-steer run` writes passes through here.

import type { Policy } from '../../policy/schema.js';

const ALWAYS_SECRET = ['AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'] as const;
/** Shorter values are not worth hiding and would mangle ordinary words. */
const MIN_SECRET_LENGTH = 8;

export type Redactor = (text: string) => string;

export function secretEnvNames(policy: Policy | undefined): string[] {
  const names: string[] = [...ALWAYS_SECRET];
  const atlasKey = policy?.signals.ripeAtlas?.apiKeyEnv;
  if (atlasKey !== undefined) names.push(atlasKey);
  const webhook = policy?.alerts.slack?.webhookUrlEnv;
  if (webhook !== undefined) names.push(webhook);
  return names;
}

export function redactorFor(env: Readonly<Record<string, string | undefined>>, names: readonly string[]): Redactor {
  const secrets = [...new Set(names.map((n) => env[n]).filter((v): v is string => v !== undefined && v.length >= MIN_SECRET_LENGTH))];
  // Longest first, so a secret that contains another is hidden whole.
  secrets.sort((a, b) => b.length - a.length);
  return (text) => secrets.reduce((out, s) => out.split(s).join('[redacted]'), text);
}
