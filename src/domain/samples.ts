// Raw observations as collectors produce them, before any statistics. Every sample is timestamped.

import type { RegionCode } from './traffic.js';

/** Where a latency or landing sample came from. */
export type SignalSource = 'ripe-atlas' | 'synthetic' | 'cloudwatch' | 'simulator' | 'recorded';

/**
 * A client group: the unit the planner reasons about. `CC` (ISO 3166-1 alpha-2 country),
 * `CC-AS64500` (country + origin ASN) or a free-form vantage name from a synthetic feed.
 */
export type ClientGroupId = string;

/** One round-trip measurement from a vantage point to a Region's unicast address. */
export interface LatencySample {
  readonly clientGroup: ClientGroupId;
  /** Probe id, synthetic vantage name, ... Used to de-duplicate and to count vantage points. */
  readonly vantage: string;
  readonly region: RegionCode;
  /** Round-trip time in ms; `null` when the probe got no reply (counts as loss). */
  readonly rttMs: number | null;
  /** Packets sent and received when known (ping); a single RTT counts as 1/1. */
  readonly sent: number;
  readonly received: number;
  /** ISO-8601 time the measurement was taken. */
  readonly observedAt: string;
  readonly source: SignalSource;
}

/** One observation of which Region a vantage point reached through the accelerator's anycast address. */
export interface LandingSample {
  readonly clientGroup: ClientGroupId;
  readonly vantage: string;
  /** The Region that answered, or `null` when the answer matched no policy rule (kept, reported). */
  readonly region: RegionCode | null;
  /** The raw answer (CHAOS TXT string, HTTP body marker...) for evidence and for unmatched reporting. */
  readonly answer: string;
  /** Response time through the anycast address, when measured. */
  readonly rttMs: number | null;
  readonly observedAt: string;
  readonly source: SignalSource;
}
