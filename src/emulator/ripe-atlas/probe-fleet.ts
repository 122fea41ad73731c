// The emulated RIPE Atlas probes: one per vantage of each client group's plan, with the metadata the
// collector places it by (country, ASN, location), checked to land in the same client group under the
// policy's `clientGroupBy` rule that the collector applies.

import { clientGroupOf, type ClientGroupRule } from '../../adapters/ripe-atlas/parse/probe-directory.js';
import type { GroupPlan } from '../signals/group-plans.js';

export interface Location {
  readonly latitude: number;
  readonly longitude: number;
}

export interface EmulatedProbe {
  readonly id: number;
  readonly plan: GroupPlan;
  /** Index of this probe's vantage in its group's plan. */
  readonly vantage: number;
  readonly countryCode: string;
  readonly asn: number | null;
  readonly location: Location | undefined;
  /** Public IPv4 address (documentation ranges). */
  readonly address: string;
  /** Offset of the probe's schedule within a measurement interval, seconds. */
  readonly phaseSeconds: number;
}

export interface ProbeFleet {
  readonly probes: readonly EmulatedProbe[];
  readonly problems: readonly string[];
}

export interface ProbeFleetOptions {
  readonly clientGroupBy: ClientGroupRule;
  readonly intervalSeconds: number;
  /** A country's location when the snapshot gives the group none (e.g. its largest metro). */
  readonly locate?: (countryCode: string) => Location | undefined;
}

const FIRST_PROBE_ID = 6_100_001;
const DOCUMENTATION_NETS = ['192.0.2', '198.51.100', '203.0.113'];

export function buildProbeFleet(plans: readonly GroupPlan[], options: ProbeFleetOptions): ProbeFleet {
  const probes: EmulatedProbe[] = [];
  const problems: string[] = [];
  plans.forEach((plan, g) => {
    const id = plan.clientGroup;
    const countryCode = (plan.meta?.countryCode ?? /^([A-Z]{2})(?:-AS\d+)?$/.exec(id)?.[1])?.toUpperCase();
    if (countryCode === undefined) {
      problems.push(`client group ${id} has no country: no RIPE Atlas probe can stand for it (the synthetic feed does)`);
      return;
    }
    const asnText = /-AS(\d+)$/.exec(id)?.[1];
    const asn = plan.meta?.asn ?? (asnText !== undefined ? Number(asnText) : null);
    // The collector must put these probes back in this very group.
    const placed = clientGroupOf({ countryCode, ...(asn !== null ? { asn } : {}) }, options.clientGroupBy, 4);
    if (placed !== id) {
      problems.push(`client group ${id}: probes in ${countryCode}${asn !== null ? ` AS${asn}` : ''} are grouped as ${placed ?? '(none)'} under clientGroupBy ${options.clientGroupBy}; no RIPE Atlas probe stands for it`);
      return;
    }
    const centre =
      plan.meta?.latitude !== undefined && plan.meta.longitude !== undefined ? { latitude: plan.meta.latitude, longitude: plan.meta.longitude } : options.locate?.(countryCode);
    for (let v = 0; v < plan.vantageCount; v += 1) {
      const n = probes.length;
      probes.push({
        id: FIRST_PROBE_ID + n,
        plan,
        vantage: v,
        countryCode,
        asn,
        // A few kilometres apart around the centre, as probes in one metro area are.
        location: centre === undefined ? undefined : { latitude: round4(centre.latitude + ((v % 5) - 2) * 0.03), longitude: round4(centre.longitude + ((Math.floor(v / 5) % 5) - 2) * 0.03) },
        address: `${DOCUMENTATION_NETS[Math.floor(n / 254) % DOCUMENTATION_NETS.length]}.${(n % 254) + 1}`,
        phaseSeconds: (v * 47 + g * 13) % options.intervalSeconds,
      });
    }
  });
  return { probes, problems };
}

/** The probe document of the RIPE Atlas v2 API (`/api/v2/probes/`). */
export function probeDocument(p: EmulatedProbe, sinceSeconds: number): Record<string, unknown> {
  return {
    id: p.id,
    type: 'Probe',
    is_anchor: false,
    is_public: true,
    country_code: p.countryCode,
    asn_v4: p.asn,
    asn_v6: null,
    address_v4: p.address,
    address_v6: null,
    prefix_v4: `${p.address.slice(0, p.address.lastIndexOf('.'))}.0/24`,
    prefix_v6: null,
    geometry: p.location === undefined ? null : { type: 'Point', coordinates: [p.location.longitude, p.location.latitude] },
    description: `ga-steer emulator probe for client group ${p.plan.clientGroup}`,
    status: { id: 1, name: 'Connected', since: sinceSeconds },
    status_since: sinceSeconds,
    first_connected: sinceSeconds,
    last_connected: sinceSeconds,
    tags: [{ name: 'system: IPv4 Works', slug: 'system-ipv4-works' }],
    firmware_version: 5080,
  };
}

function round4(v: number): number {
  return Math.round(v * 10_000) / 10_000;
}
