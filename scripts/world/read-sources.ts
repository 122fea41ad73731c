// Reads the world data files (data/world/) into typed rows. Every row is checked, so a changed column fails here.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import * as z from 'zod';

const num = z.string().trim().min(1).transform(Number).pipe(z.number());
const optionalNum = z.string().trim().transform((s) => (s === '' ? undefined : Number(s))).pipe(z.number().optional());
const int = num.pipe(z.int());

export class SourceDataError extends Error {
  override readonly name = 'SourceDataError';
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
  }
}

/** The file's text; an unreadable file is a SourceDataError naming it. */
function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new SourceDataError(file, `cannot read the file${code === undefined ? '' : ` (${code})`}`);
  }
}

function readCsv<S extends z.ZodType>(file: string, row: S, delimiter = ','): z.infer<S>[] {
  const records: unknown[] = parse(readText(file), { columns: true, skip_empty_lines: true, delimiter, bom: true });
  return records.map((record, i) => {
    const parsed = row.safeParse(record);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new SourceDataError(file, `row ${i + 2}: ${issue?.path.join('.') ?? ''} ${issue?.message ?? 'invalid'}`);
    }
    return parsed.data;
  });
}

const wnServerRow = z.object({
  id: int,
  title: z.string(),
  country_code: z.string(),
  latitude: num,
  longitude: num,
});

const clientRegionRttRow = z.object({
  client_wn_id: int,
  region: z.string(),
  proxy_wn_id: int,
  proxy_distance_km: num,
  rtt_avg_ms: optionalNum,
  direction: z.enum(['client_to_proxy', 'proxy_to_client', 'same_server', 'missing']),
});

const regionProxyRow = z.object({
  region: z.string(),
  rank: int,
  wn_server_id: int,
  wn_title: z.string(),
  distance_km: num,
});

const awsRegionRow = z.object({
  region: z.string(),
  description: z.string(),
  city: z.string(),
  country_code: z.string(),
  latitude: num,
  longitude: num,
  timezone: z.string(),
});

const edgeRow = z.object({
  code: z.string(),
  city: z.string(),
  country_code: z.string(),
  latitude: num,
  longitude: num,
});

const cityRow = z.object({
  geonameid: int,
  asciiname: z.string(),
  latitude: num,
  longitude: num,
  country_code: z.string(),
  population: int,
  timezone: z.string(),
});

const countryInfoRow = z.object({
  '#ISO': z.string(),
  ISO3: z.string(),
  Country: z.string(),
  Population: int,
  Continent: z.string(),
});

const populationRow = z.object({ 'Country Code': z.string(), Year: int, Value: optionalNum });

const internetShareRow = z.object({
  Code: z.string(),
  Year: int,
  'Individuals using the Internet (% of population)': num,
});

const interRegionFile = z.object({
  metadata: z.object({ percentile: z.literal('p_50'), unit: z.literal('milliseconds') }),
  data: z.record(z.string(), z.record(z.string(), z.number())),
});

export type WnServer = z.infer<typeof wnServerRow>;
export type ClientRegionRtt = z.infer<typeof clientRegionRttRow>;
export type RegionProxy = z.infer<typeof regionProxyRow>;
export type AwsRegionRow = z.infer<typeof awsRegionRow>;
export type EdgeRow = z.infer<typeof edgeRow>;
export type City = z.infer<typeof cityRow>;
export type CountryInfo = z.infer<typeof countryInfoRow>;
export type PopulationRow = z.infer<typeof populationRow>;
export type InternetShareRow = z.infer<typeof internetShareRow>;

export interface WorldSources {
  readonly wnServers: WnServer[];
  readonly clientRegionRtts: ClientRegionRtt[];
  readonly regionProxies: RegionProxy[];
  readonly awsRegions: AwsRegionRow[];
  readonly interRegionRttMs: Record<string, Record<string, number>>;
  readonly edges: EdgeRow[];
  readonly cities: City[];
  readonly countryInfo: CountryInfo[];
  readonly population: PopulationRow[];
  readonly internetShare: InternetShareRow[];
}

/** File names under `data/world/`, relative; also the keys the attribution refers to. */
export const WORLD_SOURCE_FILES = {
  wnServers: 'latency/wondernetwork_servers_2020-07-19.csv',
  clientRegionRtts: 'latency/derived_wondernetwork_client_to_aws_region_rtt.csv',
  regionProxies: 'latency/derived_aws_region_nearest_wondernetwork_servers.csv',
  interRegion: 'latency/cloudping_aws_interregion_p50_1y_captured_2025-05-29.json',
  awsRegions: 'regions/aws_regions.csv',
  edges: 'regions/aws_cloudfront_edge_locations_2025-05.csv',
  cities: 'demand/geonames_cities15000_slim.csv',
  countryInfo: 'demand/geonames_countryInfo.tsv',
  population: 'demand/worldbank_population_SP.POP.TOTL.csv',
  internetShare: 'demand/owid_share_of_individuals_using_the_internet.csv',
} as const;

/** Reads every input from `<dataDir>/world/` (the repository's `data/` folder by default). */
export function readWorldSources(dataDir: string): WorldSources {
  const at = (rel: string): string => join(dataDir, 'world', rel);
  const f = WORLD_SOURCE_FILES;
  const interRegionPath = at(f.interRegion);
  const interRegion = interRegionFile.safeParse(JSON.parse(readText(interRegionPath)));
  if (!interRegion.success) throw new SourceDataError(interRegionPath, interRegion.error.message);
  return {
    wnServers: readCsv(at(f.wnServers), wnServerRow),
    clientRegionRtts: readCsv(at(f.clientRegionRtts), clientRegionRttRow),
    regionProxies: readCsv(at(f.regionProxies), regionProxyRow),
    awsRegions: readCsv(at(f.awsRegions), awsRegionRow),
    interRegionRttMs: interRegion.data.data,
    edges: readCsv(at(f.edges), edgeRow),
    cities: readCsv(at(f.cities), cityRow),
    countryInfo: readCsv(at(f.countryInfo), countryInfoRow, '\t'),
    population: readCsv(at(f.population), populationRow),
    internetShare: readCsv(at(f.internetShare), internetShareRow),
  };
}
