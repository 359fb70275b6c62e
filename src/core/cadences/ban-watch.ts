// The ban watch: the banned status (4) is a short list even in a big community, so it is read on its own
// cadence (freshness.banWatchSeconds) through the one scheduler's cadence lane, and every account read is
// handed to the refresher's intake, where merge.ts decides (a ban newer than what is held wins at once:
// accountChanged, so the gate and online players see it). Nothing is concluded from an account that
// left the list: it waits for a sweep or a lookup to say what it is now.
//
// Offset paging over a list that changes underneath (sweep.ts, isComplete): a total that moved during a
// pass means an account may have slid onto a page already read, so the list is read again (up to
// MAX_PASSES in one run; the next run reads it from the start anyway). One page (under 100 bans) cannot
// shift at all. What no total shows, an unban and a ban between the same two pages, is read next run.
import { PAGE_LIMIT, type CadClient } from '../api/client';
import { callWithRetry, type RetryPolicy } from '../retry';
import type { Scheduler } from '../scheduler';
import { ACCOUNT_STATUS, type CachedAccount, type Clock, type TimerHandle } from '../types';

/** Passes over the list in one run while its total keeps moving. */
const MAX_PASSES = 3;
/** The watch never takes more than one call in this many of the pacer's. */
const SHARE = 3;
/** A run that failed (CAD down) is not retried in a loop: the next run comes at the usual time. */
const WATCH_RETRY: RetryPolicy = { attempts: 2, baseDelayMs: 2000, maxDelayMs: 10_000, rateLimitWaits: 1 };

export interface BanWatchDeps {
  client: CadClient;
  scheduler: Scheduler;
  clock: Clock;
  random: () => number;
  /** freshness.banWatchSeconds in ms (> 0). */
  everyMs: number;
  /** The pacer's spacing: a run of P pages is followed by at least P × SHARE of these. */
  pacerMs: number;
  /** The refresher's intake: one observation, merged by merge.ts. */
  intake: (account: CachedAccount) => void;
  /** False while another server runs the watch for the community (shared mode): skip this run. */
  runsHere?: () => boolean;
  /** Told of a run that could not read the list (the CAD down); the next run comes at the usual time. */
  onFailed?: (err: Error) => void;
}

export interface BanWatch {
  /** When the last run finished reading the whole list (epoch ms), or null. */
  lastRunAt(): number | null;
  /** True while a run reads the list (the online refresh waits: a ban goes before a revoke). */
  reading(): boolean;
  stop(): void;
}

export function startBanWatch(deps: BanWatchDeps): BanWatch {
  const { clock } = deps;
  let lastRunAt: number | null = null;
  let reading = false;
  let timer: TimerHandle | null = null;
  let stopped = false;

  const page = (offset: number) =>
    callWithRetry(deps.scheduler, deps.clock, () => deps.client.getAccountsPage({ status: ACCOUNT_STATUS.banned, offset, limit: PAGE_LIMIT }), {
      priority: 'cadence',
      policy: WATCH_RETRY,
      cancelled: () => stopped,
      random: deps.random,
    });

  /** Reads the list once; true when its total held still from the first page to the last. */
  const pass = async (): Promise<{ steady: boolean; pages: number }> => {
    let firstTotal: number | undefined;
    let steady = true;
    let pages = 0;
    for (let offset = 0; ; offset += PAGE_LIMIT) {
      const answer = await page(offset);
      pages += 1;
      if (stopped) return { steady, pages };
      for (const account of answer.accounts) deps.intake(account);
      firstTotal ??= answer.total;
      if (answer.total !== firstTotal) steady = false;
      if (offset + PAGE_LIMIT >= answer.total || answer.accounts.length + answer.unreadable.length === 0) return { steady, pages };
    }
  };

  const run = async () => {
    timer = null;
    const startedAt = clock.now();
    let pages = 1;
    if (deps.runsHere?.() !== false) {
      reading = true;
      try {
        pages = 0;
        for (let n = 1; n <= MAX_PASSES && !stopped; n++) {
          const read = await pass();
          pages += read.pages;
          if (read.steady) break;
        }
        if (!stopped) lastRunAt = clock.now();
      } catch (err) {
        if (!stopped) deps.onFailed?.(err as Error);
      } finally {
        reading = false;
      }
    }
    if (stopped) return;
    // Runs start everyMs apart, or further apart when the list is long: P pages, then (SHARE - 1) × P free calls.
    const gap = Math.max(deps.everyMs, Math.max(1, pages) * deps.pacerMs * SHARE);
    timer = clock.setTimeout(() => void run(), Math.max(0, startedAt + gap - clock.now()));
  };

  timer = clock.setTimeout(() => void run(), deps.everyMs);
  return {
    lastRunAt: () => lastRunAt,
    reading: () => reading,
    stop() {
      stopped = true;
      timer?.cancel();
      timer = null;
    },
  };
}
