// The /latest/ endpoint is documented as an object keyed by probe id ({"12345": [newest, ...]}),
// but recorded responses and other clients show a flat array. Both become one flat list.

export function flattenLatest(body: unknown): unknown[] | undefined {
  if (Array.isArray(body)) return body.filter(isObject);
  if (!isObject(body)) return undefined;
  const entries = Object.entries(body);
  const byProbe = entries.filter(([key]) => /^\d+$/.test(key));
  // A non-empty object without a single probe id is some other document, not a latest response.
  if (entries.length > 0 && byProbe.length === 0) return undefined;
  const out: unknown[] = [];
  for (const [, value] of byProbe) {
    if (Array.isArray(value)) out.push(...value.filter(isObject));
    else if (isObject(value)) out.push(value);
  }
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
