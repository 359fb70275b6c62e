// Every call to the CAD goes through one pacer, so sweeps and connect lookups together never exceed
// the configured rate (Sonoran: v1 "about one call per second", v2 10 calls a minute). A 429 pauses
// everything until the CAD's Retry-After.
//
// Fair policy (docs/architecture.md "Scheduler"): four lanes.
// - high: connect lookups (and a link-verified lookup): a player is waiting in the deferral.
// - low: sweep pages. While a page waits, at most HIGH_PER_LOW other starts (lookups, cadence calls) go
//   before it, so a sweep keeps at least a third of the budget under any load and a P-page sweep ends
//   within P × (3 intervals + one page's answer time). With no page waiting, the others take every slot.
// - cadence: the ban watch and the online refresh (core/cadences/). At most one start in
//   CADENCE_EVERY while anything else waits, and never kept out longer than that: a cadence call at the
//   head of its lane, like a lookup at the head of its own, starts within 3 intervals. With all three
//   lanes busy the calls go lookup, cadence, page in turn; a sweep with only cadence calls beside it
//   keeps two starts in three (1.5x its length at most).
// - background: follow-ups for players admitted without an answer; only when nothing else waits.
import type { Clock, TimerHandle } from './types';

export type Priority = 'high' | 'low' | 'cadence' | 'background';

/** Starts of other lanes (lookups, cadence calls) that may go in a row while a sweep page waits; then the page goes. */
export const HIGH_PER_LOW = 2;
/** While another lane waits, a cadence call starts only after this many other starts since the last one. */
export const CADENCE_EVERY = 3;

export interface SchedulerOptions {
  /**
   * The one place that decides "may a call start now?" beyond this process's own pacing: asked once a
   * job has been chosen and the local pacer allows it; answers 0 (go, and the permit is spent) or the ms
   * to wait before asking again. A budget shared by several servers (one API key) plugs in here; it is
   * told the chosen job's lane, so connect lookups go first across servers too.
   */
  permit?: (now: number, priority: Priority) => number;
  /** Told of every 429 pause, so servers sharing the key pause too. */
  onPause?: (until: number) => void;
}

export interface Scheduler {
  /**
   * Runs `task` when the pacer allows. `cancelled` is asked just before it would start: a caller that
   * gave up (a connect that timed out) does not spend the budget.
   */
  run<T>(task: () => Promise<T>, priority: Priority, cancelled?: () => boolean): Promise<T>;
  /** No call starts before `until` (epoch ms): the CAD said so with a 429. */
  pauseUntil(until: number): void;
  /** Rejects everything queued; nothing starts afterwards. */
  stop(): void;
  /** Calls started so far (the benchmark and the sweep report read it). */
  readonly started: number;
  /** Jobs waiting per lane. */
  waiting(priority: Priority): number;
}

interface Job {
  start: () => void;
  reject: (err: Error) => void;
  cancelled?: () => boolean;
}

export class SchedulerStopped extends Error {
  constructor(message = 'scheduler stopped') {
    super(message);
    this.name = 'SchedulerStopped';
  }
}

export function createScheduler(clock: Clock, intervalMs: number, options: SchedulerOptions = {}): Scheduler {
  const lanes: Record<Priority, Job[]> = { high: [], low: [], cadence: [], background: [] };
  let nextStartAt = 0;
  let pausedUntil = 0;
  /** The clock at the last pump: a clock set back (NTP fixing a fast clock) moves our deadlines back too. */
  let lastNow = -Infinity;
  let timer: TimerHandle | null = null;
  let stopped = false;
  let started = 0;
  /** Other starts since the last page while a sweep page was waiting. */
  let highInARow = 0;
  /** Other starts since the last cadence call while one was waiting. */
  let cadenceWaited = 0;

  const nextLane = (): Priority | null => {
    const high = lanes.high.length > 0;
    const low = lanes.low.length > 0;
    const cadence = lanes.cadence.length > 0;
    if (low && highInARow >= HIGH_PER_LOW) return 'low';
    // A cadence call also goes one start early when the page is half way to its turn: otherwise both
    // would be due together and one of them would wait a third start (see the fairness property).
    if (cadence && (cadenceWaited >= CADENCE_EVERY - 1 || (cadenceWaited >= 1 && low && highInARow >= 1) || (!high && !low))) return 'cadence';
    if (high) return 'high';
    if (low) return 'low';
    if (lanes.background.length > 0) return 'background';
    return null;
  };

  const wait = (ms: number) => {
    timer = clock.setTimeout(pump, ms);
  };

  const pump = () => {
    timer = null;
    while (!stopped) {
      const priority = nextLane();
      if (priority === null) return;
      const lane = lanes[priority];
      const job = lane[0]!;
      if (job.cancelled?.()) {
        lane.shift();
        job.reject(new SchedulerStopped('cancelled before it started'));
        continue;
      }
      const now = clock.now();
      if (now < lastNow) {
        // Without this, a clock set back an hour would hold every CAD call (lookups of bans too) for that hour.
        const back = lastNow - now;
        nextStartAt -= back;
        pausedUntil -= back;
      }
      lastNow = now;
      const startAt = Math.max(nextStartAt, pausedUntil);
      if (now < startAt) return wait(startAt - now);
      // The seam for a shared budget: the only question asked before a call starts, besides our pacing.
      const permitWait = options.permit ? options.permit(now, priority) : 0;
      if (permitWait > 0) return wait(permitWait);
      lane.shift();
      highInARow = priority === 'low' || lanes.low.length === 0 ? 0 : highInARow + 1;
      cadenceWaited = priority === 'cadence' || lanes.cadence.length === 0 ? 0 : cadenceWaited + 1;
      nextStartAt = now + intervalMs;
      started += 1;
      job.start();
    }
  };

  const schedulePump = () => {
    if (timer === null && !stopped) wait(0);
  };

  return {
    run(task, priority, cancelled) {
      if (stopped) return Promise.reject(new SchedulerStopped());
      return new Promise((resolve, reject) => {
        const job: Job = { start: () => task().then(resolve, reject), reject, cancelled };
        lanes[priority].push(job);
        schedulePump();
      });
    },
    pauseUntil(until) {
      pausedUntil = Math.max(pausedUntil, until);
      options.onPause?.(until);
    },
    stop() {
      stopped = true;
      timer?.cancel();
      timer = null;
      for (const job of Object.values(lanes).flatMap((lane) => lane.splice(0))) job.reject(new SchedulerStopped());
    },
    get started() {
      return started;
    },
    waiting: (priority) => lanes[priority].length,
  };
}

/** The pacer's spacing for the configured API version. */
export function intervalFor(version: 1 | 2, rate: { v1PerSecond: number; v2PerMinute: number }): number {
  return version === 1 ? 1000 / rate.v1PerSecond : 60_000 / rate.v2PerMinute;
}
