// Bundles the Lambda handler into dist/lambda (how: scripts/lambda-bundle-options.ts), which
// serverless.yml packages together with the policies. The source map stays in dist/ for reading stack
// traces locally and is not packaged.

import { rmSync } from 'node:fs';
import { build } from 'esbuild';
import { LAMBDA_BUNDLE_OPTIONS } from './lambda-bundle-options.js';

// `--outdir DIR` builds elsewhere (tests that run beside the one building dist/lambda).
const args = process.argv.slice(2);
const outdir = args[args.indexOf('--outdir') + 1] !== undefined && args.includes('--outdir') ? (args[args.indexOf('--outdir') + 1] as string) : 'dist/lambda';

// Chunk names carry a hash: clear the last build's, so none is packaged stale.
rmSync(outdir, { recursive: true, force: true });

const result = await build({
  ...LAMBDA_BUNDLE_OPTIONS,
  outdir,
  sourcemap: 'linked',
  metafile: true,
  logLevel: 'warning',
});
const bytes = Object.entries(result.metafile.outputs).reduce((n, [file, o]) => (file.endsWith('.map') ? n : n + o.bytes), 0);
console.log(`${outdir}: ${(bytes / 1024 / 1024).toFixed(1)} MiB of code (source maps not counted)`);
