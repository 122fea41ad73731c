// What the campaign's parent and its worker processes say to each other over the IPC channel, parsed
// on arrival (a worker's message is input like any other).

import * as z from 'zod';
import type { RunFigures } from '../../src/sim/figures.js';
import type { WorldResult } from './run-world.js';

const nullableNumber = z.number().nullable();

const runFiguresSchema = z.object({
  regionMinutesOverCapacity: z.number(),
  overCapacityAfterThirdCycleMinutes: z.number(),
  meanLatencyMs: z.number(),
  p95LatencyMs: z.number(),
  lpBoundMeanMs: nullableNumber,
  bestDialMeanMs: nullableNumber,
  ratioToLp: nullableNumber,
  gapToBestDialPercent: nullableNumber,
  lpTargetMeanMs: nullableNumber,
  bestDialTargetMeanMs: nullableNumber,
  gapToBestDialTargetPercent: nullableNumber,
  changes: z.number(),
  timeToRelieveMinutes: nullableNumber,
  oscillations: z.number(),
}) satisfies z.ZodType<RunFigures>;

const controllerResultSchema = z.object({ figures: runFiguresSchema, overLateFeasibleMinutes: z.number(), overLateMarginFeasibleMinutes: z.number() });

export const worldResultSchema = z.object({
  seed: z.int(),
  name: z.string(),
  kind: z.enum(['hot', 'calm', 'over-capacity']),
  regions: z.array(z.string()),
  listeners: z.int(),
  hot: z.array(z.string()),
  events: z.array(z.string()),
  seconds: z.number(),
  instants: z.int(),
  dialFeasibleInstants: z.int(),
  lpFeasibleInstants: z.int(),
  marginFeasibleInstants: z.int(),
  runs: z.object({ 'ga-alone': controllerResultSchema, threshold: controllerResultSchema, 'waterfall-oracle': controllerResultSchema, 'ga-steer': controllerResultSchema }),
  holds: z.record(z.string(), z.number()),
  trace: z.array(z.string()),
  overCauses: z.record(z.string(), z.number()),
  overUnabsorbableMinutes: z.number(),
}) satisfies z.ZodType<WorldResult>;

export const toWorkerSchema = z.discriminatedUnion('kind', [z.object({ kind: z.literal('run'), seed: z.int(), intervalSeconds: z.int().optional() }), z.object({ kind: z.literal('stop') })]);
export type ToWorker = z.output<typeof toWorkerSchema>;

export const fromWorkerSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('progress'), seed: z.int(), controller: z.string() }),
  z.object({ kind: z.literal('done'), seed: z.int(), result: worldResultSchema }),
  z.object({ kind: z.literal('failed'), seed: z.int(), error: z.string() }),
]);
/** What a worker sends (the parsed form, `fromWorkerSchema`'s output, is assignable to it). */
export type FromWorker =
  | { readonly kind: 'progress'; readonly seed: number; readonly controller: string }
  | { readonly kind: 'done'; readonly seed: number; readonly result: WorldResult }
  | { readonly kind: 'failed'; readonly seed: number; readonly error: string };
