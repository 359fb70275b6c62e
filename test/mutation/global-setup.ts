// vitest globalSetup of `npm run mutate` (vitest.mutation.bundle.config.mts), run inside Stryker's sandbox:
// rebuilds dist/server.js from the instrumented sources, so the integration tests, which load only the
// built bundle, run the mutants of src/fivem (and of the core files the bundle holds).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Stryker's instrumentation calls every mutant switch through this function. */
const SWITCH = 'stryMutAct_9fa48';

export default function setup(): void {
  execFileSync(process.execPath, ['build.mjs', '--mutation'], { stdio: 'inherit' });
  // A bundle built from plain sources would make every src/fivem mutant look covered by nothing, or
  // worse, killed by a stale build: refuse to run rather than report scores that mean nothing.
  const bundle = readFileSync('dist/server.js', 'utf8');
  if (!bundle.includes(SWITCH) || !bundle.includes('__strykerWorkerGlobal')) {
    throw new Error('dist/server.js was not rebuilt from Stryker\'s instrumented sources');
  }
}
