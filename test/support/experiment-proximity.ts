// Proximity of a RIPE Atlas probe to the four Regions of the GA dial experiment, derived from public
// world data: the probe enters GA at its nearest edge (CloudFront PoP list), and the edge reaches the
// Regions over the AWS backbone, ranked by the measured inter-Region RTT (cloudping p50) from the Region
// nearest that edge. This is the derivation the README documents for the routing model check.

import { readFileSync } from 'node:fs';
import { greatCircleKm } from '../../src/model/geo-distance.js';
import { REGION_COORDINATES } from '../../src/model/region-coordinates.js';
import { dataPath } from './repo-data.js';

export const EXPERIMENT_REGIONS = ['us-east-1', 'us-west-2', 'eu-central-1', 'ap-southeast-1'] as const;

export interface ExperimentProbe {
  readonly longitude: number;
  readonly latitude: number;
  readonly region: string;
  readonly rttMs: number;
}

export function readExperimentCsv(file: string): ExperimentProbe[] {
  const [header, ...lines] = readFileSync(dataPath('ga-dial-experiment', file), 'utf8').trim().split('\n');
  if (header !== 'lon,lat,region,rtt_ms') throw new Error(`unexpected header in ${file}: ${header}`);
  return lines.map((line) => {
    const [lon, lat, region, rtt] = line.split(',');
    return { longitude: Number(lon), latitude: Number(lat), region: region ?? '', rttMs: Number(rtt) };
  });
}

interface Edge {
  readonly latitude: number;
  readonly longitude: number;
}

function readEdges(): Edge[] {
  const [, ...lines] = readFileSync(dataPath('world', 'regions', 'aws_cloudfront_edge_locations_2025-05.csv'), 'utf8').trim().split('\n');
  return lines.map((line) => {
    // code,city,country,country_code,latitude,longitude,pricing_region (pricing_region may be quoted with commas)
    const cells = line.split(',');
    return { latitude: Number(cells[4]), longitude: Number(cells[5]) };
  });
}

function readBackbone(): Record<string, Record<string, number>> {
  const json = JSON.parse(readFileSync(dataPath('world', 'latency', 'cloudping_aws_interregion_p50_1y_captured_2025-05-29.json'), 'utf8')) as {
    data: Record<string, Record<string, number>>;
  };
  return json.data;
}

export function makeExperimentProximity(): (probe: ExperimentProbe) => string[] {
  const edges = readEdges();
  const backbone = readBackbone();
  const allRegions = Object.keys(REGION_COORDINATES).filter((r) => r in backbone);
  return (probe) => {
    const edge = nearest(edges, probe.latitude, probe.longitude);
    const hub = nearest(
      allRegions.map((r) => ({ r, ...coords(r) })),
      edge.latitude,
      edge.longitude,
    ).r;
    const rtt = (r: string): number => (r === hub ? 0 : (backbone[hub]?.[r] ?? Number.POSITIVE_INFINITY));
    return [...EXPERIMENT_REGIONS].sort((a, b) => rtt(a) - rtt(b));
  };
}

function coords(r: string): Edge {
  const c = REGION_COORDINATES[r];
  if (c === undefined) throw new Error(`no coordinates for ${r}`);
  return c;
}

function nearest<T extends Edge>(items: readonly T[], lat: number, lon: number): T {
  let best = items[0];
  let bestKm = Number.POSITIVE_INFINITY;
  for (const item of items) {
    const km = greatCircleKm(lat, lon, item.latitude, item.longitude);
    if (km < bestKm) {
      best = item;
      bestKm = km;
    }
  }
  if (best === undefined) throw new Error('empty list');
  return best;
}
