// The stress events of a generated world: none (the daily peak alone), or one or two of a demand spike,
// a capacity loss, a Region failure with recovery, a RIPE Atlas outage. Each starts after the
// controllers have settled and ends (or, a capacity loss, may last) before the run does.

import type * as z from 'zod';
import type { RegionCode } from '../../src/domain/traffic.js';
import type { scenarioEventSchema } from '../../src/sim/scenario/scenario-schema.js';
import type { Draw } from './draw.js';

export type EventInput = z.input<typeof scenarioEventSchema>;
type EventKind = 'demand-spike' | 'capacity-change' | 'region-failure' | 'atlas-outage';

export interface EventContext {
  readonly regions: readonly RegionCode[];
  /** The service's client countries with their share of demand. */
  readonly countries: readonly (readonly [string, number])[];
  readonly durationMinutes: number;
}

/** Earliest start (minutes): the controllers have seen a few cycles of the daily peak first. */
const EARLIEST_MINUTES = 15;
/** Every event starts at least this long before the end, so what follows it is measured. */
const TAIL_MINUTES = 40;

export function drawEvents(draw: Draw, ctx: EventContext): EventInput[] {
  const count = draw.weighted<number>([[0, 3], [1, 5], [2, 2]]);
  const kinds = Array.from({ length: count }, () => draw.weighted<EventKind>([['demand-spike', 4], ['capacity-change', 2], ['region-failure', 2], ['atlas-outage', 1]]));
  return kinds.map((kind) => drawEvent(draw, kind, ctx)).sort((a, b) => a.at - b.at);
}

function drawEvent(draw: Draw, kind: EventKind, ctx: EventContext): EventInput {
  const at = draw.int(EARLIEST_MINUTES, Math.max(EARLIEST_MINUTES, ctx.durationMinutes - TAIL_MINUTES - 20));
  const left = ctx.durationMinutes - at;
  const lasting = (low: number, high: number): number => Math.max(1, Math.min(left - 10, draw.int(low, high)));
  switch (kind) {
    case 'demand-spike': {
      const factor = round2(draw.uniform(1.3, 2.5));
      const window = { at, durationMinutes: lasting(20, 90), factor, rampMinutes: draw.int(1, 15) };
      if (draw.chance(0.5)) return { kind, ...window, nearestRegion: draw.pick(ctx.regions) };
      // A few countries, the bigger ones likelier (a flash crowd is where the users are).
      const picked = new Set<string>();
      const want = draw.int(1, Math.min(4, ctx.countries.length));
      for (let i = 0; i < want * 4 && picked.size < want; i += 1) picked.add(draw.weighted(ctx.countries));
      return { kind, ...window, countries: [...picked].sort() };
    }
    case 'capacity-change': {
      // Half of them come back during the run, the others last to its end.
      const durationMinutes = draw.chance(0.5) ? lasting(20, 60) : left;
      return { kind, at, durationMinutes, region: draw.pick(ctx.regions), factor: round2(draw.uniform(0.4, 0.8)) };
    }
    case 'region-failure':
      return { kind, at, durationMinutes: lasting(20, 60), region: draw.pick(ctx.regions) };
    case 'atlas-outage':
      return { kind, at, durationMinutes: lasting(20, 60) };
  }
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
