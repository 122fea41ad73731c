// What the Lambda bundle parses on a cold start: only code that runs. Two dependencies pull in far
// more than ga-steer uses unless imported with care (see the README's Lambda section).
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

async function bundledInputs(): Promise<string[]> {
  const result = await build({
    entryPoints: ['lambda/control-cycle.ts'],
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    mainFields: ['module', 'main'],
    alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' },
    splitting: true,
    outdir: 'dist/bundle-contents-test',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  // The files that put code into some output (the metafile's inputs list every file read, dropped ones too).
  const kept = new Set<string>();
  for (const output of Object.values(result.metafile.outputs)) for (const [file, { bytesInOutput }] of Object.entries(output.inputs)) if (bytesInOutput > 0) kept.add(file);
  return [...kept];
}

describe('the Lambda bundle', () => {
  it("holds undici's request machinery, not its fetch, WebSocket, EventSource, caches or mocks", async () => {
    const inputs = await bundledInputs();
    expect(inputs.some((i) => i.includes('node_modules/undici/lib/api/api-request.js'))).toBe(true);
    expect(inputs.filter((i) => /node_modules\/undici\/(index\.js|lib\/(web\/(websocket|eventsource|cache)|mock)\/)/.test(i))).toEqual([]);
  });

  it("holds zod's English messages only", async () => {
    const inputs = await bundledInputs();
    expect(inputs.filter((i) => /node_modules\/zod\/.*locales\/(?!en\.js)/.test(i))).toEqual([]);
  });
});
