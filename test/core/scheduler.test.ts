// The pacer on a manual clock: never over the rate in any window, lookups first, 429 pauses everything.
import { describe, expect, it } from 'vitest';
import { CadFailure } from '../../src/core/api/errors';
import { callWithRetry, SWEEP_RETRY } from '../../src/core/retry';
import { createScheduler, HIGH_PER_LOW, intervalFor } from '../../src/core/scheduler';
import { manualClock } from './helpers';

const maxInWindow = (starts: number[], windowMs: number) =>
  Math.max(...starts.map((t) => starts.filter((u) => u >= t && u < t + windowMs).length));

describe('scheduler', () => {
  it.each([
    [1, { v1PerSecond: 1, v2PerMinute: 10 }, 1000, 1],
    [2, { v1PerSecond: 1, v2PerMinute: 10 }, 60_000, 10],
  ] as const)('API v%i never exceeds its rate in any window', async (version, rate, windowMs, limit) => {
    const clock = manualClock();
    const scheduler = createScheduler(clock, intervalFor(version, rate));
    const starts: number[] = [];
    const tasks = Array.from({ length: 40 }, (_, i) => scheduler.run(async () => void starts.push(clock.now()), i % 3 === 0 ? 'high' : 'low'));
    await clock.advance(40 * intervalFor(version, rate) + 1000);
    await Promise.all(tasks);
    expect(starts).toHaveLength(40);
    expect(maxInWindow(starts, windowMs)).toBe(limit);
  });

  it('runs connect lookups (high) before queued sweep pages (low)', async () => {
    const clock = manualClock();
    const scheduler = createScheduler(clock, 1000);
    const order: string[] = [];
    const jobs = [
      ...[1, 2, 3].map((i) => scheduler.run(async () => void order.push(`page${i}`), 'low')),
      scheduler.run(async () => void order.push('lookup'), 'high'),
    ];
    await clock.advance(5000);
    await Promise.all(jobs);
    expect(order).toEqual(['lookup', 'page1', 'page2', 'page3']);
  });

  it('a cancelled job does not spend the budget', async () => {
    const clock = manualClock();
    const scheduler = createScheduler(clock, 1000);
    const ran: string[] = [];
    const gaveUp = scheduler.run(async () => void ran.push('late'), 'high', () => true).catch((e: Error) => e.message);
    const next = scheduler.run(async () => void ran.push('next'), 'high');
    await clock.advance(10);
    expect(await gaveUp).toBe('cancelled before it started');
    await next;
    expect(ran).toEqual(['next']);
    expect(scheduler.started).toBe(1);
  });

  it('a 429 pauses every call until Retry-After, then the call is retried', async () => {
    const clock = manualClock();
    const scheduler = createScheduler(clock, 100);
    const attempts: number[] = [];
    let first = true;
    const call = callWithRetry(scheduler, clock, async () => {
      attempts.push(clock.now());
      if (first) {
        first = false;
        throw new CadFailure('rateLimited', '429', undefined, 30_000);
      }
      return 'ok';
    }, { priority: 'low', policy: SWEEP_RETRY, random: () => 0 });
    await clock.advance(10);
    expect(attempts).toHaveLength(1);
    const other = scheduler.run(async () => clock.now(), 'high');
    await clock.advance(31_000);
    expect(await call).toBe('ok');
    expect(attempts[1]! - attempts[0]!).toBeGreaterThanOrEqual(30_000);
    expect((await other) - attempts[0]!).toBeGreaterThanOrEqual(30_000);
  });

  it('transient failures back off exponentially and give up after the attempts', async () => {
    const clock = manualClock();
    const scheduler = createScheduler(clock, 0);
    const attempts: number[] = [];
    const call = callWithRetry(scheduler, clock, async () => {
      attempts.push(clock.now());
      throw new CadFailure('transient', 'HTTP 503');
    }, { priority: 'low', policy: { attempts: 4, baseDelayMs: 1000, maxDelayMs: 3000, rateLimitWaits: 0 }, random: () => 1 }).catch((e: Error) => e.message);
    await clock.advance(60_000);
    expect(await call).toBe('HTTP 503 (gave up after 4 attempts)');
    const gaps = attempts.slice(1).map((t, i) => t - attempts[i]!);
    expect(gaps).toEqual([1000, 2000, 3000]);
  });

  it('a 4-page sweep under 2.5 unknown connects a second on the 1 call/s pacer ends within 12 s, connects keep 2 slots in 3', async () => {
    const clock = manualClock();
    const scheduler = createScheduler(clock, 1000);
    const t0 = clock.now();
    const started: string[] = [];
    // A stranger connects every 400 ms; each gives up after the 8 s connect timeout, as a deferral does.
    for (let at = 0; at < 30_000; at += 400) {
      clock.setTimeout(() => {
        const deadline = clock.now() + 8000;
        scheduler.run(async () => void started.push('lookup'), 'high', () => clock.now() >= deadline).catch(() => {});
      }, at);
    }
    let pagesDone = 0;
    let sweepEndedAt = -1;
    const sweep = (async () => {
      for (let page = 1; page <= 4; page++) {
        await scheduler.run(async () => void started.push(`page${page}`), 'low');
        pagesDone += 1;
      }
      sweepEndedAt = clock.now() - t0;
    })();
    await clock.advance(20_000);
    expect(pagesDone).toBe(4);
    await sweep;
    expect(sweepEndedAt).toBeLessThanOrEqual(3 * 4 * 1000);
    const firstTwelve = started.slice(0, 12);
    expect(firstTwelve.filter((s) => s === 'lookup').length).toBeGreaterThanOrEqual(4 * HIGH_PER_LOW - 1);
  });

  it('follow-ups (background) start only when no lookup and no sweep page waits', async () => {
    const clock = manualClock();
    const scheduler = createScheduler(clock, 1000);
    const order: string[] = [];
    const jobs = [
      scheduler.run(async () => void order.push('follow-up'), 'background'),
      scheduler.run(async () => void order.push('page'), 'low'),
      scheduler.run(async () => void order.push('lookup'), 'high'),
    ];
    await clock.advance(5000);
    await Promise.all(jobs);
    expect(order).toEqual(['lookup', 'page', 'follow-up']);
  });

  it('asks the injected permit before every start and waits as long as it says (the shared-budget seam)', async () => {
    const clock = manualClock();
    let tokens = 1;
    const asked: number[] = [];
    const scheduler = createScheduler(clock, 100, {
      permit: (now) => {
        asked.push(now);
        if (tokens > 0) {
          tokens -= 1;
          return 0;
        }
        return 5000;
      },
    });
    const starts: number[] = [];
    const jobs = [1, 2].map(() => scheduler.run(async () => void starts.push(clock.now()), 'high'));
    await clock.advance(1000);
    expect(starts).toHaveLength(1);
    tokens = 1;
    await clock.advance(5000);
    await Promise.all(jobs);
    expect(starts).toHaveLength(2);
    expect(starts[1]! - starts[0]!).toBeGreaterThanOrEqual(5000);
    expect(asked.length).toBeGreaterThanOrEqual(3);
  });
});
