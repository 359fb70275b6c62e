// Runs one CAD call through the scheduler, retrying what may pass: transient failures after a capped,
// jittered exponential backoff; a 429 after the CAD's own Retry-After (which pauses every call).
import { asCadError, CadFailure } from './api/errors';
import { SchedulerStopped, type Priority, type Scheduler } from './scheduler';
import type { CadError, Clock } from './types';

export interface RetryPolicy {
  /** Attempts in all for transient failures (the first included). */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** How many 429s to sit out before giving up. */
  rateLimitWaits: number;
}

export const SWEEP_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 1000, maxDelayMs: 30_000, rateLimitWaits: 3 };

export interface CallOptions {
  priority: Priority;
  policy: RetryPolicy;
  /** Asked before each attempt: stop early when the caller no longer wants the answer. */
  cancelled?: () => boolean;
  /** Counts every attempt that reached the CAD. */
  onAttempt?: () => void;
  random?: () => number;
}

export async function callWithRetry<T>(scheduler: Scheduler, clock: Clock, call: () => Promise<T>, opts: CallOptions): Promise<T> {
  const random = opts.random ?? Math.random;
  let failures = 0;
  let rateLimited = 0;
  for (;;) {
    try {
      return await scheduler.run(
        () => {
          opts.onAttempt?.();
          return call();
        },
        opts.priority,
        opts.cancelled,
      );
    } catch (thrown) {
      if (thrown instanceof SchedulerStopped) throw thrown;
      const err: CadError = asCadError(thrown);
      if (opts.cancelled?.()) throw err;
      if (err.kind === 'rateLimited' && rateLimited < opts.policy.rateLimitWaits) {
        rateLimited += 1;
        scheduler.pauseUntil(clock.now() + (err.retryAfterMs ?? 60_000));
        continue;
      }
      if (err.kind !== 'transient') throw err;
      failures += 1;
      if (failures >= opts.policy.attempts) {
        throw new CadFailure('transient', `${err.message} (gave up after ${failures} attempts)`, err.hint);
      }
      const exp = Math.min(opts.policy.maxDelayMs, opts.policy.baseDelayMs * 2 ** (failures - 1));
      await sleep(clock, exp / 2 + random() * (exp / 2));
    }
  }
}

export function sleep(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => clock.setTimeout(resolve, ms));
}
