// @ts-check
// Mutation testing of the core rules (ban, merge, permissions, secrets, sweep) against the core's own
// unit and property tests: no bundle, a few seconds per mutant. A rule of src/core only the bundle's
// tests catch is a rule the core's tests leave open; it gets a core test.
import { base, reportsOf } from './stryker.base.mjs';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  ...base,
  ...reportsOf('core'),
  // related: false, or vitest runs only test files importing a mutated file directly.
  vitest: { configFile: 'vitest.mutation.core.config.mts', related: false },
  mutate: [
    'src/core/account-index.ts',
    'src/core/merge.ts',
    'src/core/permissions.ts',
    'src/core/secrets.ts',
    'src/core/standing.ts',
    'src/core/sweep.ts',
    'src/core/sweep-accounts.ts',
    'src/core/sweep-patch.ts',
  ],
};
