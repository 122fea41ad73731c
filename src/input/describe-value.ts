// A value as an error message names it: "the string 'yes'", "the number 20", "a mapping".

/** Strings longer than this are cut in messages. */
const MAX_QUOTED_LENGTH = 40;

/** `redact`: the value may be a secret pasted in the wrong place (an *Env field): never quote it. */
export function describeValue(value: unknown, redact = false): string {
  if (value === null || value === undefined) return 'an empty value';
  if (typeof value === 'string') {
    if (value === '') return 'an empty string';
    return redact ? 'a string' : `the string ${quote(value)}`;
  }
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'NaN';
    if (!Number.isFinite(value)) return 'an infinite number';
    return redact ? 'a number' : `the number ${value}`;
  }
  if (typeof value === 'boolean') return `the boolean ${value}`;
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `a ${typeof value}`;
}

/** `'text'`, cut to a readable length, control characters escaped. */
export function quote(text: string): string {
  return `'${clip(text)}'`;
}

/** Text from the input, cut to a readable length, control characters escaped. */
export function clip(text: string): string {
  return escapeControls(text.length > MAX_QUOTED_LENGTH ? `${text.slice(0, MAX_QUOTED_LENGTH - 3)}...` : text);
}

/** Control characters and line separators as \uXXXX, so a message stays on one line. */
export function escapeControls(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** "a boolean", "a number", "a mapping" for zod's `expected` names. */
export function describeExpected(expected: string): string {
  switch (expected) {
    case 'int':
      return 'a whole number';
    case 'object':
    case 'record':
    case 'map':
      return 'a mapping';
    case 'array':
    case 'tuple':
    case 'set':
      return 'a list';
    case 'null':
    case 'undefined':
    case 'never':
      return 'nothing';
    default:
      return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
  }
}
