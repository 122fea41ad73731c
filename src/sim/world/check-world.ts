// Consistency checks a schema cannot express: every metro reaches every Region, ids are unique,
// demand adds up. Returns every issue found, not the first.

import type { WorldIssue } from './errors.js';
import type { World } from './world-schema.js';

/** Rounded weights in the file add up to 1 within this. */
export const DEMAND_SUM_TOLERANCE = 1e-6;

function duplicates(values: readonly string[]): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const v of values) (seen.has(v) ? dup : seen).add(v);
  return [...dup].sort();
}

export function checkWorld(world: World): WorldIssue[] {
  const issues: WorldIssue[] = [];
  const regionCodes = world.regions.map((r) => r.code);
  const regionSet = new Set(regionCodes);
  for (const d of duplicates(regionCodes)) issues.push({ path: 'regions', message: `Region ${d} is listed twice` });
  for (const d of duplicates(world.metros.map((m) => m.id))) issues.push({ path: 'metros', message: `metro id ${d} is used twice` });
  for (const d of duplicates(world.countries.map((c) => c.code))) issues.push({ path: 'countries', message: `country ${d} is listed twice` });

  const sameRegions = (keys: readonly string[], path: string): void => {
    const missing = regionCodes.filter((r) => !keys.includes(r));
    const extra = keys.filter((k) => !regionSet.has(k));
    if (missing.length > 0) issues.push({ path, message: `no RTT for ${missing.join(', ')}` });
    if (extra.length > 0) issues.push({ path, message: `RTT for Regions not in regions: ${extra.join(', ')}` });
  };
  sameRegions(Object.keys(world.interRegionRttMs), 'interRegionRttMs');
  for (const [from, row] of Object.entries(world.interRegionRttMs)) sameRegions(Object.keys(row), `interRegionRttMs.${from}`);

  const measuredIds = new Set(world.metros.filter((m) => m.rtt.basis === 'measured').map((m) => m.id));
  const countryWeight = new Map(world.countries.map((c) => [c.code, c.demandWeight]));
  const metroWeightByCountry = new Map<string, number>();
  world.metros.forEach((m, i) => {
    sameRegions(Object.keys(m.rttMs), `metros.${i}.rttMs`);
    if (m.rtt.basis === 'measured') {
      const unknown = m.rtt.estimatedRegions.filter((r) => !regionSet.has(r));
      if (unknown.length > 0) issues.push({ path: `metros.${i}.rtt.estimatedRegions`, message: `unknown Regions ${unknown.join(', ')}` });
    } else {
      const unknown = m.rtt.fromMetros.filter((id) => !measuredIds.has(id));
      if (unknown.length > 0) issues.push({ path: `metros.${i}.rtt.fromMetros`, message: `not measured metros: ${unknown.join(', ')}` });
    }
    if (m.demandWeight > 0 && !countryWeight.has(m.countryCode)) {
      issues.push({ path: `metros.${i}.countryCode`, message: `${m.countryCode} carries demand but is not in countries` });
    }
    metroWeightByCountry.set(m.countryCode, (metroWeightByCountry.get(m.countryCode) ?? 0) + m.demandWeight);
  });

  const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);
  const metroSum = sum(world.metros.map((m) => m.demandWeight));
  if (Math.abs(metroSum - 1) > DEMAND_SUM_TOLERANCE) issues.push({ path: 'metros', message: `demand weights sum to ${metroSum}, not 1` });
  const countrySum = sum(world.countries.map((c) => c.demandWeight));
  if (Math.abs(countrySum - 1) > DEMAND_SUM_TOLERANCE) issues.push({ path: 'countries', message: `demand weights sum to ${countrySum}, not 1` });
  world.countries.forEach((c, i) => {
    const metros = metroWeightByCountry.get(c.code) ?? 0;
    if (Math.abs(metros - c.demandWeight) > DEMAND_SUM_TOLERANCE) {
      issues.push({ path: `countries.${i}.demandWeight`, message: `${c.code}: its metros' weights sum to ${metros}, not ${c.demandWeight}` });
    }
  });
  return issues;
}
