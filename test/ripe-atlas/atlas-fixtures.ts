// The recorded RIPE Atlas results in data/ripe-atlas, with their MANIFEST provenance and tags.

import { readFileSync } from 'node:fs';
import { ResultParseError } from '../../src/adapters/ripe-atlas/parse/errors.js';
import { parseAtlasResult } from '../../src/adapters/ripe-atlas/parse/parse-result.js';
import type { ParsedResult } from '../../src/adapters/ripe-atlas/parse/result-types.js';
import { dataPath } from '../support/repo-data.js';

export type FixtureFile = 'ping.jsonl' | 'dns.jsonl' | 'traceroute.jsonl' | 'http.jsonl';

export interface Fixture {
  readonly file: FixtureFile;
  readonly line: number;
  readonly json: unknown;
  readonly msmId: number;
  readonly probeId: number;
  readonly timestamp: number;
  readonly features: readonly string[];
}

interface ManifestLine {
  readonly file: FixtureFile;
  readonly line: number;
  readonly msm_id: number;
  readonly prb_id: number;
  readonly timestamp: number;
  readonly features: readonly string[];
}

function lines(path: string): string[] {
  return readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() !== '');
}

let cache: Fixture[] | undefined;

export function atlasFixtures(): Fixture[] {
  if (cache) return cache;
  const files = new Map<FixtureFile, string[]>();
  for (const f of ['ping.jsonl', 'dns.jsonl', 'traceroute.jsonl', 'http.jsonl'] as const) {
    files.set(f, lines(dataPath('ripe-atlas', f)));
  }
  cache = lines(dataPath('ripe-atlas', 'MANIFEST.jsonl')).map((l) => {
    const m = JSON.parse(l) as ManifestLine;
    const text = files.get(m.file)?.[m.line - 1];
    if (text === undefined) throw new Error(`MANIFEST points at a missing line: ${m.file}:${m.line}`);
    return { file: m.file, line: m.line, json: JSON.parse(text) as unknown, msmId: m.msm_id, probeId: m.prb_id, timestamp: m.timestamp, features: m.features };
  });
  return cache;
}

export function fixturesOf(file: FixtureFile): unknown[] {
  return atlasFixtures().filter((f) => f.file === file).map((f) => f.json);
}

export function withFeature(file: FixtureFile, feature: string): Fixture[] {
  return atlasFixtures().filter((f) => f.file === file && f.features.includes(feature));
}

export function fixtureOf(file: FixtureFile, msmId: number, probeId: number, timestamp?: number): unknown {
  const f = atlasFixtures().find((x) => x.file === file && x.msmId === msmId && x.probeId === probeId && (timestamp === undefined || x.timestamp === timestamp));
  if (!f) throw new Error(`no fixture ${file} msm ${msmId} probe ${probeId}`);
  return f.json;
}

/** Every recorded result of one fixture file, parsed; a result that does not parse fails the test. */
export function parsedOf(file: FixtureFile): ParsedResult[] {
  return atlasFixtures()
    .filter((f) => f.file === file)
    .map((f) => {
      const r = parseAtlasResult(f.json);
      if (r instanceof ResultParseError) throw r;
      return r;
    });
}
