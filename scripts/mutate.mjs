// `npm run mutate [file...]`: mutation testing (docs/mutation-testing.md). Files under src/core run
// against the core's own tests (stryker.core.config.mjs), the others against the rebuilt bundle
// (stryker.bundle.config.mjs); with no file, every file both configs list. Ends with one score line per
// file read from the JSON reports, and exits 1 when a file is under the 90% the project holds them to.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import core from '../stryker.core.config.mjs';
import bundle from '../stryker.bundle.config.mjs';

const TARGET = 90;
const runs = [
  { name: 'core', config: 'stryker.core.config.mjs', files: core.mutate },
  { name: 'bundle', config: 'stryker.bundle.config.mjs', files: bundle.mutate },
];

const asked = process.argv.slice(2).flatMap((a) => a.split(',')).filter(Boolean);
for (const file of asked) {
  if (!runs.some((r) => r.files.includes(file))) {
    console.error(`mutate: ${file} is in neither stryker.core.config.mjs nor stryker.bundle.config.mjs`);
    process.exit(2);
  }
}

// The package exports no bin path; its package.json names it.
const pkg = createRequire(import.meta.url).resolve('@stryker-mutator/core/package.json');
const stryker = join(dirname(pkg), JSON.parse(readFileSync(pkg, 'utf8')).bin.stryker);
const scores = [];
for (const run of runs) {
  const files = asked.length === 0 ? run.files : run.files.filter((f) => asked.includes(f));
  if (files.length === 0) continue;
  const started = Date.now();
  const result = spawnSync(process.execPath, [stryker, 'run', run.config, '--mutate', files.join(',')], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
  const minutes = ((Date.now() - started) / 60_000).toFixed(1);
  scores.push(...scoresOf(`reports/mutation/${run.name}/mutation.json`, files).map((s) => ({ ...s, minutes, run: run.name })));
}

console.log('\nmutation score per file (detected = killed + timed out, of mutants with coverage or not):');
for (const s of scores) {
  console.log(`  ${s.score.toFixed(2).padStart(6)}%  ${s.file}  ${s.detected}/${s.valid}, ${s.survived} survived, ${s.noCoverage} without coverage  (${s.run} run, ${s.minutes} min)`);
}
const under = scores.filter((s) => s.score < TARGET);
if (under.length > 0) {
  console.log(`under ${TARGET}%: ${under.map((s) => s.file).join(', ')} (accepted survivors: docs/mutation-testing.md)`);
  process.exit(1);
}

function scoresOf(path, files) {
  if (!existsSync(path)) throw new Error(`mutate: no report at ${path}`);
  const report = JSON.parse(readFileSync(path, 'utf8'));
  return files.map((file) => {
    const mutants = report.files[file]?.mutants ?? [];
    const count = (...statuses) => mutants.filter((m) => statuses.includes(m.status)).length;
    const valid = mutants.length - count('CompileError', 'RuntimeError', 'Ignored');
    const detected = count('Killed', 'Timeout');
    return { file, valid, detected, survived: count('Survived'), noCoverage: count('NoCoverage'), score: valid === 0 ? 100 : (100 * detected) / valid };
  });
}
