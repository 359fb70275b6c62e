// @ts-check
// Mutation testing of the FiveM layer's rules (connect gating, effective permissions, change detection):
// only the built bundle reaches them, so dist/server.js is rebuilt from Stryker's instrumented sources
// (test/mutation/global-setup.ts) and the emulator, fake CAD and integration suites run each mutant.
import { base, reportsOf } from './stryker.base.mjs';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  ...base,
  ...reportsOf('bundle'),
  // related: false, or vitest runs only tests importing a mutated file, never the bundle's tests.
  vitest: { configFile: 'vitest.mutation.bundle.config.mts', related: false },
  mutate: ['src/fivem/connect.ts', 'src/fivem/effective.ts'],
};
