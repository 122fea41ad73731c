// Where the controller state lives between cycles: a file, DynamoDB, memory.

import type { ControllerState } from '../planner/controller-state.js';

export interface StateStore {
  load(): Promise<ControllerState>;
  save(state: ControllerState): Promise<void>;
}
