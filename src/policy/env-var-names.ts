// Settings that name an environment variable holding a secret (`apiKeyEnv`, `webhookUrlEnv`). ga-steer
// sends that variable's value to a third party, so it must never be one of the AWS variables: a policy
// naming AWS_SECRET_ACCESS_KEY would post AWS credentials to RIPE Atlas or Slack.

import * as z from 'zod';

export function secretEnvVarName(what: { holds: string; sentTo: string; example: string }) {
  return z
    .string()
    .regex(/^[A-Z_][A-Z0-9_]*$/, `must be the name of an environment variable (upper-case letters, digits and _) that holds ${what.holds}, never ${what.holds} itself`)
    .refine((name) => !name.startsWith('AWS_'), {
      error: (issue) =>
        `must not name an AWS variable (${String(issue.input)}): ga-steer sends this variable's value to ${what.sentTo}, and AWS_* variables hold AWS credentials; use one of its own, such as ${what.example}`,
    });
}
