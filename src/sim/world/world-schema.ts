// The simulated world: client metros with RTT to every AWS Region, demand weights, Regions, edges.
// This zod schema is the single source of the types; `world.json` is produced by scripts/derive-world.ts.

import * as z from 'zod';

export const WORLD_VERSION = 1;

const region = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS Region code such as eu-central-1');
const countryCode = z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code');
const latitude = z.number().min(-90).max(90);
const longitude = z.number().min(-180).max(180);
const rttMs = z.number().positive().max(2000);
const year = z.int().min(1960).max(2100);

export const worldRegionSchema = z.strictObject({
  code: region,
  /** AWS's description, e.g. `Europe (Frankfurt)`. */
  name: z.string().min(1),
  city: z.string().min(1),
  countryCode,
  latitude,
  longitude,
  /** IANA time zone of the Region's city. */
  timezone: z.string().min(1),
  /** The WonderNetwork server whose RTTs stand in for the Region's, and how far it is from the Region's city. */
  proxy: z.strictObject({ wnServerId: z.int().min(0), name: z.string(), distanceKm: z.number().min(0) }),
});

/** A CloudFront point of presence; Global Accelerator uses a subset of these, not published as data. */
export const edgeLocationSchema = z.strictObject({
  code: z.string().regex(/^[A-Z]{3}$/),
  city: z.string().min(1),
  countryCode,
  latitude,
  longitude,
});

/** Where a country's internet-user count came from: the listed sources, or a documented fallback. */
export const demandBasisSchema = z.enum(['worldbank+owid', 'fallback-population', 'fallback-share', 'fallback-both']);

export const worldCountrySchema = z.strictObject({
  code: countryCode,
  name: z.string().min(1),
  population: z.int().positive(),
  /** Absent when the population is GeoNames' (no World Bank figure). */
  populationYear: year.optional(),
  internetUsersPercent: z.number().min(0).max(100),
  /** Absent when the share is a fallback (no OWID figure). */
  internetUsersYear: year.optional(),
  internetUsers: z.int().min(0),
  basis: demandBasisSchema,
  /** This country's share of the world's internet users; the sum over countries is 1. */
  demandWeight: z.number().min(0).max(1),
});

/** How a metro's RTTs were obtained. */
export const metroRttBasisSchema = z.discriminatedUnion('basis', [
  z.strictObject({
    /** Measured from a WonderNetwork server in the metro to each Region's proxy server. */
    basis: z.literal('measured'),
    wnServerId: z.int().min(0),
    /** Regions whose RTT could not be measured for this metro and was estimated instead. */
    estimatedRegions: z.array(region),
  }),
  z.strictObject({
    /** No measurement in this country: every RTT is estimated from the nearest measured metros. */
    basis: z.literal('estimated'),
    fromMetros: z.array(z.string()).min(1),
  }),
]);

export const metroSchema = z.strictObject({
  /** `cc-name`, lower case, e.g. `de-frankfurt`. */
  id: z.string().regex(/^[a-z]{2}-[a-z0-9-]+$/),
  name: z.string().min(1),
  countryCode,
  latitude,
  longitude,
  /** IANA time zone of the nearest GeoNames city. */
  timezone: z.string().min(1),
  /** Standard (non-DST) UTC offset of `timezone` in hours; places the metro's diurnal curve. */
  utcOffsetHours: z.number().min(-12).max(14),
  /** This metro's share of the world's internet users; the sum over metros is 1. */
  demandWeight: z.number().min(0).max(1),
  /** Round-trip time in ms from the metro to every Region in `regions`, over the public internet. */
  rttMs: z.record(region, rttMs),
  rtt: metroRttBasisSchema,
});

export const attributionSchema = z.strictObject({
  /** File under the project's shared `data/` folder. */
  file: z.string().min(1),
  source: z.string().min(1),
  license: z.string().min(1),
  usedFor: z.string().min(1),
});

export const worldSchema = z.strictObject({
  worldVersion: z.literal(WORLD_VERSION),
  description: z.string(),
  /** How the numbers were derived: estimates, fallbacks, known limits. */
  method: z.array(z.string()),
  regions: z.array(worldRegionSchema).min(1),
  /** AWS backbone RTT between Regions (cloudping.co 1-year p50): `interRegionRttMs[from][to]`. */
  interRegionRttMs: z.record(region, z.record(region, rttMs)),
  edgeLocations: z.array(edgeLocationSchema),
  countries: z.array(worldCountrySchema).min(1),
  metros: z.array(metroSchema).min(1),
  attribution: z.array(attributionSchema).min(1),
});

export type WorldRegion = z.infer<typeof worldRegionSchema>;
export type EdgeLocation = z.infer<typeof edgeLocationSchema>;
export type DemandBasis = z.infer<typeof demandBasisSchema>;
export type WorldCountry = z.infer<typeof worldCountrySchema>;
export type MetroRttBasis = z.infer<typeof metroRttBasisSchema>;
export type Metro = z.infer<typeof metroSchema>;
export type Attribution = z.infer<typeof attributionSchema>;
export type World = z.infer<typeof worldSchema>;
