// The controller state as stored text, parsed the same way by every store: through the one guarded
// state parser (parse-state-text.ts), a problem becoming a StateCorruptError naming the store and key.

import { formatIssue, type PolicyIssue } from '../../policy/issues.js';
import type { StoredState } from '../../ports/state-store.js';
import { StateCorruptError } from './errors.js';
import { parseControllerStateText } from './parse-state-text.js';

export function stateToText(state: StoredState): string {
  return `${JSON.stringify(state, null, 2)}\n`;
}

/** Parses stored state text; anything else is a StateCorruptError naming `location`. */
export function parseStoredState(text: string, location: string): StoredState {
  const parsed = parseControllerStateText(text, location);
  if (!parsed.ok) throw corruptError(location, parsed.issues);
  return parsed.state;
}

/** The issues found in what a store holds at `location`, as one error (each issue names its place). */
export function corruptError(location: string, issues: readonly PolicyIssue[], what: 'state' | 'lease' = 'state'): StateCorruptError {
  return new StateCorruptError(location, issues.map(formatIssue).join('; '), what);
}
