// `npm run bench`: sweeps, a connect burst, permission checks, heap and event-loop blocking, measured
// against the fake CAD over real HTTP. Prints a table and writes bench/results.json. It reports; it never
// fails because a target was missed.
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { isMainThread } from 'node:worker_threads';
import { ROOT } from '../dev/resource-folder';
import { isCadProcess, runCadProcess } from './cad';
import { connectBenchmark } from './connect';
import { freshnessBenchmark } from './freshness';
import { cadenceFreshnessBenchmark } from './freshness-cadences';
import { jobsBenchmark } from './jobs';
import { burstMissesBenchmark } from './burst-misses';
import { permissionBenchmark } from './permissions';
import { sharedBenchmark } from './shared';
import { firstSweep1kBenchmark, steadySweepBenchmark, sweepBenchmarks } from './sweep';
import { fmt, progress, results, type Result } from './util';

function table(rows: Result[]): string {
  const cells = rows.map((r) => [
    String(r.group),
    r.metric,
    `${typeof r.value === 'number' ? fmt(r.value) : r.value}${r.unit ? ` ${r.unit}` : ''}`,
    r.target ?? '',
    r.target === undefined ? '' : r.ok ? 'ok' : 'MISSED',
  ]);
  const head = ['#', 'metric', 'value', 'target', 'ok?'];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => `| ${c.map((x, i) => x.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(line)].join('\n');
}

async function main() {
  const ranAt = new Date().toISOString();
  progress(`node ${process.version}, ${cpus().length} cpus`);
  const steps: [string, () => Promise<void>][] = [
    ['permissions (in process)', permissionBenchmark],
    ['jobs (a job-change check)', jobsBenchmark],
    ['sweeps', sweepBenchmarks],
    // `npm run bench -- steady`: the steady 50k sweep's block alone (also among `sweeps`).
    ['steady 50k sweep', steadySweepBenchmark],
    // `npm run bench -- sweep1k`: the first 1k sweep's block alone (its rows are among `sweeps`: named only).
    ['sweep1k', firstSweep1kBenchmark],
    ['connect burst (emulator)', connectBenchmark],
    ['burst misses (emulator)', burstMissesBenchmark],
    ['freshness (virtual time)', freshnessBenchmark],
    // `npm run bench -- cadences 50k-v2-1500` runs only that scenario (ids: <k accounts>k-v<version>-<bans>).
    ['freshness with cadences (virtual time)', () => cadenceFreshnessBenchmark(process.argv.slice(2))],
    ['shared database (servers in processes)', sharedBenchmark],
  ];
  // `npm run bench -- sweeps` runs only the steps whose name contains one of the words given.
  const only = process.argv.slice(2);
  const onRequest = new Set(['sweep1k']);
  for (const [name, step] of steps.filter(([n]) => (only.length === 0 ? !onRequest.has(n) : only.some((w) => n.includes(w))))) {
    progress(`== ${name}`);
    try {
      await step();
    } catch (err) {
      progress(`!! ${name} failed: ${(err as Error).stack ?? String(err)}`);
      results.push({ group: 0, metric: `${name}: FAILED`, value: (err as Error).message });
    }
  }
  results.sort((a, b) => a.group - b.group);
  console.log(`\n${table(results)}\n`);
  const file = `${ROOT}/bench/results.json`;
  writeFileSync(file, `${JSON.stringify({ ranAt, node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model, results }, null, 2)}\n`);
  progress(`wrote ${file}`);
}

if (isCadProcess()) {
  await runCadProcess();
} else if (isMainThread) {
  await main();
  process.exit(0); // the emulator leaves 15 s connect timers behind; nothing else is pending
}
