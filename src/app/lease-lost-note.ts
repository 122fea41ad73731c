// What a cycle that lost its lease tells people: what landed before it stopped, and that it is not
// recorded in the state (the next cycle will see it as a change made outside ga-steer and back off).

import type { ApplyReport } from '../ports/accelerator-gateway.js';

export function leaseLostNote(location: string, lease: { readonly token: number; readonly reason: string }, report: ApplyReport | undefined): string {
  const landed = (report?.changes ?? []).filter((c) => c.status === 'applied');
  const what =
    landed.length === 0
      ? 'nothing was changed'
      : `${landed.length} change(s) landed before it stopped (${landed.map((c) => `${c.change.address.region} ${c.change.kind}`).join(', ')}) and are not recorded in the state: the next cycle will see them as changes made outside ga-steer`;
  return `Lease lost on ${location} (token ${lease.token}): ${lease.reason}. The state was not saved; ${what}.`;
}
