// vitest setupFile of `npm run mutate` (after Stryker's own setup file, which sets the current test id).
import { beforeAll, beforeEach } from 'vitest';

// 1. Hands this worker's global, where Stryker's vitest runner sets the active mutant and collects
//    per-test coverage, to the bundle the emulator runs in its own vm realm: the banner build.mjs adds
//    with --mutation reads it from `process`, the one host object both realms share.
(process as unknown as { __strykerWorkerGlobal: typeof globalThis }).__strykerWorkerGlobal = globalThis;

// 2. Code a file runs in its hooks (a harness started in beforeAll, connects in a hook) is hit while no
//    test is current, so Stryker would count it "static" and run the WHOLE suite for each such mutant
//    (an hour for connect.ts alone). Such coverage belongs to the tests that follow in the same file:
//    they see what the hook did. Over-attributing only runs more tests per mutant, never fewer.
type Hits = Record<string, number>;
interface StrykerNs {
  mutantCoverage?: { static: Hits; perTest: Record<string, Hits> };
  currentTestId?: string;
}
const ns = () => (globalThis as { __stryker__?: StrykerNs }).__stryker__;

let importTime: Hits = {};
const fromHooks: Hits = {};
beforeAll(() => {
  // What the test file's imports hit is truly static (module-level code) and stays so.
  importTime = { ...(ns()?.mutantCoverage?.static ?? {}) };
});
beforeEach(() => {
  const stryker = ns();
  const coverage = stryker?.mutantCoverage;
  const testId = stryker?.currentTestId;
  if (!coverage || !testId) return; // a mutant run: nothing is being measured
  for (const [mutant, hits] of Object.entries(coverage.static)) {
    const before = importTime[mutant] ?? 0;
    if (hits <= before) continue;
    fromHooks[mutant] = 1;
    if (before === 0) delete coverage.static[mutant];
    else coverage.static[mutant] = before;
  }
  const ofThisTest = (coverage.perTest[testId] ??= {});
  for (const mutant of Object.keys(fromHooks)) ofThisTest[mutant] = (ofThisTest[mutant] ?? 0) + 1;
});
