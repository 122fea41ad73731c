// The controller state as stored text, parsed the same way by every store.

import { controllerStateSchema, type ControllerState } from '../../planner/controller-state.js';
import { StateCorruptError } from './errors.js';

export function stateToText(state: ControllerState): string {
  return `${JSON.stringify(state, null, 2)}\n`;
}

/** Parses stored state text; anything else is a StateCorruptError naming `location`. */
export function parseStoredState(text: string, location: string): ControllerState {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new StateCorruptError(location, `not JSON: ${(e as Error).message}`);
  }
  return parseStateValue(data, location);
}

export function parseStateValue(data: unknown, location: string): ControllerState {
  const parsed = controllerStateSchema.safeParse(data);
  if (!parsed.success) throw new StateCorruptError(location, parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '));
  return parsed.data;
}
