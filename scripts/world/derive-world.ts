// Derives the simulated world from the real data in data/world. Pure given the sources: stable order, rounded numbers.

import { WORLD_VERSION, type EdgeLocation, type Metro, type World, type WorldCountry, type WorldRegion } from '../../src/sim/world/world-schema.js';
import { WORLD_ATTRIBUTION } from './attribution.js';
import { compareText, deriveCountryDemand, round } from './country-demand.js';
import {
  distanceKm,
  estimateRtt,
  FIBRE_RTT_MS_PER_KM,
  leaveOneOutAccuracy,
  localRttMs,
  LOCAL_RTT_MS,
  MIN_NEIGHBOUR_KM,
  NEIGHBOURS,
  sortByDistance,
  TYPICAL_RTT_MS_PER_KM,
  type MeasuredPlace,
  type Place,
} from './estimate-rtt.js';
import type { City, WnServer, WorldSources } from './read-sources.js';
import { standardUtcOffsetHours } from './utc-offset.js';

const COORD_DECIMALS = 4;
const RTT_DECIMALS = 1;
const WEIGHT_DECIMALS = 9;

export class WorldDerivationError extends Error {
  override readonly name = 'WorldDerivationError';
}

export function slug(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

function deriveRegions(src: WorldSources): WorldRegion[] {
  const servers = new Map(src.wnServers.map((s) => [s.id, s]));
  return [...src.awsRegions]
    .sort((a, b) => compareText(a.region, b.region))
    .map((r) => {
      const proxy = src.regionProxies.find((p) => p.region === r.region && p.rank === 1);
      if (proxy === undefined || !servers.has(proxy.wn_server_id)) throw new WorldDerivationError(`${r.region}: no proxy server`);
      return {
        code: r.region,
        name: r.description,
        city: r.city,
        countryCode: r.country_code,
        latitude: round(r.latitude, COORD_DECIMALS),
        longitude: round(r.longitude, COORD_DECIMALS),
        timezone: r.timezone,
        proxy: { wnServerId: proxy.wn_server_id, name: proxy.wn_title, distanceKm: round(proxy.distance_km, 1) },
      };
    });
}

function deriveInterRegion(src: WorldSources, regions: readonly WorldRegion[]): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const from of regions) {
    const row: Record<string, number> = {};
    for (const to of regions) {
      const v = src.interRegionRttMs[from.code]?.[to.code];
      if (v === undefined) throw new WorldDerivationError(`inter-Region RTT ${from.code} -> ${to.code} missing`);
      row[to.code] = round(v, RTT_DECIMALS);
    }
    out[from.code] = row;
  }
  return out;
}

interface ServerRtts {
  readonly server: WnServer;
  /** Region -> measured RTT. */
  readonly measured: Map<string, number>;
  /** Region -> RTT from the server to a Region whose proxy it is itself. */
  readonly local: Map<string, number>;
}

/**
 * Per WonderNetwork server, its RTT to each Region's proxy. A server with any RTT below the fibre bound
 * for the distance to the proxy is not where the list says (La Ceiba HN answers like a US host, Rome
 * like Milan): it is dropped, and reported in `method`.
 */
function collectServerRtts(src: WorldSources, regions: readonly WorldRegion[]): { kept: ServerRtts[]; dropped: WnServer[] } {
  const servers = new Map(src.wnServers.map((s) => [s.id, s]));
  const byServer = new Map<number, ServerRtts>();
  const implausible = new Set<number>();
  const regionCodes = new Set(regions.map((r) => r.code));
  for (const row of src.clientRegionRtts) {
    if (!regionCodes.has(row.region)) continue;
    const server = servers.get(row.client_wn_id);
    const proxy = servers.get(row.proxy_wn_id);
    if (server === undefined || proxy === undefined) throw new WorldDerivationError(`RTT row names unknown server ${row.client_wn_id}/${row.proxy_wn_id}`);
    const entry = byServer.get(server.id) ?? { server, measured: new Map<string, number>(), local: new Map<string, number>() };
    byServer.set(server.id, entry);
    if (row.direction === 'same_server') {
      entry.local.set(row.region, localRttMs(row.proxy_distance_km));
    } else if (row.direction !== 'missing' && row.rtt_avg_ms !== undefined) {
      if (row.rtt_avg_ms < FIBRE_RTT_MS_PER_KM * distanceKm(server, proxy)) implausible.add(server.id);
      entry.measured.set(row.region, row.rtt_avg_ms);
    }
  }
  const proxies = new Set(regions.map((r) => r.proxy.wnServerId));
  for (const id of implausible) {
    if (proxies.has(id)) throw new WorldDerivationError(`server ${id} is a Region proxy but its RTTs are implausible`);
  }
  const all = [...byServer.values()].sort((a, b) => a.server.id - b.server.id);
  return {
    kept: all.filter((e) => !implausible.has(e.server.id)),
    dropped: all.filter((e) => implausible.has(e.server.id)).map((e) => e.server),
  };
}

function nearestOf<T extends Place>(place: Place, candidates: readonly T[]): T | undefined {
  let best: T | undefined;
  let bestKm = Infinity;
  for (const c of candidates) {
    const d = distanceKm(place, c);
    if (d < bestKm) {
      bestKm = d;
      best = c;
    }
  }
  return best;
}

function nearestCity(place: Place, cities: readonly City[]): City {
  const city = nearestOf(place, cities);
  if (city === undefined) throw new WorldDerivationError('no city to compare with');
  return city;
}

function largestCity(cities: readonly City[]): City | undefined {
  return [...cities].sort((a, b) => b.population - a.population || a.geonameid - b.geonameid)[0];
}

interface MetroDraft {
  readonly id: string;
  readonly name: string;
  readonly countryCode: string;
  readonly latitude: number;
  readonly longitude: number;
  readonly timezone: string;
  readonly server: ServerRtts | undefined;
}

/** Splits each country's demand over its metros by the population of the GeoNames cities nearest each. */
function splitDemand(drafts: readonly MetroDraft[], countries: readonly WorldCountry[], citiesByCountry: Map<string, City[]>): Map<string, number> {
  const totalUsers = countries.reduce((s, c) => s + c.internetUsers, 0);
  const weights = new Map<string, number>();
  for (const country of countries) {
    const metros = drafts.filter((d) => d.countryCode === country.code);
    const popByMetro = new Map<string, number>(metros.map((m) => [m.id, 0]));
    for (const city of citiesByCountry.get(country.code) ?? []) {
      const nearest = nearestOf(city, metros);
      if (nearest !== undefined) popByMetro.set(nearest.id, (popByMetro.get(nearest.id) ?? 0) + city.population);
    }
    const popTotal = [...popByMetro.values()].reduce((a, b) => a + b, 0);
    for (const m of metros) {
      const share = popTotal > 0 ? (popByMetro.get(m.id) ?? 0) / popTotal : 1 / metros.length;
      weights.set(m.id, (country.internetUsers / totalUsers) * share);
    }
  }
  return weights;
}

export function deriveWorld(src: WorldSources): World {
  const regions = deriveRegions(src);
  const interRegionRttMs = deriveInterRegion(src, regions);
  const countries = deriveCountryDemand(src.countryInfo, src.population, src.internetShare, src.cities);
  const countryCodes = new Set(countries.map((c) => c.code));

  const citiesByCountry = new Map<string, City[]>();
  for (const c of src.cities) {
    const list = citiesByCountry.get(c.country_code) ?? [];
    list.push(c);
    citiesByCountry.set(c.country_code, list);
  }

  const { kept, dropped } = collectServerRtts(src, regions);
  const drafts: MetroDraft[] = kept.map((s) => {
    const city = nearestCity(s.server, citiesByCountry.get(s.server.country_code) ?? src.cities);
    return {
      id: `${s.server.country_code.toLowerCase()}-${slug(s.server.title)}`,
      name: s.server.title,
      countryCode: s.server.country_code,
      latitude: s.server.latitude,
      longitude: s.server.longitude,
      timezone: city.timezone,
      server: s,
    };
  });
  const measuredCountries = new Set(drafts.map((d) => d.countryCode));
  for (const country of countries) {
    if (measuredCountries.has(country.code)) continue;
    const city = largestCity(citiesByCountry.get(country.code) ?? []);
    if (city === undefined) throw new WorldDerivationError(`${country.code}: no city to place a metro`);
    drafts.push({
      id: `${country.code.toLowerCase()}-${slug(city.asciiname)}`,
      name: city.asciiname,
      countryCode: country.code,
      latitude: city.latitude,
      longitude: city.longitude,
      timezone: city.timezone,
      server: undefined,
    });
  }
  const ids = new Set<string>();
  for (const d of drafts) {
    if (ids.has(d.id)) throw new WorldDerivationError(`duplicate metro id ${d.id}`);
    ids.add(d.id);
  }

  const measuredPlaces: MeasuredPlace[] = drafts.flatMap((d) =>
    d.server === undefined ? [] : [{ id: d.id, countryCode: d.countryCode, latitude: d.latitude, longitude: d.longitude, measuredRttMs: d.server.measured }],
  );
  const demand = splitDemand(drafts, countries, citiesByCountry);

  const metros: Metro[] = drafts.map((d) => {
    const neighbours = sortByDistance(
      d,
      measuredPlaces.filter((p) => p.id !== d.id),
    );
    const rttMs: Record<string, number> = {};
    const estimatedRegions: string[] = [];
    const fromMetros = new Set<string>();
    for (const r of regions) {
      const measured = d.server?.measured.get(r.code);
      if (measured !== undefined) {
        rttMs[r.code] = round(measured, RTT_DECIMALS);
        continue;
      }
      let value = d.server?.local.get(r.code);
      if (value === undefined) {
        const estimate = estimateRtt(d, r, neighbours);
        if (estimate === undefined) throw new WorldDerivationError(`${d.id} -> ${r.code}: no RTT and no neighbour to estimate from`);
        value = estimate.rttMs;
        for (const id of estimate.fromMetros) fromMetros.add(id);
      }
      rttMs[r.code] = round(value, RTT_DECIMALS);
      estimatedRegions.push(r.code);
    }
    return {
      id: d.id,
      name: d.name,
      countryCode: d.countryCode,
      latitude: round(d.latitude, COORD_DECIMALS),
      longitude: round(d.longitude, COORD_DECIMALS),
      timezone: d.timezone,
      utcOffsetHours: standardUtcOffsetHours(d.timezone),
      demandWeight: round(demand.get(d.id) ?? 0, WEIGHT_DECIMALS),
      rttMs,
      rtt:
        d.server === undefined
          ? { basis: 'estimated' as const, fromMetros: sortByDistance(d, measuredPlaces.filter((p) => fromMetros.has(p.id))).map((p) => p.id) }
          : { basis: 'measured' as const, wnServerId: d.server.server.id, estimatedRegions },
    };
  });
  metros.sort((a, b) => compareText(a.id, b.id));

  const edgeLocations: EdgeLocation[] = [...src.edges]
    .map((e) => ({
      code: e.code,
      city: e.city,
      countryCode: e.country_code,
      latitude: round(e.latitude, COORD_DECIMALS),
      longitude: round(e.longitude, COORD_DECIMALS),
    }))
    .sort((a, b) => compareText(a.code, b.code));

  const accuracy = leaveOneOutAccuracy(measuredPlaces, regions);
  const noMetroCountries = [...measuredCountries].filter((c) => !countryCodes.has(c)).sort();
  const fallbackCountries = countries.filter((c) => c.basis !== 'worldbank+owid').map((c) => c.code);
  const method = [
    'Metros: every WonderNetwork server (2020) is a measured metro; each country with internet users and no usable server gets one estimated metro at its largest GeoNames city.',
    `RTT (ms, public internet): the 2020 WonderNetwork pair median (of hourly ping averages) from the metro's server to the Region's proxy server (the server nearest the Region's city; see regions[].proxy). These are host-to-host datacenter RTTs, not last-mile, and not GA backbone RTTs.`,
    `A metro whose server is a Region's proxy gets ${LOCAL_RTT_MS} ms + ${TYPICAL_RTT_MS_PER_KM} ms/km over the proxy-to-Region distance for that Region (flagged in estimatedRegions).`,
    `Estimated RTT (unmeasured metros, and pairs missing in the data): inverse-distance-weighted (min ${MIN_NEIGHBOUR_KM} km) mean over the ${NEIGHBOURS} nearest measured metros of rtt(N,R) + ${FIBRE_RTT_MS_PER_KM} ms/km x (d(X,R) - d(N,R)), never below ${LOCAL_RTT_MS} ms + ${FIBRE_RTT_MS_PER_KM} ms/km x d(X,R) (light in fibre).`,
    `Estimate check, leave one out with neighbours from other countries only, over ${accuracy.pairs} measured pairs: median absolute error ${round(accuracy.medianAbsErrorMs, 1)} ms, p90 ${round(accuracy.p90AbsErrorMs, 1)} ms, median relative error ${round(accuracy.medianRelError * 100, 1)} %.`,
    'Mainland China (CN) metros show 2020 cross-border routing on the public internet (e.g. Shenzhen reaches Jakarta faster than Hong Kong); AWS China Regions are a separate partition and not listed.',
    `Servers dropped because an RTT is below the fibre bound for their stated distance (mislocated): ${dropped.map((s) => `${s.id} ${s.title} ${s.country_code}`).join(', ') || 'none'}.`,
    'Demand: internet users per country = World Bank population (latest year) x OWID/ITU share of individuals using the internet (latest year, which differs by country); split across a country\'s metros by the population of the GeoNames cities (population > 15,000) nearest each metro. demandWeight = share of world internet users.',
    `Demand fallbacks: population from GeoNames countryInfo when the World Bank has none, share = median latest share of the same GeoNames continent when OWID has none. Countries with a fallback: ${fallbackCountries.join(', ') || 'none'}.`,
    `Metros in countries without demand data carry demandWeight 0: ${noMetroCountries.join(', ') || 'none'}.`,
    'utcOffsetHours: standard (non-DST) offset of the IANA time zone of the nearest GeoNames city; daylight saving time is ignored.',
    'Edge locations are CloudFront PoPs (2025-05); AWS says Global Accelerator uses a subset of them, and publishes no list as data.',
    'interRegionRttMs: cloudping.co one-year p50 (captured 2025-05-29) of TCP connection times between Regions over the AWS backbone.',
  ];

  return {
    worldVersion: WORLD_VERSION,
    description:
      'Simulated world for ga-steer: client metros with RTT to every AWS Region, demand weights from internet users, Regions, backbone RTTs and edge locations. Generated by scripts/derive-world.ts from data/world (sources in data/world/SOURCES.md); do not edit by hand.',
    method,
    regions,
    interRegionRttMs,
    edgeLocations,
    countries,
    metros,
    attribution: [...WORLD_ATTRIBUTION],
  };
}
