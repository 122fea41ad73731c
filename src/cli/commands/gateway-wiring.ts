// The accelerator gateway for commands that act on the stored state and the accelerator only
// (restore, status, apply --plan): no signal sources, no alerts, log lines to stderr.

import { wireLive, type LiveWiring } from '../../app/live-wiring.js';
import type { Policy } from '../../policy/schema.js';
import type { StateStore } from '../../ports/state-store.js';
import type { CommandIo } from '../command.js';

export function wireGatewayOnly(policy: Policy, stateStore: StateStore, io: CommandIo, endpointUrl: string | undefined, deployTimeoutMs?: number): LiveWiring {
  return wireLive(policy, {
    ...(endpointUrl !== undefined ? { endpointUrl } : {}),
    env: io.env,
    stateStore,
    notify: false,
    policySources: false,
    log: (line) => io.stderr(`${line}\n`),
    ...(deployTimeoutMs !== undefined ? { deployTimeoutMs, pollIntervalMs: 1000 } : {}),
  });
}
