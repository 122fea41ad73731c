// Controller state in a JSON file, written atomically (temporary file + rename) so a crash mid-write
// never leaves half a state behind.

import { rename, writeFile } from 'node:fs/promises';
import { loadStateFile } from '../../app/input-files.js';
import type { ControllerState } from '../../planner/controller-state.js';
import type { StateStore } from '../../ports/state-store.js';

export class FileStateStore implements StateStore {
  constructor(private readonly file: string) {}
  load(): Promise<ControllerState> {
    return loadStateFile(this.file);
  }
  async save(state: ControllerState): Promise<void> {
    const tmp = `${this.file}.${process.pid}.tmp`;
    await writeFile(tmp, `${JSON.stringify(state, null, 2)}\n`);
    await rename(tmp, this.file);
  }
}
