// A change made outside ga-steer (a human at the console), applied by the `concurrent-edit` fault.

import type { HumanEdit } from '../faults.js';
import { defaultClientIpPreservation, type GaStore } from './store.js';

export function applyHumanEdit(store: GaStore, edit: HumanEdit): void {
  const found = store.findEndpointGroup(edit.endpointGroupArn);
  if (found === undefined) throw new Error(`concurrent-edit fault: no endpoint group ${edit.endpointGroupArn}`);
  const { accelerator, group } = found;
  if (edit.trafficDialPercent !== undefined) group.trafficDialPercent = Math.fround(edit.trafficDialPercent);
  for (const [id, weight] of Object.entries(edit.weights ?? {})) {
    const endpoint = group.endpoints.find((e) => e.endpointId === id);
    if (endpoint === undefined) throw new Error(`concurrent-edit fault: no endpoint ${id}`);
    endpoint.weight = weight;
  }
  if (edit.addEndpoint !== undefined) {
    group.endpoints.push({
      endpointId: edit.addEndpoint.endpointId,
      weight: edit.addEndpoint.weight,
      clientIpPreservation: defaultClientIpPreservation(edit.addEndpoint.endpointId),
      healthState: 'INITIAL',
    });
  }
  if (edit.removeEndpointId !== undefined) {
    const i = group.endpoints.findIndex((e) => e.endpointId === edit.removeEndpointId);
    if (i < 0) throw new Error(`concurrent-edit fault: no endpoint ${edit.removeEndpointId}`);
    group.endpoints.splice(i, 1);
  }
  store.touch(accelerator, 'ConsoleEdit', group.arn);
}
