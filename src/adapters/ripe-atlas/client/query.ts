// Building API paths with query strings. Times are UNIX seconds; lists are comma-joined.

export type QueryValue = string | number | boolean | readonly (string | number)[] | undefined;

export function withQuery(path: string, params: Readonly<Record<string, QueryValue>>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      if (value.length > 0) search.set(key, value.join(','));
    } else {
      search.set(key, String(value));
    }
  }
  const q = search.toString();
  return q.length > 0 ? `${path}?${q}` : path;
}

/** UNIX seconds from a Date or a number of seconds. */
export function unixSeconds(value: Date | number | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = value instanceof Date ? Math.floor(value.getTime() / 1000) : Math.floor(value);
  if (!Number.isFinite(seconds) || seconds < 0) throw new RangeError('a time must be a non-negative UNIX time or a valid Date');
  return seconds;
}

export function measurementPath(measurementId: number, suffix = ''): string {
  if (!Number.isSafeInteger(measurementId) || measurementId <= 0) throw new RangeError(`not a measurement id: ${measurementId}`);
  return `/api/v2/measurements/${measurementId}/${suffix}`;
}

export function probeIdList(ids: readonly number[] | undefined): readonly number[] | undefined {
  if (ids === undefined) return undefined;
  for (const id of ids) if (!Number.isSafeInteger(id) || id <= 0) throw new RangeError(`not a probe id: ${id}`);
  return ids;
}
