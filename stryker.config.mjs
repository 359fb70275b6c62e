// @ts-check
// `npm run mutate`: mutation testing of the ban, permission and secret rules (docs/mutation-testing.md).
// One file: `npm run mutate -- --mutate src/core/permissions.ts`.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  // related: false, or vitest runs only tests importing a mutated file, never the bundle's tests.
  vitest: { configFile: 'vitest.mutation.config.mts', related: false },
  mutate: [
    'src/core/account-index.ts',
    'src/core/merge.ts',
    'src/core/permissions.ts',
    'src/core/secrets.ts',
    'src/core/standing.ts',
    'src/core/sweep.ts',
    'src/fivem/connect.ts',
    'src/fivem/effective.ts',
  ],
  coverageAnalysis: 'perTest',
  // The machine is shared: one test process at a time.
  concurrency: 1,
  // Added to each test's own time before a mutant counts as an endless loop (a timeout counts as detected).
  timeoutMS: 10_000,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  clearTextReporter: { allowEmojis: false, logTests: false },
  tempDirName: '.stryker-tmp',
  ignorePatterns: ['dist', '.build', 'coverage', 'cache', 'reports', '*.zip', 'bench/results.*.json'],
  thresholds: { high: 90, low: 80, break: null },
};
