// One measurement's converted samples over the policy's age window, kept from cycle to cycle with the
// incremental cursor, so a cycle asks the API only for what is new and converts only that.
//
// Samples are kept rather than raw results: they are what the summaries need and much smaller. The
// exception is a result whose probe is not in the probe directory yet (its metadata could not be read,
// or the API does not list the probe yet): it is kept parsed and converted once the probe is known, as a
// full re-read would. A result that gave no sample for any other reason is kept as its issue, so the
// problems a cycle reports describe the whole window, not just the newest results.
//
// Everything ages out by its own timestamp, so memory holds only the age window; a cap per kind bounds
// it further (oldest dropped first, and said so).

import { advanceCursor, classifyResult, nextStart, resultKey, type MeasurementCursor } from './client/incremental-cursor.js';
import type { ParsedResult } from './parse/result-types.js';
import type { SampleConversion, SampleIssue } from './parse/to-samples.js';

/** The fields advanceCursor reads, as the API writes them. */
export interface CursorKey {
  readonly prb_id: number;
  readonly timestamp: number;
}

export interface WindowBatch {
  /** The new results that parsed, of this measurement. */
  readonly results: readonly ParsedResult[];
  /** Every new result read (usable or not), for the cursor. */
  readonly keys: readonly CursorKey[];
}

export const EMPTY_BATCH: WindowBatch = { results: [], keys: [] };

export interface IngestOptions<S> {
  readonly convert: (results: readonly ParsedResult[]) => SampleConversion<S>;
  /** Whether the probe directory places this probe now. */
  readonly placeable: (probeId: number) => boolean;
  readonly now: Date;
  readonly maxAgeSeconds: number;
  /** Samples, issues and unplaced results kept at most, each. */
  readonly maxEntries: number;
}

export interface WindowView<S> {
  readonly samples: readonly S[];
  /** Results in the window that gave no sample, those waiting for their probe included; by time. */
  readonly dropped: readonly SampleIssue[];
  /** Samples kept but doubtful; by time. */
  readonly flagged: readonly SampleIssue[];
  /** Problems with the conversion's own inputs (bad answer rules). */
  readonly problems: readonly string[];
  /** What the cap dropped this cycle, if anything. */
  readonly capped: readonly string[];
}

interface Timed<T> {
  /** Milliseconds since the epoch. */
  readonly at: number;
  readonly item: T;
}

export class SampleWindow<S extends { readonly observedAt: string; readonly vantage: string }> {
  #cursor: MeasurementCursor | undefined;
  #samples: Timed<S>[] = [];
  #dropped: SampleIssue[] = [];
  #flagged: SampleIssue[] = [];
  #unplaced: ParsedResult[] = [];

  constructor(
    /** What the samples were converted under (see measurementSpecKey). */
    readonly specKey: string,
    /** UNIX seconds the first request reached back to: a longer age window needs a rebuild. */
    readonly coversFrom: number,
    /** Seconds before the cursor asked for again, for results stored late (deduped by the cursor). */
    readonly overlapSeconds = 0,
  ) {}

  get cursor(): MeasurementCursor | undefined {
    return this.#cursor;
  }

  /** Whether the window reaches back as far as `maxAgeSeconds` before `now`. */
  covers(now: Date, maxAgeSeconds: number): boolean {
    return windowStartSeconds(now, maxAgeSeconds) >= this.coversFrom;
  }

  /** The `start` (UNIX seconds) to ask for: after the cursor, never before the age window. */
  startFor(now: Date, maxAgeSeconds: number): number {
    const floor = windowStartSeconds(now, maxAgeSeconds);
    return Math.max(floor, nextStart(this.#cursor, this.overlapSeconds) ?? floor);
  }

  /** False for a result an earlier cycle already took (the boundary second, or an overlap). */
  isNew(raw: unknown): boolean {
    return classifyResult(this.#cursor, raw) !== 'duplicate';
  }

  /** The cursor key of a raw result, when it has one and is not stamped after `stopSeconds`. */
  static keyOf(raw: unknown, stopSeconds: number): CursorKey | undefined {
    const key = resultKey(raw);
    // A result stamped after the request's stop (a server ignoring it) would move the cursor past
    // results not yet stored.
    return key === undefined || key.timestamp > stopSeconds ? undefined : { prb_id: key.prbId, timestamp: key.timestamp };
  }

  /** Probe ids of everything kept, so their metadata is at hand. */
  probeIds(): Set<number> {
    const ids = new Set<number>();
    for (const r of this.#unplaced) ids.add(r.probeId);
    for (const i of this.#dropped) ids.add(i.probeId);
    for (const i of this.#flagged) ids.add(i.probeId);
    // Atlas samples name their probe as the vantage.
    for (const s of this.#samples) if (/^\d+$/.test(s.item.vantage)) ids.add(Number(s.item.vantage));
    return ids;
  }

  get size(): { readonly samples: number; readonly issues: number; readonly unplaced: number } {
    return { samples: this.#samples.length, issues: this.#dropped.length + this.#flagged.length, unplaced: this.#unplaced.length };
  }

  /**
   * Takes a cycle's new results (EMPTY_BATCH after a failed fetch), tries again the results whose probe
   * was unknown, drops what aged out and what exceeds the cap, and returns the window.
   */
  ingest(batch: WindowBatch, options: IngestOptions<S>): WindowView<S> {
    this.#cursor = advanceCursor(this.#cursor, batch.keys, this.overlapSeconds);

    const ready: ParsedResult[] = [];
    const unplaced: ParsedResult[] = [];
    for (const r of this.#unplaced) (options.placeable(r.probeId) ? ready : unplaced).push(r);
    for (const r of batch.results) {
      if (options.placeable(r.probeId)) {
        ready.push(r);
        continue;
      }
      // Only a result that failed on its probe waits for it; one that failed for another reason first
      // (a wrong type, an unknown target) would fail the same way later.
      const alone = options.convert([r]);
      if (alone.dropped.some((i) => i.reason === 'unknown-probe')) unplaced.push(r);
      else this.#keepConversion(alone);
    }
    const conversion = options.convert(ready);
    this.#keepConversion(conversion);
    this.#unplaced = unplaced;

    this.#expire(options.now, options.maxAgeSeconds);
    const capped = this.#cap(options.maxEntries);
    // Results still waiting are reported as a full read would report them: no sample, unknown probe.
    const waiting = unplaced.length > 0 ? options.convert(unplaced).dropped : [];
    return {
      samples: this.#samples.map((s) => s.item),
      dropped: byTime([...this.#dropped, ...waiting]),
      flagged: byTime(this.#flagged),
      problems: conversion.problems,
      capped,
    };
  }

  #keepConversion(c: SampleConversion<S>): void {
    for (const s of c.samples) this.#samples.push({ at: Date.parse(s.observedAt), item: s });
    this.#dropped.push(...c.dropped);
    this.#flagged.push(...c.flagged);
  }

  #expire(now: Date, maxAgeSeconds: number): void {
    // As the summaries: anything older than now - maxAge is out.
    const cutoffMs = now.getTime() - maxAgeSeconds * 1000;
    this.#samples = this.#samples.filter((s) => !(s.at < cutoffMs));
    this.#dropped = this.#dropped.filter((i) => i.timestamp * 1000 >= cutoffMs);
    this.#flagged = this.#flagged.filter((i) => i.timestamp * 1000 >= cutoffMs);
    this.#unplaced = this.#unplaced.filter((r) => r.timestamp * 1000 >= cutoffMs);
  }

  #cap(max: number): string[] {
    const out: string[] = [];
    if (this.#samples.length > max) {
      const n = this.#samples.length - max;
      this.#samples = [...this.#samples].sort((a, b) => a.at - b.at).slice(n);
      out.push(`more than ${max} samples in the age window; the ${n} oldest were dropped`);
    }
    if (this.#unplaced.length > max) {
      const n = this.#unplaced.length - max;
      this.#unplaced = [...this.#unplaced].sort((a, b) => a.timestamp - b.timestamp).slice(n);
      out.push(`more than ${max} results waiting for probe metadata; the ${n} oldest were dropped`);
    }
    // Issues only feed the problem counts: trimmed without a line of their own.
    if (this.#dropped.length > max) this.#dropped = byTime(this.#dropped).slice(this.#dropped.length - max);
    if (this.#flagged.length > max) this.#flagged = byTime(this.#flagged).slice(this.#flagged.length - max);
    return out;
  }
}

/** The oldest UNIX second inside the age window at `now`. */
export function windowStartSeconds(now: Date, maxAgeSeconds: number): number {
  return Math.max(0, Math.floor((now.getTime() - maxAgeSeconds * 1000) / 1000));
}

/** Stable, so issues of the same second keep the order the API sent them in. */
function byTime(issues: readonly SampleIssue[]): SampleIssue[] {
  return [...issues].sort((a, b) => a.timestamp - b.timestamp || a.probeId - b.probeId);
}
