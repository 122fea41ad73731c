// Builds one snapshot from the topology and every source's readout.

import { SNAPSHOT_VERSION, snapshotSchema, type AcceleratorTopology, type ServerClockCheck, type Snapshot } from '../snapshot/schema.js';
import type { SignalReadout } from '../ports/signal-source.js';

/**
 * `sourceAreas` (the policy's GA SourceRegion -> countries) tags client groups that came without a
 * source area, so area demand from GA's flow metrics can be spread over the groups measured there.
 * `serverClock`: the local clock against AWS's, as this collection's responses showed it.
 */
export function assembleSnapshot(
  topology: AcceleratorTopology,
  readouts: readonly SignalReadout[],
  takenAt: Date,
  sourceAreas: Readonly<Record<string, readonly string[]>> = {},
  serverClock?: ServerClockCheck,
): Snapshot {
  const areaOfCountry = new Map(Object.entries(sourceAreas).flatMap(([area, countries]) => countries.map((c) => [c, area] as const)));
  // Parsed on the way in: a source that produced something malformed is caught here, at the edge.
  return snapshotSchema.parse({
    snapshotVersion: SNAPSHOT_VERSION,
    takenAt: takenAt.toISOString(),
    accelerators: [topology],
    load: readouts.flatMap((r) => r.load ?? []),
    latency: readouts.flatMap((r) => r.latency ?? []),
    landing: readouts.flatMap((r) => r.landing ?? []),
    demand: readouts.flatMap((r) => r.demand ?? []),
    clientGroups: dedupeById(readouts.flatMap((r) => r.clientGroups ?? [])).map((g) => {
      if (g.sourceArea !== undefined) return g;
      const area = areaOfCountry.get(g.countryCode ?? g.id.slice(0, 2));
      return area === undefined ? g : { ...g, sourceArea: area };
    }),
    ...(serverClock !== undefined ? { serverClock } : {}),
  });
}

function dedupeById<T extends { id: string }>(items: readonly T[]): T[] {
  const seen = new Map<string, T>();
  for (const item of items) if (!seen.has(item.id)) seen.set(item.id, item);
  return [...seen.values()];
}
