// What the Lambda bundle parses on a cold start: only code that runs. Two dependencies pull in far
// more than ga-steer uses unless imported with care (see the README's Lambda section).
import { build } from 'esbuild';
import { LAMBDA_BUNDLE_OPTIONS } from '../../scripts/lambda-bundle-options.js';
import { beforeAll, describe, expect, it } from 'vitest';

async function bundledInputs(): Promise<string[]> {
  const result = await build({ ...LAMBDA_BUNDLE_OPTIONS, outdir: 'dist/bundle-contents-test', write: false, metafile: true, logLevel: 'silent' });
  // The files that put code into some output (the metafile's inputs list every file read, dropped ones too).
  const kept = new Set<string>();
  for (const output of Object.values(result.metafile.outputs)) for (const [file, { bytesInOutput }] of Object.entries(output.inputs)) if (bytesInOutput > 0) kept.add(file);
  return [...kept];
}

describe('the Lambda bundle', () => {
  let inputs: string[] = [];
  beforeAll(async () => {
    inputs = await bundledInputs();
  });

  it("holds undici's request machinery, not its fetch, WebSocket, EventSource, caches or mocks", () => {
    expect(inputs.some((i) => i.includes('node_modules/undici/lib/api/api-request.js'))).toBe(true);
    expect(inputs.filter((i) => /node_modules\/undici\/(index\.js|lib\/(web\/(websocket|eventsource|cache)|mock)\/)/.test(i))).toEqual([]);
  });

  it("holds zod's English messages only", () => {
    expect(inputs.filter((i) => /node_modules\/zod\/.*locales\/(?!en\.js)/.test(i))).toEqual([]);
  });
});
