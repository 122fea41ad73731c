// Keys that reach a JavaScript object's prototype machinery. Parsers either drop them silently or make
// them own properties that later code may trip over; a policy or snapshot never needs them, so they
// are errors at their place.

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export function isForbiddenKey(key: string): boolean {
  return FORBIDDEN_KEYS.has(key);
}

export function forbiddenKeyMessage(key: string): string {
  return `the key "${key}" is not allowed (it names JavaScript object machinery, not a setting)`;
}
