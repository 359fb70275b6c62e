// Bundles the resource (src/server.ts -> dist/server.js) the way FXServer loads it, plus the
// Node-only dev tools (sandbox, benchmark) into .build/. `--watch` rebuilds on change.
import { existsSync } from 'node:fs';
import { context, build } from 'esbuild';

const watch = process.argv.includes('--watch');
/** `npm run mutate` only (test/mutation/global-setup.ts): the bundle is rebuilt from Stryker's instrumented sources. */
const mutation = process.argv.includes('--mutation');

/**
 * The resource: evaluated by FXServer in global scope, on Node 16 (default) or 22. An IIFE keeps every
 * bundled function a local instead of a property of the resource's global object: nothing leaks into
 * the global scope, and calls between them do not go through slow global lookups (the benchmark saw
 * getPermissions at 17 us through globals, 0.9 us as locals).
 */
const resource = {
  entryPoints: ['src/server.ts'],
  outfile: 'dist/server.js',
  bundle: true,
  platform: 'node',
  format: 'iife',
  target: 'node16',
  // jsonc-parser's `main` is a UMD build that requires its parts at run time; its ES build bundles.
  mainFields: ['module', 'main'],
  keepNames: true,
  legalComments: 'none',
  logLevel: 'warning',
};

/**
 * The emulator runs the bundle in a realm of its own (a vm context), while Stryker's mutant switch and
 * coverage counters live on the test worker's global. test/mutation/worker-setup.ts puts that global on
 * `process`, the one host object both realms share, and this banner points the bundle's `__stryker__`
 * at it. Never in a shipped build.
 */
const MUTATION_BANNER = `var __strykerHost = typeof process === 'object' && process !== null && process.__strykerWorkerGlobal;
if (__strykerHost) globalThis.__stryker__ = __strykerHost.__stryker__ || (__strykerHost.__stryker__ = {});`;
if (mutation) resource.banner = { js: MUTATION_BANNER };

/** Dev tools run by plain Node 20+ from npm scripts; never shipped. */
const tools = {
  entryPoints: { sandbox: 'dev/sandbox/main.ts', bench: 'bench/run.ts', fxnode: 'dev/fxnode/main.ts', 'test-setup': 'dev/test-setup-main.ts' },
  outdir: '.build',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: 'inline',
  logLevel: 'warning',
};

/** Keeps only the entry points that exist yet, so a partial checkout still builds the resource. */
const existing = (opts) => {
  const entries = Object.entries(opts.entryPoints).filter(([, file]) => existsSync(file));
  return { ...opts, entryPoints: Object.fromEntries(entries) };
};

if (watch) {
  const ctx = await context(resource);
  await ctx.watch();
  console.log('[build] watching src/ -> dist/server.js');
} else if (mutation) {
  await build(resource);
} else {
  await build(resource);
  const devTools = existing(tools);
  if (Object.keys(devTools.entryPoints).length > 0) await build(devTools);
}
