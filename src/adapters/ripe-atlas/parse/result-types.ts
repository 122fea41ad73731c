// Typed RIPE Atlas results, one shape per measurement type whatever the probe firmware wrote.
// Firmware differences (numbers as strings, `addr` for `dst_addr`, legacy string results...) are
// resolved by the parsers; what reaches these types is already normalised. Oddities that do not make
// a result unusable are kept in `notes`.

import type { PartialDnsMessage } from './dns-wire.js';
import type { DnsDecodeError } from './errors.js';

export type AtlasResultType = 'ping' | 'dns' | 'traceroute' | 'http';

/** Fields every result carries. */
export interface AtlasResultBase {
  readonly type: AtlasResultType;
  readonly msmId: number;
  readonly probeId: number;
  /** Start of the measurement, UNIX seconds, as the probe's clock saw it. */
  readonly timestamp: number;
  /** `timestamp` as ISO-8601 UTC. */
  readonly observedAt: string;
  readonly firmware: number;
  /** Result format version `x.y.z`, firmware 5000 and later. */
  readonly formatVersion?: string;
  /** Seconds since the probe last synchronised its clock (Atlas `lts`), when known. */
  readonly clockSyncAgeSeconds?: number;
  /** The probe said it does not know whether its clock is synchronised (`lts` -1): its timestamps are doubtful. */
  readonly clockSyncUnknown: boolean;
  /** The probe's public address as the Atlas controller saw it; absent when Atlas left it empty. */
  readonly from?: string;
  readonly srcAddr?: string;
  readonly dstAddr?: string;
  readonly dstName?: string;
  readonly af?: 4 | 6;
  /** Arrival time at RIPE NCC, UNIX seconds, when the download includes it. */
  readonly storedTimestamp?: number;
  /** Non-fatal oddities found while parsing (skipped packet entries, undecodable abuf...). */
  readonly notes: readonly string[];
}

export type PingPacket =
  | {
      readonly kind: 'reply';
      readonly rttMs: number;
      readonly ttl?: number;
      readonly srcAddr?: string;
      /** A duplicate reply: Atlas does not count it in `received`. */
      readonly duplicate: boolean;
      /** A reply flagged as late by the probe. */
      readonly late: boolean;
    }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'error'; readonly message: string };

export interface PingResult extends AtlasResultBase {
  readonly type: 'ping';
  readonly sent: number;
  /** Distinct replies, duplicates excluded (Atlas `rcvd`). */
  readonly received: number;
  readonly duplicates: number;
  /** Summary as the probe computed it; absent when nothing came back (Atlas writes -1). */
  readonly minMs?: number;
  readonly avgMs?: number;
  readonly maxMs?: number;
  readonly packetSize?: number;
  /** Per-packet outcomes; firmware 0 and 1 wrote none (`packetsRecorded` false). */
  readonly packets: readonly PingPacket[];
  readonly packetsRecorded: boolean;
}

/** One DNS exchange: a `result`, or one element of a `resultset` (one per probe resolver). */
export interface DnsExchange {
  readonly dstAddr?: string;
  readonly dstPort?: number;
  readonly srcAddr?: string;
  readonly af?: 4 | 6;
  readonly proto?: string;
  /** Position in a resultset (`subid` of `submax`). */
  readonly subId?: number;
  readonly subMax?: number;
  /** Time of this exchange, UNIX seconds (resultset elements); else the result's timestamp. */
  readonly time: number;
  readonly outcome: DnsResponse | DnsFailure;
}

export interface DnsResponse {
  readonly kind: 'response';
  /** Response time in ms. */
  readonly rtMs: number;
  readonly size?: number;
  /** The base64 wire answer, when the measurement included it. */
  readonly abuf?: string;
  /** `abuf` decoded, possibly partially (see `problem` inside). */
  readonly message?: PartialDnsMessage;
  /** Why `abuf` could not be decoded at all. */
  readonly decodeError?: DnsDecodeError;
  /** Full RCODE from the decoded answer (only the wire answer carries it). */
  readonly rcode?: number;
  /**
   * TXT answers, one string per record (its character-strings concatenated): from the decoded abuf,
   * else from the probe's own `answers`. CHAOS `id.server`/`hostname.bind` answers name the server.
   */
  readonly txt: readonly string[];
  /** The answer section as the probe decoded it (firmware-dependent, TXT and SOA only). */
  readonly probeAnswers: readonly ProbeDnsAnswer[];
}

export interface ProbeDnsAnswer {
  readonly type: string;
  readonly name?: string;
  /** RDATA strings (firmware before 4750 wrote a single string). */
  readonly rdata: readonly string[];
}

export interface DnsFailure {
  readonly kind: 'error';
  /** `timeout`, `socket`, `getaddrinfo`... as Atlas keys it. */
  readonly reason: string;
  readonly message: string;
  /** The timeout in ms for `timeout` errors. */
  readonly timeoutMs?: number;
}

export interface DnsResult extends AtlasResultBase {
  readonly type: 'dns';
  readonly exchanges: readonly DnsExchange[];
}

export type TraceReply =
  | {
      readonly kind: 'reply';
      readonly from: string;
      /** Absent for late packets, which carry no usable RTT. */
      readonly rttMs?: number;
      readonly ttl?: number;
      readonly size?: number;
      /** Number of packets that arrived late (Atlas `late`). */
      readonly late?: number;
      /** ICMP error code letter (`N`, `H`, `A`, `P`, `p`, `h`) or number. */
      readonly icmpError?: string;
      /** TTL of the packet that triggered the ICMP reply, when not 1. */
      readonly innerTtl?: number;
      /** Destination quoted in the ICMP reply, when different from the target. */
      readonly quotedDestination?: string;
      readonly mtu?: number;
      readonly duplicate: boolean;
      /** MPLS labels from ICMP extensions (RFC 4950). */
      readonly mplsLabels?: readonly number[];
    }
  | { readonly kind: 'timeout' };

export interface TraceHop {
  readonly hop: number;
  readonly replies: readonly TraceReply[];
  /** Hop-level failure such as `sendto failed: ...`. */
  readonly error?: string;
}

export interface TracerouteResult extends AtlasResultBase {
  readonly type: 'traceroute';
  readonly proto?: string;
  readonly parisId?: number;
  readonly endTimestamp?: number;
  readonly packetSize?: number;
  readonly hops: readonly TraceHop[];
  /** Whole-trace failure, e.g. `name resolution failed: ...` (then there are no hops). */
  readonly error?: string;
  /** Whether a reply came from `dstAddr`. */
  readonly destinationReplied: boolean;
}

export interface HttpExchange {
  readonly method?: string;
  readonly af?: 4 | 6;
  readonly dstAddr?: string;
  readonly srcAddr?: string;
  readonly status?: number;
  readonly version?: string;
  /** Total time in ms. */
  readonly rtMs?: number;
  readonly headerBytes?: number;
  readonly bodyBytes?: number;
  readonly error?: string;
}

export interface HttpResult extends AtlasResultBase {
  readonly type: 'http';
  readonly uri?: string;
  readonly exchanges: readonly HttpExchange[];
}

export type ParsedResult = PingResult | DnsResult | TracerouteResult | HttpResult;
