// zod's issues -> findings worded for the engineers who write policies: what was expected and what was
// found ("expected a boolean, got the string 'yes'"), "did you mean" for unknown keys and options, the
// key itself as the place of a bad key. The schema's own messages are kept; only zod's defaults are
// rewritten.

import type * as z from 'zod';
import { allowedKeysAt } from './allowed-keys.js';
import { describeExpected, describeValue, quote } from './describe-value.js';
import { didYouMean } from './did-you-mean.js';
import type { Finding, Place } from './places.js';

type ZodIssue = z.core.$ZodIssue;

/** Allowed keys are listed after "unknown key" when there are at most this many. */
const MAX_LISTED_KEYS = 16;

export function zodIssuesToFindings(issues: readonly ZodIssue[], schema: z.ZodType): Finding[] {
  return issues.flatMap((issue) => toFindings(issue, schema));
}

function toFindings(issue: ZodIssue, schema: z.ZodType): Finding[] {
  if (issue.code === 'unrecognized_keys') {
    const allowed = allowedKeysAt(schema, issue.path);
    return issue.keys.map((key) => ({ severity: 'error', place: { path: issue.path, key }, message: unknownKeyMessage(key, allowed) }));
  }
  if (issue.code === 'invalid_key') {
    // A record's key failed its schema (a Region code, a variable name): the key is the place.
    const place: Place = { path: issue.path.slice(0, -1), key: String(issue.path[issue.path.length - 1]) };
    const inner = issue.issues[0];
    return [{ severity: 'error', place, message: inner !== undefined ? describeIssue(inner as ZodIssue, issue.path) : 'is not a valid key here' }];
  }
  return [{ severity: 'error', place: { path: issue.path }, message: describeIssue(issue, issue.path) }];
}

function unknownKeyMessage(key: string, allowed: readonly string[]): string {
  if (key === '<<') return 'YAML merge keys (<<) are not supported: write the keys out';
  const hint = didYouMean(key, allowed);
  if (hint !== '') return `unknown key${hint}`;
  if (allowed.length > 0 && allowed.length <= MAX_LISTED_KEYS) return `unknown key (allowed here: ${allowed.join(', ')})`;
  return 'unknown key';
}

/** zod's default messages start like this; the schema's own start with a lower-case verb. */
const ZOD_DEFAULT_MESSAGE = /^(Invalid|Too (big|small)|Expected|Unrecognized)/;

function describeIssue(issue: ZodIssue, path: readonly PropertyKey[]): string {
  const redact = /Env$/.test(String(path[path.length - 1] ?? ''));
  if (issue.code === 'invalid_type') {
    // Always worded here, even where the schema has a message: a wrong type is not a wrong value.
    if (issue.input === undefined) return 'is required';
    return `expected ${describeExpected(issue.expected)}, got ${describeValue(issue.input, redact)}`;
  }
  if (!ZOD_DEFAULT_MESSAGE.test(issue.message)) return issue.message;
  switch (issue.code) {
    case 'too_small':
      return describeBound('at least', issue.origin, issue.minimum);
    case 'too_big':
      return describeBound('at most', issue.origin, issue.maximum);
    case 'invalid_value': {
      const options = issue.values.map((v) => JSON.stringify(v));
      if (issue.input === undefined) return `is required (${options.length === 1 ? options[0] : `one of ${options.join(', ')}`})`;
      const got = issue.input === undefined ? '' : `, got ${describeValue(issue.input, redact)}`;
      const hint = typeof issue.input === 'string' ? didYouMean(issue.input, issue.values.filter((v): v is string => typeof v === 'string')) : '';
      return `${options.length === 1 ? `must be ${options[0]}` : `must be one of ${options.join(', ')}`}${got}${hint}`;
    }
    case 'not_multiple_of':
      return `must be a multiple of ${String(issue.divisor)}`;
    case 'invalid_format':
      if (issue.format === 'datetime') return 'must be an ISO-8601 time with a zone, such as 2026-12-01T08:00:00Z';
      return typeof issue.input === 'string' && !redact ? `${quote(issue.input)} is not in the expected format` : 'is not in the expected format';
    case 'invalid_union':
      return 'matches none of the allowed forms';
    default:
      return issue.message;
  }
}

function describeBound(relation: 'at least' | 'at most', origin: string, bound: number | bigint): string {
  const n = Number(bound);
  if (origin === 'string') return relation === 'at least' && n === 1 ? 'must not be empty' : `must be ${relation} ${n} characters long`;
  if (origin === 'array' || origin === 'set') return relation === 'at least' && n === 1 ? 'must not be empty' : `must have ${relation} ${n} items`;
  return `must be ${relation} ${n}`;
}
