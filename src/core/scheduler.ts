// Every call to the CAD goes through one pacer, so sweeps and connect lookups together never exceed
// the configured rate (Sonoran: v1 "about one call per second", v2 10 calls a minute). Lookups for
// connecting players jump ahead of sweep pages; a 429 pauses everything until the CAD's Retry-After.
import type { Clock, TimerHandle } from './types';

export type Priority = 'high' | 'low';

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

export function createScheduler(clock: Clock, intervalMs: number): Scheduler {
  const lanes: Record<Priority, Job[]> = { high: [], low: [] };
  let nextStartAt = 0;
  let pausedUntil = 0;
  let timer: TimerHandle | null = null;
  let stopped = false;
  let started = 0;

  const pump = () => {
    timer = null;
    while (!stopped) {
      const lane = lanes.high.length > 0 ? lanes.high : lanes.low;
      const job = lane[0];
      if (!job) return;
      if (job.cancelled?.()) {
        lane.shift();
        job.reject(new SchedulerStopped('cancelled before it started'));
        continue;
      }
      const now = clock.now();
      const startAt = Math.max(nextStartAt, pausedUntil);
      if (now < startAt) {
        timer = clock.setTimeout(pump, startAt - now);
        return;
      }
      lane.shift();
      nextStartAt = now + intervalMs;
      started += 1;
      job.start();
    }
  };

  const schedulePump = () => {
    if (timer === null && !stopped) timer = clock.setTimeout(pump, 0);
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
    },
    stop() {
      stopped = true;
      timer?.cancel();
      timer = null;
      for (const job of [...lanes.high.splice(0), ...lanes.low.splice(0)]) job.reject(new SchedulerStopped());
    },
    get started() {
      return started;
    },
  };
}

/** The pacer's spacing for the configured API version. */
export function intervalFor(version: 1 | 2, rate: { v1PerSecond: number; v2PerMinute: number }): number {
  return version === 1 ? 1000 / rate.v1PerSecond : 60_000 / rate.v2PerMinute;
}
