// How the Lambda handler is bundled (scripts/build-lambda.ts builds it; the bundle-contents test reads
// what these options put in it): ESM, minified, its dependencies pinned. What only some deployments use
// (the S3 and SSM clients) is split into chunks loaded on first use, so the cold start parses less.

import type { BuildOptions } from 'esbuild';

export const LAMBDA_BUNDLE_OPTIONS = {
  entryPoints: ['lambda/control-cycle.ts'],
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
  // Some bundled CommonJS dependencies call require(); give the ESM bundle one.
  banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
  // jsonc-parser's main entry is a UMD wrapper whose require() calls a bundler cannot follow; its ESM
  // build bundles cleanly.
  alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' },
} as const satisfies BuildOptions;
