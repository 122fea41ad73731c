// Internet users per country: World Bank population x OWID/ITU share of individuals using the internet,
// each at its latest year. Fallbacks (documented in the world's `method`) keep countries the sources miss.

import type { DemandBasis, WorldCountry } from '../../src/sim/world/world-schema.js';
import type { City, CountryInfo, InternetShareRow, PopulationRow } from './read-sources.js';

interface YearValue {
  readonly year: number;
  readonly value: number;
}

function latestByCode(rows: readonly { code: string; year: number; value: number | undefined }[]): Map<string, YearValue> {
  const latest = new Map<string, YearValue>();
  for (const r of rows) {
    if (r.value === undefined || !Number.isFinite(r.value)) continue;
    const seen = latest.get(r.code);
    if (seen === undefined || r.year > seen.year) latest.set(r.code, { year: r.year, value: r.value });
  }
  return latest;
}

function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid] : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

const BASIS: Record<'yes-yes' | 'no-yes' | 'yes-no' | 'no-no', DemandBasis> = {
  'yes-yes': 'worldbank+owid',
  'no-yes': 'fallback-population',
  'yes-no': 'fallback-share',
  'no-no': 'fallback-both',
};

/**
 * Countries that can carry demand: those with at least one GeoNames city (so a metro can be placed;
 * this also drops dissolved entries such as CS Serbia and Montenegro, whose cities now belong to RS/ME).
 * Population falls back to GeoNames' figure and the internet share to the median latest share of the
 * same GeoNames continent when the World Bank or OWID lacks the country (Taiwan, Kosovo, territories).
 */
export function deriveCountryDemand(
  countryInfo: readonly CountryInfo[],
  population: readonly PopulationRow[],
  internetShare: readonly InternetShareRow[],
  cities: readonly City[],
): WorldCountry[] {
  const pop = latestByCode(population.map((r) => ({ code: r['Country Code'], year: r.Year, value: r.Value })));
  const share = latestByCode(
    internetShare.map((r) => ({ code: r.Code, year: r.Year, value: r['Individuals using the Internet (% of population)'] })),
  );
  const withCities = new Set(cities.map((c) => c.country_code));
  const candidates = countryInfo.filter((c) => withCities.has(c['#ISO']) && (pop.has(c.ISO3) || c.Population > 0));

  const sharesByContinent = new Map<string, number[]>();
  for (const c of candidates) {
    const s = share.get(c.ISO3);
    if (s === undefined) continue;
    const list = sharesByContinent.get(c.Continent) ?? [];
    list.push(s.value);
    sharesByContinent.set(c.Continent, list);
  }

  const rows = candidates.map((c) => {
    const p = pop.get(c.ISO3);
    const s = share.get(c.ISO3);
    const population = Math.round(p?.value ?? c.Population);
    const percent = s?.value ?? median(sharesByContinent.get(c.Continent) ?? []) ?? 0;
    const key = `${p !== undefined ? 'yes' : 'no'}-${s !== undefined ? 'yes' : 'no'}` as const;
    return {
      code: c['#ISO'],
      name: c.Country.trim(),
      population,
      ...(p !== undefined ? { populationYear: p.year } : {}),
      internetUsersPercent: round(percent, 2),
      ...(s !== undefined ? { internetUsersYear: s.year } : {}),
      internetUsers: Math.round((population * percent) / 100),
      basis: BASIS[key],
    };
  });
  const total = rows.reduce((sum, r) => sum + r.internetUsers, 0);
  return rows
    .filter((r) => r.internetUsers > 0)
    .map((r) => ({ ...r, demandWeight: round(r.internetUsers / total, 8) }))
    .sort((a, b) => compareText(a.code, b.code));
}

export function round(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}

/** Code-point order: unlike localeCompare it does not depend on the runtime's ICU collation. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
