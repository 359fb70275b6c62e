// The suite `npm run mutate` runs against each mutant of a core file (stryker.core.config.mjs): the
// core's unit tests and the property tests over the in-memory host. The bundle's tests are not here:
// they would run a plain bundle (this run does not rebuild it) and take a minute per surviving mutant.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/core/**/*.test.ts', 'test/property/**/*.test.ts'],
    exclude: ['test/property/bans.emulator.property.test.ts'],
    setupFiles: ['test/mutation/worker-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
