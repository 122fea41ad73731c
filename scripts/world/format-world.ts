// Writes the world as JSON with one array element or record entry per line: compact, yet diffs stay readable.

import type { World } from '../../src/sim/world/world-schema.js';

function formatValue(value: unknown): string {
  if (Array.isArray(value)) {
    return value.length === 0 ? '[]' : `[\n${value.map((v) => `    ${JSON.stringify(v)}`).join(',\n')}\n  ]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    return entries.length === 0 ? '{}' : `{\n${entries.map(([k, v]) => `    ${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(',\n')}\n  }`;
  }
  return JSON.stringify(value);
}

export function formatWorldJson(world: World): string {
  const lines = Object.entries(world).map(([k, v]) => `  ${JSON.stringify(k)}: ${formatValue(v)}`);
  return `{\n${lines.join(',\n')}\n}\n`;
}
