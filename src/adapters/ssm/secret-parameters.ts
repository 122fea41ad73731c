// Secrets from SSM Parameter Store SecureStrings (GetParameter WithDecryption), each read once per
// process (a Lambda's cold start) and kept in memory: never in the template, the environment or a log.
// A read that failed is not kept, so the next invocation asks again.

import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { GaSteerError } from '../../app/errors.js';
import { AwsCallError } from '../aws/aws-call-error.js';
import { callWithRetry, DEFAULT_RETRY, type RetryPolicy } from '../aws/retry.js';

export class SecretParameterError extends GaSteerError {
  override readonly name = 'SecretParameterError';
}

export class SecretParameters {
  readonly #values = new Map<string, Promise<string>>();

  constructor(
    private readonly client: SSMClient,
    private readonly retry: RetryPolicy = DEFAULT_RETRY,
  ) {}

  /** The decrypted value of `parameter`; `purpose` names what wanted it (an environment variable) for the error. */
  read(parameter: string, purpose: string): Promise<string> {
    let value = this.#values.get(parameter);
    if (value === undefined) {
      value = this.fetch(parameter, purpose);
      this.#values.set(parameter, value);
      value.catch(() => this.#values.delete(parameter));
    }
    return value;
  }

  private async fetch(parameter: string, purpose: string): Promise<string> {
    let out;
    try {
      out = await callWithRetry('SSM', 'GetParameter', this.retry, (abortSignal) => this.client.send(new GetParameterCommand({ Name: parameter, WithDecryption: true }), { abortSignal }), parameter);
    } catch (e) {
      throw new SecretParameterError(`${purpose}: cannot read the SSM parameter ${parameter}: ${explain(e)}`, { cause: e });
    }
    const value = out.Parameter?.Value;
    if (value === undefined || value === '') throw new SecretParameterError(`${purpose}: the SSM parameter ${parameter} has no value`);
    // A String parameter would put the secret in plain text in the console and in CloudTrail.
    if (out.Parameter?.Type !== 'SecureString') throw new SecretParameterError(`${purpose}: the SSM parameter ${parameter} is a ${out.Parameter?.Type ?? 'parameter of unknown type'}, not a SecureString: store it again with --type SecureString`);
    return value;
  }
}

function explain(e: unknown): string {
  if (!(e instanceof AwsCallError)) return e instanceof Error ? e.message : String(e);
  if (e.code === 'ParameterNotFound') return 'it does not exist (ParameterNotFound): create it with `aws ssm put-parameter --type SecureString`';
  if (e.kind === 'access' || /KMS|AccessDenied/.test(e.code)) {
    return `access denied (${e.code}): the function's role needs ssm:GetParameter on the parameter and kms:Decrypt on its key through SSM`;
  }
  return e.message;
}
