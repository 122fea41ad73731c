// Real client-to-Region RTTs (WonderNetwork pings, data/world) written as a feed in both encodings:
// every row must come back, identical from either encoding.

import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { parseFeed } from '../../src/adapters/synthetic/parse-feed.js';
import { dataPath } from '../support/repo-data.js';

interface Row {
  client_title: string;
  client_country_code: string;
  region: string;
  rtt_avg_ms: string;
}

const rows = parse(readFileSync(dataPath('world', 'latency', 'derived_wondernetwork_client_to_aws_region_rtt.csv'), 'utf8'), { columns: true }) as Row[];
/** Quoted only when needed, as spreadsheet exports do. */
const csvCell = (v: string): string => (/[",]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
const T0 = Date.parse('2025-06-01T11:00:00Z') / 1000;

describe('a feed built from measured client-to-Region RTTs', () => {
  it('reads every row, the same from JSON Lines and from CSV', async () => {
    // One line per (client, Region), one second apart so none is a duplicate of another. Some pairs
    // were never measured (empty RTT): those are "no reply" lines, null in JSON.
    const jsonl = rows
      .map((r, i) => JSON.stringify({ timestamp: T0 + i, vantage: r.client_title, clientGroup: r.client_country_code, region: r.region, rttMs: r.rtt_avg_ms === '' ? null : Number(r.rtt_avg_ms) }))
      .join('\n');
    const csv = ['timestamp,vantage,client_group,region,rtt_ms', ...rows.map((r, i) => `${new Date((T0 + i) * 1000).toISOString()},${csvCell(r.client_title)},${r.client_country_code},${r.region},${r.rtt_avg_ms}`)].join('\n');

    const fromJsonl = await parseFeed(jsonl, { feedName: 'wn.jsonl', format: 'jsonl' });
    const fromCsv = await parseFeed(csv, { feedName: 'wn.csv', format: 'csv' });
    expect(rows.length).toBeGreaterThan(7000);
    expect(fromJsonl.problems).toEqual([]);
    expect(fromCsv.problems).toEqual([]);
    expect(fromJsonl.samples).toHaveLength(rows.length);
    expect(fromCsv.samples).toEqual(fromJsonl.samples);
    expect(new Set(fromCsv.samples.map((s) => s.region)).size).toBeGreaterThanOrEqual(20);
    const unmeasured = rows.filter((r) => r.rtt_avg_ms === '').length;
    expect(unmeasured).toBeGreaterThan(0);
    expect(fromCsv.samples.filter((s) => s.rttMs === null && s.received === 0)).toHaveLength(unmeasured);
  });

  it('keeps the same row once when the feed repeats itself', async () => {
    const line = (r: Row): string => JSON.stringify({ timestamp: T0, vantage: r.client_title, region: r.region, rttMs: r.rtt_avg_ms === '' ? null : Number(r.rtt_avg_ms) });
    const once = await parseFeed(rows.map(line).join('\n'), { feedName: 'f', format: 'jsonl' });
    const twice = await parseFeed([...rows, ...rows].map(line).join('\n'), { feedName: 'f', format: 'jsonl' });
    expect(twice.samples).toEqual(once.samples);
    expect(twice.counts.duplicates).toBe(once.counts.duplicates + rows.length);
  });
});
