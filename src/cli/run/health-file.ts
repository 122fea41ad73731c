// The health file an external liveness probe reads: when the last cycle ended, how, and how many cycles
// in a row have not been `ok`. Written atomically (temporary file + rename) so a probe never reads half.

import { rename, writeFile } from 'node:fs/promises';
import type { CycleOutcome } from './cycle-log.js';

export interface HealthRecord {
  readonly lastCycleAt: string;
  readonly lastOutcome: CycleOutcome;
  readonly consecutiveFailures: number;
}

export class HealthTracker {
  #consecutiveFailures = 0;

  /** Counts the cycle and returns the record to write. */
  record(outcome: CycleOutcome, at: Date): HealthRecord {
    this.#consecutiveFailures = outcome === 'ok' ? 0 : this.#consecutiveFailures + 1;
    return { lastCycleAt: at.toISOString(), lastOutcome: outcome, consecutiveFailures: this.#consecutiveFailures };
  }
}

/** `redact` hides secrets, as everywhere else `run` writes. */
export async function writeHealthFile(file: string, record: HealthRecord, redact: (text: string) => string = (t) => t): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, redact(`${JSON.stringify(record)}\n`));
  await rename(tmp, file);
}
