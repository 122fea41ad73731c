// Recorded RIPE Atlas results restamped as if measured just now, for the local Atlas server's
// `resultSource`: live code asks for the last hour, and the recordings are years old. Only the
// timestamps change (the result's and its DNS exchanges'); everything else is as recorded.

import { loadRecordedResults, type ResultQuery } from './atlas-api-server.js';

/** Each measurement's results, newest `ageSeconds` before `nowSeconds()`, one second apart. */
export function freshResultSource(nowSeconds: () => number, ageSeconds = 60): (query: ResultQuery) => string[] {
  const recorded = loadRecordedResults();
  return (query) => {
    const now = nowSeconds();
    return recorded
      .filter((r) => r.msmId === query.msmId)
      .map((r, i) => restamp(r.line, now - ageSeconds - i))
      .filter((line) => {
        const t = (JSON.parse(line) as { timestamp: number }).timestamp;
        return (query.start === undefined || t >= query.start) && (query.stop === undefined || t <= query.stop);
      });
  };
}

export function restamp(line: string, timestamp: number): string {
  const o = JSON.parse(line) as Record<string, unknown>;
  o['timestamp'] = timestamp;
  if (Array.isArray(o['resultset'])) {
    for (const r of o['resultset'] as unknown[]) if (typeof r === 'object' && r !== null && 'time' in r) (r as Record<string, unknown>)['time'] = timestamp;
  }
  return JSON.stringify(o);
}
