// The suite `npm run mutate` runs against each mutant of a FiveM file (stryker.bundle.config.mjs): the
// unit tests plus every test that drives the built bundle, which global-setup rebuilds from Stryker's
// instrumented sources.
// Left out: tests of the dev tools themselves, the release zip, the sandbox demo and the 1,000-player
// soak (minutes per mutant, and they test nothing the suites below do not), and the sweep fault matrix:
// it runs 50 MB bodies and backoff in warped time, which under a busy machine's load can fail by timing
// alone, and a test that fails by timing would count a mutant as killed that no rule caught.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'test/core/**/*.test.ts',
      'test/fivem/**/*.test.ts',
      'test/integration/**/*.test.ts',
      'test/faults/**/*.test.ts',
      // The ban properties (in memory over the sources, and through the bundle) and the red team's repros.
      'test/property/**/*.test.ts',
      'test/redteam/**/*.test.ts',
    ],
    exclude: ['test/faults/soak.test.ts', 'test/faults/sweep-faults.test.ts'],
    globalSetup: ['test/mutation/global-setup.ts'],
    setupFiles: ['test/mutation/worker-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
