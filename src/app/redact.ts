// Secrets reach the process through the environment: the AWS credentials, and the variables the
// policy names for the RIPE Atlas key and the Slack webhook URL. An upstream error may quote one back
// (an echoed session token, a webhook path in an error body), so everything ga-steer prints, logs,
// alerts or writes passes through one redactor, built once at start-up and applied where the text
// leaves the process: the CLI's stdout and stderr, `run`'s cycle log and health file, the Lambda's
// log, Slack alerts, and plan, report and snapshot files.

import type { Policy } from '../policy/schema.js';

/** Always secret, whatever the policy says. */
export const AWS_SECRET_ENV_NAMES = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'] as const;
export const REDACTED = '[redacted]';
/** Shorter values are not worth hiding and would mangle ordinary words. */
const MIN_SECRET_LENGTH = 8;
/** A path segment of a secret URL this long is a token in its own right (a webhook's last segment). */
const MIN_TOKEN_SEGMENT_LENGTH = 12;

export type Redact = (text: string) => string;

/** The environment variables a policy names as holding secrets. */
export function policySecretEnvNames(policy: Policy): string[] {
  const names: string[] = [];
  const atlasKey = policy.signals.ripeAtlas?.apiKeyEnv;
  if (atlasKey !== undefined) names.push(atlasKey);
  const webhook = policy.alerts.slack?.webhookUrlEnv;
  if (webhook !== undefined) names.push(webhook);
  return names;
}

export class SecretRedactor {
  readonly #env: Readonly<Record<string, string | undefined>>;
  readonly #names = new Set<string>();
  /** Secrets that reached the process another way (SSM parameters read by the Lambda). */
  readonly #values = new Set<string>();
  /** Every form of every secret to hide, longest first. */
  #forms: string[] = [];

  constructor(env: Readonly<Record<string, string | undefined>>, names: Iterable<string> = AWS_SECRET_ENV_NAMES) {
    this.#env = env;
    this.protect(names);
  }

  /** Hides the values of these environment variables from now on. */
  protect(names: Iterable<string>): void {
    const before = this.#names.size;
    for (const n of names) this.#names.add(n);
    if (this.#names.size !== before) this.#rebuild();
  }

  /** Hides these values from now on (secrets not read from this redactor's environment). */
  protectValues(values: Iterable<string>): void {
    const before = this.#values.size;
    for (const v of values) this.#values.add(v);
    if (this.#values.size !== before) this.#rebuild();
  }

  #rebuild(): void {
    const forms = new Set<string>();
    for (const name of this.#names) for (const form of formsOf(this.#env[name])) forms.add(form);
    for (const value of this.#values) for (const form of formsOf(value)) forms.add(form);
    // Longest first, so a secret that contains another is hidden whole.
    this.#forms = [...forms].sort((a, b) => b.length - a.length);
  }

  /** Hides the secrets a policy names (its RIPE Atlas key and Slack webhook variables). */
  protectPolicy(policy: Policy): void {
    this.protect(policySecretEnvNames(policy));
  }

  readonly redact: Redact = (text) => {
    let out = text;
    for (const form of this.#forms) if (out.includes(form)) out = out.split(form).join(REDACTED);
    return out;
  };

  toJSON(): Record<string, unknown> {
    return { kind: 'SecretRedactor', names: [...this.#names] };
  }
}

/**
 * The ways a value may come back: as it is, trimmed, escaped in JSON (`\"`, `\/`), percent-encoded,
 * and for a URL its path and query and any long path segment (a webhook quoted without its host).
 */
function formsOf(value: string | undefined): string[] {
  if (value === undefined) return [];
  const values = [...new Set([value, value.trim()])];
  const forms = new Set<string>();
  for (const v of values) {
    forms.add(v);
    forms.add(JSON.stringify(v).slice(1, -1));
    forms.add(v.replaceAll('/', '\\/'));
    forms.add(encodeURIComponent(v));
    for (const part of urlParts(v)) forms.add(part);
  }
  return [...forms].filter((f) => f.length >= MIN_SECRET_LENGTH);
}

function urlParts(value: string): string[] {
  if (!/^https?:\/\//i.test(value)) return [];
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return [];
  }
  const parts = [url.pathname + url.search, url.pathname];
  parts.push(...url.pathname.split('/').filter((s) => s.length >= MIN_TOKEN_SEGMENT_LENGTH));
  for (const v of url.searchParams.values()) parts.push(v);
  if (url.password !== '') parts.push(url.password);
  return parts.filter((p) => p !== '/' && p.length >= MIN_SECRET_LENGTH);
}
