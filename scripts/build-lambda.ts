// Bundles the Lambda handler into dist/lambda (ESM, minified, its dependencies pinned), which
// serverless.yml packages together with the policies. What only some deployments use (the S3 and SSM
// clients) is split into chunks loaded on first use, so the cold start parses less. The source map stays
// in dist/ for reading stack traces locally and is not packaged.

import { rmSync } from 'node:fs';
import { build } from 'esbuild';

// `--outdir DIR` builds elsewhere (tests that run beside the one building dist/lambda).
const args = process.argv.slice(2);
const outdir = args[args.indexOf('--outdir') + 1] !== undefined && args.includes('--outdir') ? (args[args.indexOf('--outdir') + 1] as string) : 'dist/lambda';

// Chunk names carry a hash: clear the last build's, so none is packaged stale.
rmSync(outdir, { recursive: true, force: true });

const result = await build({
  entryPoints: ['lambda/control-cycle.ts'],
  outdir,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'esm',
  // The AWS SDK's ES module builds: named exports survive the split into chunks, and tree-shaking works.
  mainFields: ['module', 'main'],
  minify: true,
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  sourcemap: 'linked',
  metafile: true,
  // Some bundled CommonJS dependencies call require(); give the ESM bundle one.
  banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
  // jsonc-parser's main entry is a UMD wrapper whose require() calls a bundler cannot follow; its ESM
  // build bundles cleanly.
  alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' },
  logLevel: 'warning',
});
const bytes = Object.entries(result.metafile.outputs).reduce((n, [file, o]) => (file.endsWith('.map') ? n : n + o.bytes), 0);
console.log(`${outdir}: ${(bytes / 1024 / 1024).toFixed(1)} MiB of code (source maps not counted)`);
