// A generated world as the two YAML files users write: the scenario and its documented-default policy,
// with the header comments of examples/scenarios (schema line, what the world is). Small values are
// written in flow style as in the examples; strings are quoted unless they are plain words
// (the country code NO would read as a boolean to YAML 1.1 tools).

export type FlowValue = string | number | boolean | readonly FlowValue[] | { readonly [key: string]: FlowValue | undefined };

/** One value in YAML flow style: `{ a: 1, b: [x, y] }`. */
export function flow(value: FlowValue): string {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return /^[A-Za-z][A-Za-z0-9/_.-]*$/.test(value) && !YAML11_WORDS.has(value.toLowerCase()) ? value : JSON.stringify(value);
  if (isList(value)) return `[${value.map(flow).join(', ')}]`;
  const entries = Object.entries(value).filter((e): e is [string, FlowValue] => e[1] !== undefined);
  return entries.length === 0 ? '{}' : `{ ${entries.map(([k, v]) => `${k}: ${flow(v)}`).join(', ')} }`;
}

function isList(value: FlowValue): value is readonly FlowValue[] {
  return Array.isArray(value);
}

/** Plain words YAML 1.1 reads as booleans or null. */
const YAML11_WORDS = new Set(['y', 'n', 'yes', 'no', 'on', 'off', 'true', 'false', 'null']);

/** `# ` before each line of a paragraph. */
export function commentLines(text: readonly string[]): string[] {
  return text.map((line) => (line === '' ? '#' : `# ${line}`));
}
