// Request-member checks shared by the emulated services. Each failure is the service's own error type,
// named by the caller, so messages read like the real service's.

import { EmulatedServiceError } from './service.js';

export type Input = Readonly<Record<string, unknown>>;

export class MemberChecker {
  constructor(
    /** Error for a bad value, e.g. GA `InvalidArgumentException` (400). */
    private readonly invalid: (message: string) => EmulatedServiceError,
    /** Error for a missing required member. */
    private readonly missing: (member: string) => EmulatedServiceError,
  ) {}

  /** JSON protocols reject a member of the wrong JSON type at deserialization. */
  private wrongType(member: string, expected: string): EmulatedServiceError {
    return new EmulatedServiceError('SerializationException', 400, `${member}: expected ${expected}`, 'SerializationException');
  }

  string(input: Input, member: string, opts: { required: true; min?: number; max?: number; pattern?: RegExp }): string;
  string(input: Input, member: string, opts?: { required?: false; min?: number; max?: number; pattern?: RegExp }): string | undefined;
  string(input: Input, member: string, opts: { required?: boolean; min?: number; max?: number; pattern?: RegExp } = {}): string | undefined {
    const v = input[member];
    if (v === undefined || v === null) {
      if (opts.required === true) throw this.missing(member);
      return undefined;
    }
    if (typeof v !== 'string') throw this.wrongType(member, 'a string');
    if (opts.min !== undefined && v.length < opts.min) throw this.invalid(`${member} must be at least ${opts.min} characters long`);
    if (opts.max !== undefined && v.length > opts.max) throw this.invalid(`${member} must be at most ${opts.max} characters long`);
    if (opts.pattern !== undefined && !opts.pattern.test(v)) throw this.invalid(`${member} "${v}" does not match pattern ${opts.pattern.source}`);
    return v;
  }

  integer(input: Input, member: string, opts: { required?: boolean; min?: number; max?: number } = {}): number | undefined {
    const v = this.number(input, member, opts);
    if (v !== undefined && !Number.isInteger(v)) throw this.wrongType(member, 'an integer');
    return v;
  }

  number(input: Input, member: string, opts: { required?: boolean; min?: number; max?: number } = {}): number | undefined {
    const v = input[member];
    if (v === undefined || v === null) {
      if (opts.required === true) throw this.missing(member);
      return undefined;
    }
    if (typeof v !== 'number' || !Number.isFinite(v)) throw this.wrongType(member, 'a number');
    if ((opts.min !== undefined && v < opts.min) || (opts.max !== undefined && v > opts.max)) {
      throw this.invalid(`${member} must be between ${opts.min ?? '-inf'} and ${opts.max ?? 'inf'} (got ${v})`);
    }
    return v;
  }

  boolean(input: Input, member: string): boolean | undefined {
    const v = input[member];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'boolean') throw this.wrongType(member, 'a boolean');
    return v;
  }

  list(input: Input, member: string, opts: { required?: boolean; min?: number; max?: number } = {}): readonly Input[] | undefined {
    const v = input[member];
    if (v === undefined || v === null) {
      if (opts.required === true) throw this.missing(member);
      return undefined;
    }
    if (!Array.isArray(v)) throw this.wrongType(member, 'a list');
    if (opts.min !== undefined && v.length < opts.min) throw this.invalid(`${member} must have at least ${opts.min} items`);
    if (opts.max !== undefined && v.length > opts.max) throw this.invalid(`${member} must have at most ${opts.max} items`);
    return v.map((item, i) => {
      if (typeof item !== 'object' || item === null || Array.isArray(item)) throw this.wrongType(`${member}[${i}]`, 'a structure');
      return item as Input;
    });
  }

  enumeration<T extends string>(input: Input, member: string, values: readonly T[]): T | undefined {
    const v = this.string(input, member);
    if (v === undefined) return undefined;
    if (!(values as readonly string[]).includes(v)) throw this.invalid(`${member} must be one of ${values.join(', ')} (got "${v}")`);
    return v as T;
  }

  epochSeconds(input: Input, member: string, required: boolean): Date | undefined {
    const v = input[member];
    if (v === undefined || v === null) {
      if (required) throw this.missing(member);
      return undefined;
    }
    if (typeof v !== 'number' || !Number.isFinite(v)) throw this.wrongType(member, 'a timestamp (epoch seconds)');
    return new Date(v * 1000);
  }
}

/** Opaque pagination tokens the emulator hands out and checks, like a real service's. */
export function encodeNextToken(scope: string, offset: number): string {
  return Buffer.from(JSON.stringify({ s: scope, o: offset })).toString('base64url');
}

export function decodeNextToken(token: string | undefined, scope: string): number | undefined {
  if (token === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (typeof parsed === 'object' && parsed !== null && (parsed as { s?: unknown }).s === scope) {
      const o = (parsed as { o?: unknown }).o;
      if (typeof o === 'number' && Number.isInteger(o) && o >= 0) return o;
    }
  } catch {
    // fall through: a token we did not issue
  }
  return -1;
}
