// The emulated CloudWatch's datapoints, per Region and metric (namespace, name, exact dimension set).

export interface Dimension {
  readonly name: string;
  readonly value: string;
}

/** One published datapoint or statistic set. `values` holds raw values, when known, for percentiles. */
export interface Datum {
  readonly atMs: number;
  readonly sampleCount: number;
  readonly sum: number;
  readonly minimum: number;
  readonly maximum: number;
  readonly values: readonly number[] | undefined;
  readonly unit: string | undefined;
}

export interface MetricSeries {
  readonly region: string;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: readonly Dimension[];
  /** Sorted by time. */
  readonly points: Datum[];
}

export interface MetricId {
  readonly region: string;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: readonly Dimension[];
}

/** Points older than CloudWatch's longest retention we emulate are dropped. */
const RETENTION_MS = 15 * 24 * 3600 * 1000;

export class MetricStore {
  private readonly series = new Map<string, MetricSeries>();

  constructor(readonly now: () => number = Date.now) {}

  put(id: MetricId, datum: Datum): void {
    const dimensions = sortDimensions(id.dimensions);
    const k = key({ ...id, dimensions });
    let s = this.series.get(k);
    if (s === undefined) {
      s = { region: id.region, namespace: id.namespace, metricName: id.metricName, dimensions, points: [] };
      this.series.set(k, s);
    }
    const points = s.points;
    // Most puts are in time order: append; otherwise insert in place.
    let i = points.length;
    while (i > 0 && (points[i - 1]?.atMs ?? 0) > datum.atMs) i -= 1;
    points.splice(i, 0, datum);
    const horizon = this.now() - RETENTION_MS;
    let drop = 0;
    while (drop < points.length && (points[drop]?.atMs ?? 0) < horizon) drop += 1;
    if (drop > 0) points.splice(0, drop);
  }

  /** Convenience for seeding: one plain value. */
  putValue(id: MetricId, atMs: number, value: number, unit?: string): void {
    this.put(id, { atMs, sampleCount: 1, sum: value, minimum: value, maximum: value, values: [value], unit });
  }

  get(id: MetricId): MetricSeries | undefined {
    return this.series.get(key({ ...id, dimensions: sortDimensions(id.dimensions) }));
  }

  all(region: string): MetricSeries[] {
    return [...this.series.values()].filter((s) => s.region === region);
  }
}

function sortDimensions(dimensions: readonly Dimension[]): Dimension[] {
  return [...dimensions].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function key(id: MetricId): string {
  return JSON.stringify([id.region, id.namespace, id.metricName, id.dimensions.map((d) => [d.name, d.value])]);
}
