// Services answer with protocol-neutral values: Date for timestamps, Map for maps. The JSON protocols
// send timestamps as epoch seconds (fractions allowed) and maps as objects.

export function toJsonWire(value: unknown): unknown {
  if (value instanceof Date) return value.getTime() / 1000;
  if (value instanceof Map) return Object.fromEntries([...value.entries()].map(([k, v]) => [String(k), toJsonWire(v)]));
  if (Array.isArray(value)) return value.map(toJsonWire);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJsonWire(v)]));
  return value;
}
