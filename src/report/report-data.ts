// What the HTML report shows: one closed-loop run, over simulated minutes.

export interface ReportSeries {
  readonly title: string;
  readonly subtitle: string;
  /** X axis: simulated minutes since the start of the run. */
  readonly minutes: readonly number[];
  readonly regions: readonly string[];
  readonly dialPercent: Readonly<Record<string, readonly number[]>>;
  readonly utilizationPercent: Readonly<Record<string, readonly number[]>>;
  readonly targetPercent: Readonly<Record<string, number>>;
  /** Demand-weighted mean RTT of the controlled run, and of comparison runs on the same world. */
  readonly latency: readonly { readonly name: string; readonly valuesMs: readonly (number | null)[] }[];
  /** The linear-programming lower bound on mean latency under capacity, per minute. */
  readonly lpBoundMs?: readonly (number | null)[];
  readonly events: readonly { readonly minute: number; readonly text: string }[];
  readonly table: { readonly columns: readonly string[]; readonly rows: readonly (readonly (string | number)[])[] };
}
