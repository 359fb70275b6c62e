// 1. calls per full sweep vs the minimum, 4. heap per cached account, 5. longest event-loop block —
// through createAccountCache + the real node transport + the fake CAD over 127.0.0.1 HTTP.
// Every cache lives inside one small async function (oneSweep), so nothing outlives its measurement.
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createAccountCache } from '../src/core/account-cache';
import { createNodeTransport } from '../src/core/http/node-transport';
import { ACCOUNT_STATUS } from '../src/core/types';
import { serverClock } from '../src/fivem/clock';
import { inProcessCad, processCad, type CadHandle } from './cad';
import { attributeBlock } from './sweep-phases';
import { coreConfig, discardFiles, FAST, fmt, gc, median, progress, quietLog, record, sleep } from './util';

const SEED = 42;
const STATUSES = ['active', 'banned'] as const; // DEFAULTS.statuses

interface SweepRun {
  calls: number;
  accounts: number;
  durationMs: number;
  requests: number;
  status429: number;
  /** perf_hooks.monitorEventLoopDelay max over the whole refresh(). */
  maxBlockMs: number;
  /** Drift sampler: longest gap while pages were arriving, and the gap that held the swap. */
  pagingBlockMs: number;
  swapBlockMs: number;
  /** The most on-CPU time of this thread within one sampler gap (Linux; NaN elsewhere): the block without the wait for a core. */
  onCpuBlockMs: number;
  /**
   * The longest sampler gap less the time this thread waited for a core within it (Linux; NaN elsewhere).
   * schedstat's on-CPU sum only moves at scheduler ticks (4 ms here) and switches, so onCpuBlockMs reads
   * 0 or ~4 for a busy millisecond; its run-queue wait is added at each switch-in, exact to the ns.
   */
  busyBlockMs: number;
  /** Heap growth with the cache alive (gc before and after), when asked for. */
  heapBytes?: number;
}

/**
 * This thread's on-CPU time (ms) from Linux's schedstat, or NaN elsewhere. On a machine shared with other
 * work a gap of the sampler is our work plus the wait for a core; its on-CPU part is ours alone.
 */
const SCHEDSTAT = '/proc/thread-self/schedstat';
const hasSchedstat = existsSync(SCHEDSTAT);
function threadCpuMs(): number {
  return hasSchedstat ? Number(readFileSync(SCHEDSTAT, 'latin1').split(' ')[0]) / 1e6 : NaN;
}
/** This thread's time waiting on a run queue (ms) from Linux's schedstat, or NaN elsewhere. */
function threadWaitMs(): number {
  return hasSchedstat ? Number(readFileSync(SCHEDSTAT, 'latin1').split(' ')[1]) / 1e6 : NaN;
}

/** A 1 ms interval; a gap longer than that is time the event loop was blocked (and how much of it on-CPU). */
function driftSampler() {
  const gaps: [end: number, gap: number, cpu: number, wait: number][] = [];
  let last = performance.now();
  let lastCpu = threadCpuMs();
  let lastWait = threadWaitMs();
  const timer = setInterval(() => {
    const now = performance.now();
    const cpu = threadCpuMs();
    const wait = threadWaitMs();
    gaps.push([now, now - last - 1, cpu - lastCpu, wait - lastWait]);
    last = now;
    lastCpu = cpu;
    lastWait = wait;
  }, 1);
  return {
    stop() {
      clearInterval(timer);
      return gaps;
    },
  };
}

function newCache(cad: CadHandle, opts: { rateLimit?: typeof FAST }, onPage: () => void) {
  return createAccountCache({
    config: coreConfig(cad, opts.rateLimit),
    transport: createNodeTransport(),
    clock: serverClock,
    files: discardFiles(),
    log: quietLog(),
    random: () => 0.5,
    onProgress: onPage,
  });
}

/** The longest blocks while `work` runs, by both samplers (split at `lastPageAt` into paging and swap). */
async function sampled<T>(work: () => Promise<T>, lastPageAt: () => number = () => Infinity) {
  const eld = monitorEventLoopDelay({ resolution: 1 });
  const sampler = driftSampler();
  eld.enable();
  const value = await work();
  // The swap's synchronous work ends right before refresh() resolves: let the samplers' late timers fire.
  await sleep(20);
  eld.disable();
  const gaps = sampler.stop();
  const page = lastPageAt();
  const pagingBlockMs = Math.max(0, ...gaps.filter(([end]) => end <= page).map(([, gap]) => gap));
  const swapBlockMs = Math.max(0, ...gaps.filter(([end]) => end > page).map(([, gap]) => gap));
  const onCpuBlockMs = Math.max(0, ...gaps.map(([, , cpu]) => cpu));
  const busyBlockMs = Math.max(0, ...gaps.map(([, gap, , wait]) => gap - wait));
  return { value, maxBlockMs: eld.max / 1e6, pagingBlockMs, swapBlockMs, onCpuBlockMs, busyBlockMs };
}

/** One refresh() of `cache` under both samplers. */
async function measured(cad: CadHandle, cache: ReturnType<typeof newCache>, page: { lastAt: number }): Promise<Omit<SweepRun, 'heapBytes'>> {
  await cad.mark();
  const { value, ...blocks } = await sampled(() => cache.refresh(), () => page.lastAt);
  const { calls, accounts, durationMs } = value;
  const { requests, status429 } = await cad.stats();
  return { calls, accounts, durationMs, requests, status429, ...blocks };
}

type Blocks = Pick<SweepRun, 'maxBlockMs' | 'pagingBlockMs' | 'swapBlockMs' | 'onCpuBlockMs' | 'busyBlockMs'>;
/** One progress line of several runs' longest blocks. */
function progressBlocks(label: string, runs: Blocks[]) {
  const each = runs.map((r) => `${fmt(r.maxBlockMs)} (paging ${fmt(r.pagingBlockMs)}, swap ${fmt(r.swapBlockMs)}, on-CPU ${fmt(r.onCpuBlockMs)}, without run-queue wait ${fmt(r.busyBlockMs)})`);
  progress(`${label}: max block ${each.join(' / ')} ms; load ${loadavg()[0]!.toFixed(1)}`);
}

/**
 * The same samplers over an idle event loop for as long as a 50k sweep takes, the CAD up and idle: what
 * this machine shows with nothing of ours running (a timer woken late by the host, another thread on the
 * core, a GC of the bench's own heap). On the 2-vCPU bench machine an idle loop's wall max read 8-14 ms
 * and its busy 1.1-9.9 ms across runs (2026-12-05): a wall target of 3 or 5 ms cannot be told from the
 * floor there, which is why the block rows judge busy.
 */
async function recordIdleFloor(label: string) {
  const runs = [];
  for (let i = 0; i < 3; i++) {
    gc(); // as before each measured sweep
    runs.push(await sampled(() => sleep(IDLE_MS)));
  }
  const wall = median(runs.map((r) => r.maxBlockMs));
  const busy = median(runs.map((r) => r.busyBlockMs));
  progressBlocks(`idle floor (${label})`, runs);
  record({
    group: 5,
    metric: `max event-loop block, idle loop ${fmt(IDLE_MS / 1000)} s, nothing of ours running (${label}: this machine's floor)`,
    value: `${fmt(wall)} ms wall; busy ${fmt(busy)} ms`,
    detail: { maxBlockMs: wall, busyBlockMs: busy, loadAverage: loadavg(), perRun: runs, how: 'the sweep rows\' samplers over sleep(); no target: what the block rows are read against' },
  });
}
const IDLE_MS = 5_000;

/**
 * The JS heap plus ArrayBuffer memory: the compact store's typed arrays (account-store.ts) live outside
 * the V8 heap once they pass a few dozen bytes, and heapUsed alone would not count them.
 */
const heldBytes = () => {
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
};

/** A first sweep into a new cache; with `heap`, what the cache holds afterwards (gc before and after). */
async function oneSweep(cad: CadHandle, opts: { rateLimit?: typeof FAST; heap?: boolean }): Promise<SweepRun> {
  if (opts.heap) gc();
  const heapBefore = heldBytes();
  const page = { lastAt: 0 };
  const cache = newCache(cad, opts, () => void (page.lastAt = performance.now()));
  const run: SweepRun = await measured(cad, cache, page);
  if (opts.heap) {
    gc();
    run.heapBytes = heldBytes() - heapBefore;
  }
  cache.stop();
  return run;
}

/**
 * A first sweep, one account in 50 changed at the CAD, then the steady sweep measured. With `drop`, one
 * account in 1,000 is also deleted at the CAD: that sweep cannot be patched in place and rebuilds the
 * index beside the live one (sweep-patch.ts, account-cache.ts rebuild()).
 */
async function steadySweep(cad: CadHandle, opts: { drop?: boolean } = {}): Promise<SweepRun> {
  const page = { lastAt: 0 };
  const cache = newCache(cad, { rateLimit: FAST }, () => void (page.lastAt = performance.now()));
  await cache.refresh();
  await sleep(50);
  gc();
  await cad.churn();
  if (opts.drop) await cad.drop();
  const run = await measured(cad, cache, page);
  if (opts.drop) await cad.restore();
  await cad.churn(); // back as it was, for the next measurement over this CAD
  cache.stop();
  return run;
}

function minimumCalls(counts: Record<number, number>): number {
  return STATUSES.reduce((sum, s) => sum + Math.max(1, Math.ceil((counts[ACCOUNT_STATUS[s]] ?? 0) / 100)), 0);
}

function recordCalls(label: string, runs: SweepRun[], minimum: number) {
  const calls = median(runs.map((r) => r.calls));
  const ratio = calls / minimum;
  const status429 = runs.reduce((s, r) => s + r.status429, 0);
  const ms = median(runs.map((r) => r.durationMs));
  record({
    group: 1,
    metric: `sweep calls, ${label}`,
    value: `${calls} / min ${minimum} = ${ratio.toFixed(2)}x; ${status429}x429; ${fmt(ms)} ms`,
    target: 'ratio 1.00, 0x429',
    ok: ratio === 1 && status429 === 0,
    detail: { calls, minimum, ratio, status429, durationMsMedian: ms, runs },
  });
}

/**
 * A block row. Judged by busy (the longest gap less the main thread's wait for a core), with the wall gap
 * beside it: on the bench machine the wall max of an idle loop already reaches the targets (recordIdleFloor).
 */
function recordBlocks(label: string, runs: SweepRun[], targetMs?: number) {
  const max = median(runs.map((r) => r.maxBlockMs));
  const paging = median(runs.map((r) => r.pagingBlockMs));
  const swap = median(runs.map((r) => r.swapBlockMs));
  const onCpu = median(runs.map((r) => r.onCpuBlockMs));
  const busyMs = median(runs.map((r) => r.busyBlockMs));
  record({
    group: 5,
    metric: `max event-loop block, ${label}`,
    value: `busy ${fmt(busyMs)} ms; wall ${fmt(max)} ms (paging ${fmt(paging)}, swap ${fmt(swap)}; on-CPU ${fmt(onCpu)})`,
    ...(targetMs !== undefined ? { target: `busy <= ${targetMs} ms`, ok: busyMs <= targetMs } : {}),
    detail: {
      maxBlockMs: max,
      pagingMaxBlockMs: paging,
      swapBlockMs: swap,
      onCpuBlockMs: onCpu,
      busyBlockMs: busyMs,
      loadAverage: loadavg(),
      perRun: runs.map(({ maxBlockMs, pagingBlockMs, swapBlockMs, onCpuBlockMs, busyBlockMs }) => ({ maxBlockMs, pagingBlockMs, swapBlockMs, onCpuBlockMs, busyBlockMs })),
      how: 'busy (judged): the longest gap of a 1 ms setInterval drift sampler less the run-queue wait within it (/proc/thread-self/schedstat field 2, exact); wall: perf_hooks.monitorEventLoopDelay({resolution: 1}) max over cache.refresh(); paging/swap: the drift sampler split at the last page (onProgress); on-CPU: the most CPU time this thread used within one sampler gap (schedstat field 1, moves by scheduler ticks)',
    },
  });
}

/** The row of a steady 50k sweep that also deletes accounts: the rebuild's pause, no target (the steady row is 2% changed). */
const REBUILT_LABEL = 'steady 50k sweep, 2% changed and 0.1% deleted: rebuilt, not patched (CAD in another process)';

/** The issue 23 targets by community size: longest block of a first sweep and of a steady one (ms). */
const BLOCK_TARGETS: Record<number, { first?: number; steady?: number }> = { 1_000: { first: 3 }, 50_000: { first: 16, steady: 5 } };

/** `npm run bench -- steady`: only the steady 50k sweep (issue 23's row), 3 runs, for a change aimed at it. */
export async function steadySweepBenchmark(): Promise<void> {
  const cad = await processCad({ accounts: 50_000, seed: SEED, rateLimit: false });
  await recordIdleFloor('steady');
  const steady: SweepRun[] = [];
  for (let i = 0; i < 3; i++) steady.push(await steadySweep(cad));
  progressBlocks('steady sweep 50k', steady);
  recordBlocks('steady 50k sweep, 2% changed (CAD in another process)', steady, BLOCK_TARGETS[50_000]!.steady);
  const rebuilt: SweepRun[] = [];
  for (let i = 0; i < 3; i++) rebuilt.push(await steadySweep(cad, { drop: true }));
  progressBlocks('steady sweep 50k, 0.1% deleted', rebuilt);
  recordBlocks(REBUILT_LABEL, rebuilt);
  await cad.close();
}

/** `npm run bench -- sweep1k`: only the first 1k sweeps (issue 23's 3 ms row), 3 runs, for a change aimed at it. */
export async function firstSweep1kBenchmark(): Promise<void> {
  const cad = await processCad({ accounts: 1_000, seed: SEED, rateLimit: false });
  await recordIdleFloor('sweep1k');
  const runs: SweepRun[] = [];
  for (let i = 0; i < 3; i++) runs.push(await oneSweep(cad, { rateLimit: FAST, heap: true }));
  progressBlocks('first sweep 1k', runs);
  recordBlocks('first 1,000 sweep (CAD in another process)', runs, BLOCK_TARGETS[1_000]!.first);
  await cad.close();
}

export async function sweepBenchmarks(): Promise<void> {
  for (const n of [1_000, 10_000, 50_000]) {
    progress(`sweep: starting a fake CAD with ${fmt(n)} accounts in a process of its own (limiter off, pacing ${FAST.v1PerSecond}/s)`);
    const cad = await processCad({ accounts: n, seed: SEED, rateLimit: false });
    if (n === 50_000) await recordIdleFloor('sweeps');
    const minimum = minimumCalls(await cad.counts());
    const runs: SweepRun[] = [];
    for (let i = 0; i < 3; i++) {
      const run = await oneSweep(cad, { rateLimit: FAST, heap: true });
      runs.push(run);
      const heap = run.heapBytes === undefined ? '' : `, heap ${fmt(run.heapBytes / run.accounts)} B/account`;
      progress(`sweep ${fmt(n)} #${i + 1}: ${run.calls} calls, ${fmt(run.accounts)} accounts, ${fmt(run.durationMs)} ms, max block ${fmt(run.maxBlockMs)} ms (on-CPU ${fmt(run.onCpuBlockMs)}, without run-queue wait ${fmt(run.busyBlockMs)})${heap}; load ${loadavg()[0]!.toFixed(1)}`);
    }
    recordCalls(`${fmt(n)} accounts`, runs, minimum);
    const perAccount = median(runs.map((r) => r.heapBytes! / r.accounts));
    record({
      group: 4,
      metric: `heap bytes per cached account (${fmt(n)})`,
      value: Math.round(perAccount),
      unit: 'B',
      ...(n === 50_000 ? { target: '<= 400', ok: perAccount <= 400 } : {}),
      detail: { perRun: runs.map((r) => r.heapBytes! / r.accounts), accounts: runs[0]!.accounts, totalBytes: median(runs.map((r) => r.heapBytes!)), how: 'gc(); heapUsed + arrayBuffers; create cache + refresh(); gc(); the same with the cache alive; median of runs' },
    });
    const targets = BLOCK_TARGETS[n] ?? {};
    recordBlocks(`first ${fmt(n)} sweep (CAD in another process)`, runs, targets.first);
    const steady: SweepRun[] = [];
    for (let i = 0; i < (n === 50_000 ? 1 : 3); i++) steady.push(await steadySweep(cad));
    progressBlocks(`steady sweep ${fmt(n)}`, steady);
    recordBlocks(`steady ${fmt(n)} sweep, 2% changed (CAD in another process)`, steady, targets.steady);
    if (n === 50_000) recordBlocks(REBUILT_LABEL, [await steadySweep(cad, { drop: true })]);
    if (n === 50_000) await attributeBlock(cad);
    await cad.close();
  }

  progress('sweep: 50k accounts with the fake CAD in this process (its own work shares our event loop)');
  const local = await inProcessCad({ accounts: 50_000, seed: SEED, rateLimit: false });
  recordBlocks('first 50k sweep (CAD in-process)', [await oneSweep(local, { rateLimit: FAST })]);
  await local.close();

  progress('sweep: 1,000 accounts at the real rate (fake CAD limiter on: v1 1/s burst 5; config pacing default 1/s)');
  const real = await processCad({ accounts: 1_000, seed: SEED, rateLimit: undefined });
  const realRun = await oneSweep(real, {});
  progress(`sweep real rate: ${realRun.calls} calls, ${realRun.status429} 429s, ${fmt(realRun.durationMs)} ms`);
  recordCalls('1,000 accounts at real rate', [realRun], minimumCalls(await real.counts()));
  await real.close();
}
