// Discovers the governed part of an accelerator: its status, the listeners the policy names (all when
// it names none) and every endpoint group with dials, weights, health and client-IP preservation.

import { GaSteerError } from '../../app/errors.js';
import type { AcceleratorTopology } from '../../snapshot/schema.js';
import type { GaApi } from './ga-api.js';
import { acceleratorOf, listenerOf } from './wire-to-topology.js';

export class GovernedListenerMissingError extends GaSteerError {
  override readonly name = 'GovernedListenerMissingError';
  constructor(readonly listenerArns: readonly string[]) {
    super(`the policy governs listeners the accelerator does not have: ${listenerArns.join(', ')}`);
  }
}

export async function readAcceleratorTopology(api: GaApi, acceleratorArn: string, listenerArns: readonly string[], now: () => Date): Promise<AcceleratorTopology> {
  const accelerator = await api.describeAccelerator(acceleratorArn);
  const listeners = await api.listListeners(acceleratorArn);
  const wanted = listenerArns.length === 0 ? listeners : listeners.filter((l) => l.ListenerArn !== undefined && listenerArns.includes(l.ListenerArn));
  const missing = listenerArns.filter((arn) => !listeners.some((l) => l.ListenerArn === arn));
  if (missing.length > 0) throw new GovernedListenerMissingError(missing);
  const topologies = [];
  for (const l of wanted) topologies.push(listenerOf(l, await api.listEndpointGroups(l.ListenerArn as string)));
  // The time of the first read: the topology is at least this old.
  return acceleratorOf(accelerator, topologies, now());
}
