// Probe id -> where the probe sits (country, origin ASN), read from /api/v2/probes/ responses, and the
// client group a probe belongs to under the policy's `clientGroupBy` rule.

import type { ClientGroupId } from '../../../domain/samples.js';
import { array, int, isObject, text } from './fields.js';

export interface ProbeInfo {
  /** ISO 3166-1 alpha-2, upper case. */
  readonly countryCode: string;
  /** Origin ASN of the probe's IPv4 address. */
  readonly asn?: number;
  /** Origin ASN of its IPv6 address, when it has one. */
  readonly asnV6?: number;
}

export type ProbeDirectory = ReadonlyMap<number, ProbeInfo>;

export type ClientGroupRule = 'country' | 'country-asn';

/**
 * Accepts what the probes API returns: one page `{count, next, results}`, a list of pages, or a
 * plain list of probe objects. Probes without a usable id or country are skipped and reported.
 */
export function probeDirectoryFromApi(json: unknown): { directory: Map<number, ProbeInfo>; problems: string[] } {
  const directory = new Map<number, ProbeInfo>();
  const problems: string[] = [];
  const pages = Array.isArray(json) ? json : [json];
  const probes = pages.flatMap((p) => (isObject(p) && p['results'] !== undefined ? (array(p['results']) ?? []) : [p]));
  for (const p of probes) {
    if (!isObject(p)) {
      problems.push('a probe entry is not an object');
      continue;
    }
    const id = int(p['id']);
    const cc = text(p['country_code']);
    if (id === undefined) {
      problems.push('a probe has no id');
      continue;
    }
    if (cc === undefined || !/^[A-Za-z]{2}$/.test(cc)) {
      problems.push(`probe ${id} has no country code`);
      continue;
    }
    const asn = int(p['asn_v4']);
    const asnV6 = int(p['asn_v6']);
    directory.set(id, { countryCode: cc.toUpperCase(), ...(asn !== undefined ? { asn } : {}), ...(asnV6 !== undefined ? { asnV6 } : {}) });
  }
  return { directory, problems };
}

/**
 * `CC` or `CC-AS64500`. With `country-asn` the ASN follows the address family measured, since a dual-stack
 * probe can sit behind different networks for IPv4 and IPv6; no ASN for that family, no group.
 */
export function clientGroupOf(probe: ProbeInfo, rule: ClientGroupRule, af: 4 | 6 | undefined): ClientGroupId | undefined {
  if (rule === 'country') return probe.countryCode;
  const asn = af === 6 ? probe.asnV6 : probe.asn;
  return asn === undefined ? undefined : `${probe.countryCode}-AS${asn}`;
}
