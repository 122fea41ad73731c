// Standard (non-DST) UTC offset of an IANA time zone, from the runtime's time-zone data.

// Mid-January and mid-July: one of them is standard time in either hemisphere.
const PROBE_DATES = [Date.UTC(2025, 0, 15, 12), Date.UTC(2025, 6, 15, 12)];

const cache = new Map<string, number>();

function offsetHoursAt(timeZone: string, epochMs: number): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }).formatToParts(epochMs);
  const name = parts.find((p) => p.type === 'timeZoneName')?.value ?? '';
  if (name === 'GMT') return 0;
  const m = /^GMT([+-])(\d{2}):(\d{2})$/.exec(name);
  if (m === null) throw new Error(`time zone ${timeZone}: unexpected offset "${name}"`);
  const sign = m[1] === '-' ? -1 : 1;
  return sign * (Number(m[2]) + Number(m[3]) / 60);
}

/** The smaller of the January and July offsets: DST only ever adds. */
export function standardUtcOffsetHours(timeZone: string): number {
  const known = cache.get(timeZone);
  if (known !== undefined) return known;
  const offset = Math.min(...PROBE_DATES.map((t) => offsetHoursAt(timeZone, t)));
  cache.set(timeZone, offset);
  return offset;
}
