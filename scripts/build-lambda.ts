// Bundles the Lambda handler into dist/lambda (one ESM file with its dependencies pinned), which
// serverless.yml packages together with the policies.

import { build } from 'esbuild';

const result = await build({
  entryPoints: ['lambda/control-cycle.ts'],
  outdir: 'dist/lambda',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'esm',
  sourcemap: true,
  metafile: true,
  // Some bundled CommonJS dependencies call require(); give the ESM bundle one.
  banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
  // jsonc-parser's main entry is a UMD wrapper whose require() calls a bundler cannot follow; its ESM
  // build bundles cleanly.
  alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' },
  logLevel: 'warning',
});
const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
console.log(`dist/lambda: ${(bytes / 1024 / 1024).toFixed(1)} MiB`);
