// The emulated SSM Parameter Store API (AWS JSON 1.1, X-Amz-Target AmazonSSM.*): GetParameter (with
// WithDecryption, a `name:version` selector or the parameter's ARN) and PutParameter, validated and
// failing with the documented error shapes (ParameterNotFound, ParameterVersionNotFound,
// ParameterAlreadyExists, ValidationException), so the SDK's SSMClient and the AWS CLI talk to it.

import { createHash } from 'node:crypto';
import { MemberChecker, type Input } from '../input-guards.js';
import { EmulatedServiceError, type EmulatedService, type RequestContext } from '../service.js';
import type { ParameterStore, ParameterType, ParameterVersion } from './parameter-store.js';

/** The account the emulator's ARNs name (the GA emulator's example account). */
const ACCOUNT = '123456789012';
/** Standard-tier limits. */
const MAX_NAME_LENGTH = 2048;
const MAX_VALUE_LENGTH = 4096;
const MAX_HIERARCHY_LEVELS = 15;
const NAME_CHARS = /^[a-zA-Z0-9_.\-/]+$/;
const ARN = /^arn:aws:ssm:[a-z0-9-]+:\d{12}:parameter(\/.*)$/;

const validation = (message: string): EmulatedServiceError => new EmulatedServiceError('ValidationException', 400, message);

export class SsmService implements EmulatedService {
  readonly targetPrefix = 'AmazonSSM';
  readonly errorNamespace = 'com.amazonaws.ssm';
  readonly protocol = 'awsJson1_1' as const;
  readonly messageMember = 'message' as const;
  readonly operations: ReadonlySet<string> = new Set(['GetParameter', 'PutParameter']);
  private readonly check = new MemberChecker(validation, (member) => validation(`1 validation error detected: Value null at '${lowerFirst(member)}' failed to satisfy constraint: Member must not be null`));

  constructor(readonly store: ParameterStore) {}

  handle(operation: string, input: Input, context: RequestContext): unknown {
    switch (operation) {
      case 'GetParameter':
        return this.getParameter(input, context);
      case 'PutParameter':
        return this.putParameter(input);
      default:
        throw validation(`unsupported operation ${operation}`);
    }
  }

  private getParameter(input: Input, context: RequestContext): unknown {
    const requested = this.check.string(input, 'Name', { required: true, min: 1, max: MAX_NAME_LENGTH });
    const withDecryption = this.check.boolean(input, 'WithDecryption') ?? false;
    const { name, version, selector } = parseSelector(fromArn(requested));
    checkName(name);
    const latest = this.store.get(name);
    if (latest === undefined) throw new EmulatedServiceError('ParameterNotFound', 400, `Parameter ${requested} not found.`);
    const found = version === undefined ? latest : this.store.get(name, version);
    if (found === undefined) throw new EmulatedServiceError('ParameterVersionNotFound', 400, `Systems Manager could not find version ${version} of ${name}. Verify the version and try again.`);
    return {
      Parameter: {
        Name: name,
        Type: found.type,
        Value: found.type === 'SecureString' && !withDecryption ? ciphertextOf(name, found) : found.value,
        Version: found.version,
        ...(selector !== undefined ? { Selector: selector } : {}),
        LastModifiedDate: found.lastModified,
        ARN: `arn:aws:ssm:${context.region}:${ACCOUNT}:parameter${name.startsWith('/') ? name : `/${name}`}`,
        DataType: 'text',
      },
    };
  }

  private putParameter(input: Input): unknown {
    const name = this.check.string(input, 'Name', { required: true, min: 1, max: MAX_NAME_LENGTH });
    checkName(name);
    const value = this.check.string(input, 'Value', { required: true, min: 1, max: MAX_VALUE_LENGTH });
    const overwrite = this.check.boolean(input, 'Overwrite') ?? false;
    const type = this.check.enumeration<ParameterType>(input, 'Type', ['String', 'StringList', 'SecureString']) ?? (overwrite ? this.store.get(name)?.type : undefined);
    if (type === undefined) throw validation('A parameter type is required when you create a parameter.');
    const stored = this.store.put(name, value, type, overwrite);
    if (stored === undefined) throw new EmulatedServiceError('ParameterAlreadyExists', 400, 'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.');
    return { Version: stored.version, Tier: 'Standard' };
  }
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

/** GetParameter accepts the parameter's ARN in place of its name. */
function fromArn(name: string): string {
  const m = ARN.exec(name);
  if (m?.[1] === undefined) return name;
  // The ARN of `name` (no leading slash) reads `parameter/name`.
  const path = m[1];
  return path.slice(1).includes('/') ? path : path.slice(1);
}

/** `name:3` selects version 3; labels (`name:prod`) are not emulated and are refused as unknown. */
function parseSelector(name: string): { name: string; version?: number; selector?: string } {
  const colon = name.lastIndexOf(':');
  if (colon < 0) return { name };
  const base = name.slice(0, colon);
  const selector = name.slice(colon);
  const version = /^:[1-9]\d{0,8}$/.test(selector) ? Number(selector.slice(1)) : undefined;
  if (version === undefined) throw new EmulatedServiceError('ParameterNotFound', 400, `Parameter ${name} not found.`);
  return { name: base, version, selector };
}

function checkName(name: string): void {
  if (!NAME_CHARS.test(name)) throw validation(`Parameter name: can't be prefixed with "aws" or "ssm" (case-insensitive). It must use only letters, numbers, or the following symbols: . (period), - (hyphen), _ (underscore). Special characters are not allowed. All sub-paths, if specified, must use the forward slash symbol "/". Valid example: /get/parameters2-/by1./path0_.`);
  if (name.includes('/') && !name.startsWith('/')) throw validation('Parameter name must be a fully qualified name.');
  const first = (name.startsWith('/') ? name.slice(1) : name).split('/')[0] ?? '';
  if (/^(aws|ssm)/i.test(first)) throw validation('No access to reserved parameter name: ' + name + '.');
  if (name.split('/').filter((s) => s !== '').length > MAX_HIERARCHY_LEVELS) throw new EmulatedServiceError('HierarchyLevelLimitExceededException', 400, `The maximum number of hierarchy levels (${MAX_HIERARCHY_LEVELS}) was exceeded.`);
}

/** What GetParameter returns for a SecureString without WithDecryption: base64 ciphertext, never the value. */
function ciphertextOf(name: string, version: ParameterVersion): string {
  const digest = createHash('sha256').update(`${name}\n${version.version}\n${version.value}`).digest();
  return Buffer.concat([Buffer.from([1, 2, 2, 0]), digest, digest]).toString('base64');
}
