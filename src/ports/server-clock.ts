// What AWS's responses say of its clock: each response's `Date` beside the local clock when it arrived.
// A cycle marks where it begins and compares the local clock with the readings made since.

import type { ClockReading } from '../signals/clock-offset.js';

export interface ServerClockLog {
  /** A mark: `since(mark)` returns the readings made after it. */
  mark(): number;
  since(mark: number): readonly ClockReading[];
}
