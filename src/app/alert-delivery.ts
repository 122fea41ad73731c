// Sends what a cycle has to say through the notifier, bounded by the cycle's deadline, and tells the
// cycle which alert memory to keep. A failed notification is logged and never fails the cycle; the
// memory it would have recorded is then not kept, so the next cycle posts it again.

import { finishWithin } from '../adapters/deadline/call-deadline.js';
import type { CycleDeadline } from '../adapters/deadline/cycle-deadline.js';
import type { Notifier } from '../ports/notifier.js';
import type { StoredState } from '../ports/state-store.js';
import { emptyAlertMemory, type AlertMemory } from './alert-memory.js';
import type { AlertDecision } from './cycle-alerts.js';

/**
 * What the alerts said, kept in a long-lived process (`ga-steer run`, a warm Lambda): used when the
 * stored state cannot be read (the store is the failure), and in plan mode, which never writes the store.
 */
export interface AlertMemoryCache {
  memory: AlertMemory | undefined;
}

export function newAlertMemoryCache(): AlertMemoryCache {
  return { memory: undefined };
}

/** One cache per accelerator, for a process that may run several policies over its life. */
export class AlertMemoryCaches {
  readonly #byAccelerator = new Map<string, AlertMemoryCache>();
  for(acceleratorArn: string): AlertMemoryCache {
    let cache = this.#byAccelerator.get(acceleratorArn);
    if (cache === undefined) {
      cache = newAlertMemoryCache();
      this.#byAccelerator.set(acceleratorArn, cache);
    }
    return cache;
  }
}

/**
 * The memory to deduplicate against: the store's when the state could be read (`stored`; another
 * process may have posted since, and a state without it has posted nothing), this process's own only
 * when it could not. Plan mode prefers its own: it never records in the store.
 */
export function alertMemoryFor(mode: 'apply' | 'plan', stored: StoredState | undefined, cache: AlertMemoryCache | undefined): AlertMemory {
  if (mode === 'plan') return cache?.memory ?? stored?.alerts ?? emptyAlertMemory();
  if (stored !== undefined) return stored.alerts ?? emptyAlertMemory();
  return cache?.memory ?? emptyAlertMemory();
}

export interface DeliveryDeps {
  readonly notifier: Notifier;
  readonly log: (line: string) => void;
}

/** Posts the decision's alert (if any); true when there was nothing to post or it was delivered. */
export async function deliverAlert(deps: DeliveryDeps, decision: AlertDecision, deadline: CycleDeadline | undefined, cache: AlertMemoryCache | undefined): Promise<boolean> {
  if (decision.alert !== undefined) {
    try {
      await finishWithin(deadline, { service: 'notifier', operation: 'notify', target: '' }, deps.notifier.notify(decision.alert));
    } catch (e) {
      deps.log(`notification failed: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
      return false;
    }
  }
  if (cache !== undefined) cache.memory = decision.memory;
  return true;
}
