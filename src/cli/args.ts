// Argument parsing shared by the commands: node's parseArgs, with errors as UsageError.

import { parseArgs, type ParseArgsConfig } from 'node:util';

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

type Options = NonNullable<ParseArgsConfig['options']>;

export function parseCommandArgs<T extends Options>(argv: readonly string[], options: T, allowPositionals = false) {
  try {
    return parseArgs({ args: [...argv], options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

export function requireOption(value: string | undefined, flag: string): string {
  if (value === undefined || value === '') throw new UsageError(`${flag} is required`);
  return value;
}

export function oneOf<T extends string>(value: string | undefined, flag: string, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${flag} must be one of ${allowed.join(', ')} (got "${value}")`);
}

/** A number of seconds given on the command line, as milliseconds. */
export function secondsOption(value: string | undefined, flag: string, fallbackSeconds: number, options: { positive?: boolean } = {}): number {
  if (value === undefined) return fallbackSeconds * 1000;
  const seconds = Number(value);
  if (value.trim() === '' || !Number.isFinite(seconds) || seconds < 0 || (options.positive === true && seconds === 0)) {
    throw new UsageError(`${flag} must be a ${options.positive === true ? 'positive ' : ''}number of seconds (got "${value}")`);
  }
  return seconds * 1000;
}

/** `--lease-ttl S`: seconds, at least 1 (a lease renewed every third of its life needs some room). */
export function leaseTtlMsOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (value.trim() === '' || !Number.isFinite(seconds) || seconds < 1) throw new UsageError(`--lease-ttl must be a number of seconds, at least 1 (got "${value}")`);
  return seconds * 1000;
}
