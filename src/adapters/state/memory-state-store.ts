import { emptyControllerState, type ControllerState } from '../../planner/controller-state.js';
import type { StateStore } from '../../ports/state-store.js';

export class MemoryStateStore implements StateStore {
  private state: ControllerState;
  constructor(initial: ControllerState = emptyControllerState()) {
    this.state = structuredClone(initial);
  }
  async load(): Promise<ControllerState> {
    return structuredClone(this.state);
  }
  async save(state: ControllerState): Promise<void> {
    this.state = structuredClone(state);
  }
}
