// The clock a cycle stamps what it stores with (decision history, alert memory, announcements): its own,
// unless the cycle found it further from AWS's than the clock-skew allowance; then AWS's time (the local
// clock less the measured offset), so no stored time comes from a clock known to be off. Lease times
// stay on the local clock: the lease is judged against it, in this process and in the store.

import type { Clock } from '../ports/clock.js';
import { isClockSkewed } from '../signals/clock-offset.js';
import type { Snapshot } from '../snapshot/schema.js';

export function recordingClock(clock: Clock, snapshot: Snapshot): Clock {
  const check = snapshot.serverClock;
  if (check === undefined || !isClockSkewed(check.offsetSeconds)) return clock;
  const offsetMs = check.offsetSeconds * 1000;
  return { now: () => new Date(clock.now().getTime() - offsetMs) };
}
