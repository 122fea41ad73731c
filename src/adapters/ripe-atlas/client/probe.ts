// Probe documents from /api/v2/probes/, normalised. Coordinates come as GeoJSON, longitude first.

import * as z from 'zod';
import { lenientBool, lenientInt, lenientString, lenientUnixSeconds, statusSchema } from './lenient-fields.js';

export interface AtlasProbe {
  readonly id: number;
  readonly countryCode: string | null;
  readonly asnV4: number | null;
  readonly asnV6: number | null;
  readonly latitude: number | null;
  readonly longitude: number | null;
  readonly isAnchor: boolean;
  readonly isPublic: boolean;
  /** 0 Never Connected, 1 Connected, 2 Disconnected, 3 Abandoned, 4 Written Off. */
  readonly status: { readonly id: number; readonly name: string | null; readonly since: number | null } | null;
  readonly addressV4: string | null;
  readonly prefixV4: string | null;
  readonly tags: readonly string[];
  readonly description: string | null;
}

const probeDoc = z.looseObject({
  id: z.int().positive(),
  country_code: lenientString,
  asn_v4: lenientInt,
  asn_v6: lenientInt,
  geometry: z.unknown(),
  is_anchor: lenientBool,
  is_public: lenientBool,
  status: statusSchema,
  status_since: lenientUnixSeconds,
  address_v4: lenientString,
  prefix_v4: lenientString,
  tags: z.unknown(),
  description: lenientString,
});

export function readProbe(doc: unknown): AtlasProbe | undefined {
  const parsed = probeDoc.safeParse(doc);
  if (!parsed.success) return undefined;
  const d = parsed.data;
  const [longitude, latitude] = pointOf(d.geometry);
  return {
    id: d.id,
    countryCode: d.country_code,
    asnV4: d.asn_v4,
    asnV6: d.asn_v6,
    latitude,
    longitude,
    isAnchor: d.is_anchor ?? false,
    isPublic: d.is_public ?? false,
    status: d.status === null ? null : { ...d.status, since: d.status.since ?? d.status_since },
    addressV4: d.address_v4,
    prefixV4: d.prefix_v4,
    tags: tagSlugs(d.tags),
    description: d.description,
  };
}

function pointOf(geometry: unknown): [number | null, number | null] {
  if (typeof geometry !== 'object' || geometry === null) return [null, null];
  const coords = (geometry as { coordinates?: unknown }).coordinates;
  if (!Array.isArray(coords)) return [null, null];
  const [lon, lat] = coords as unknown[];
  const ok = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
  return ok(lon) && ok(lat) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180 ? [lon, lat] : [null, null];
}

function tagSlugs(tags: unknown): string[] {
  if (!Array.isArray(tags)) return [];
  return tags.flatMap((t: unknown) => {
    if (typeof t === 'string') return [t];
    const slug = typeof t === 'object' && t !== null ? (t as { slug?: unknown }).slug : undefined;
    return typeof slug === 'string' ? [slug] : [];
  });
}

const pageDoc = z.looseObject({
  count: z.unknown().optional(),
  next: z.string().nullable().optional(),
  results: z.array(z.unknown()),
});

/** One page of a paginated list: its items and the `next` link, if any. */
export function readPage(doc: unknown): { readonly results: readonly unknown[]; readonly next: string | null } | undefined {
  const parsed = pageDoc.safeParse(doc);
  if (!parsed.success) return undefined;
  return { results: parsed.data.results, next: parsed.data.next ?? null };
}
