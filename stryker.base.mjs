// @ts-check
// What both mutation runs share (docs/mutation-testing.md). `npm run mutate` (scripts/mutate.mjs) runs
// the core files against their own tests (stryker.core.config.mjs) and the FiveM files against the
// built bundle (stryker.bundle.config.mjs).
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export const base = {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  coverageAnalysis: 'perTest',
  // The machine is shared: one test process at a time.
  concurrency: 1,
  // Added to each test's own time before a mutant counts as an endless loop (a timeout counts as detected).
  timeoutMS: 10_000,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  clearTextReporter: { allowEmojis: false, logTests: false },
  ignorePatterns: ['dist', '.build', 'coverage', 'cache', 'reports', '*.zip', 'bench/results.*.json', '.stryker-tmp*'],
  thresholds: { high: 90, low: 80, break: null },
};

/** The report of one run, under the ignored reports/mutation/<name>/. */
export const reportsOf = (name) => ({
  htmlReporter: { fileName: `reports/mutation/${name}/index.html` },
  jsonReporter: { fileName: `reports/mutation/${name}/mutation.json` },
  tempDirName: `.stryker-tmp-${name}`,
});
