// The ban watch: the banned status (4) is a short list even in a big community, so it is read on its own
// cadence (freshness.banWatchSeconds) through the one scheduler's cadence lane, and every account read is
// handed to the refresher's intake, where merge.ts decides (a ban newer than what is held wins at once:
// accountChanged, so the gate and online players see it). Nothing is concluded from an account that
// left the list: it waits for a sweep or a lookup to say what it is now.
//
// A run does not read every page (15 at 50,000 accounts with 3% banned): the list as last read is
// remembered and a run reads what changed (banned-list-delta.ts: page 0, a binary search for the page a
// new ban went to, one more page in turn). The list is read whole on the first run, after a run skipped
// here (shared mode), and whenever what a run sees is not just new bans (an unban, a reorder).
//
// Offset paging over a list that changes underneath (sweep.ts, isComplete): a total that moved during a
// whole read means an account may have slid onto a page already read, so the list is read again (up to
// MAX_PASSES in one run). One page (under 100 bans) cannot shift at all.
import { PAGE_LIMIT, type AccountsPage, type CadClient } from '../api/client';
import { callWithRetry, type RetryPolicy } from '../retry';
import type { Scheduler } from '../scheduler';
import { ACCOUNT_STATUS, type CachedAccount, type Clock, type TimerHandle } from '../types';
import { pagesOf, readDelta, wholeList, type ListPage } from './banned-list-delta';

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
  /** When the last run finished bringing what it knows of the list up to date (epoch ms), or null. */
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

  /** The list as last read (uuids in order), or null: read it whole. */
  let remembered: string[] | null = null;
  /** The page the next run re-reads in turn. */
  let check = 1;

  /** One page, every account handed to the intake. */
  const page = async (offset: number): Promise<ListPage> => {
    const answer = await callWithRetry(deps.scheduler, deps.clock, () => deps.client.getAccountsPage({ status: ACCOUNT_STATUS.banned, offset, limit: PAGE_LIMIT }), {
      priority: 'cadence',
      policy: WATCH_RETRY,
      cancelled: () => stopped,
      random: deps.random,
    });
    if (!stopped) for (const account of answer.accounts) deps.intake(account);
    return { total: answer.total, keys: keysOf(answer) };
  };

  /** Reads the list once; steady when its total held still from the first page to the last. */
  const pass = async (): Promise<{ steady: boolean; pages: number; keys: string[] }> => {
    let firstTotal: number | undefined;
    let steady = true;
    let pages = 0;
    const keys: string[] = [];
    for (let offset = 0; ; offset += PAGE_LIMIT) {
      const answer = await page(offset);
      pages += 1;
      if (stopped) return { steady, pages, keys };
      keys.push(...answer.keys);
      firstTotal ??= answer.total;
      if (answer.total !== firstTotal) steady = false;
      if (offset + PAGE_LIMIT >= answer.total || answer.keys.length === 0) return { steady, pages, keys };
    }
  };

  /** Reads the list whole (again while its total moves); returns the pages read. */
  const whole = async (): Promise<number> => {
    let pages = 0;
    for (let n = 1; n <= MAX_PASSES && !stopped; n++) {
      const read = await pass();
      pages += read.pages;
      remembered = wholeList(read.keys);
      check = 1;
      if (read.steady) break;
    }
    return pages;
  };

  const run = async () => {
    timer = null;
    const startedAt = clock.now();
    let pages = 1;
    if (deps.runsHere?.() === false) remembered = null; // another server watched meanwhile: start afresh
    else {
      reading = true;
      try {
        pages = 0;
        let readWhole = remembered === null;
        if (remembered !== null) {
          const delta = await readDelta(remembered, page, PAGE_LIMIT, check);
          pages += delta.pages;
          if (delta.kind === 'current') [remembered, check] = [delta.list, delta.checked];
          else readWhole = true;
        }
        if (readWhole && !stopped) pages += await whole();
        if (!stopped) lastRunAt = clock.now();
      } catch (err) {
        if (!stopped) deps.onFailed?.(err as Error);
      } finally {
        reading = false;
      }
    }
    if (stopped) return;
    const gap = Math.max(runEvery(deps.everyMs, remembered?.length ?? 0, deps.pacerMs), Math.max(1, pages) * deps.pacerMs * SHARE);
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

/**
 * How far apart runs start: so that a ban is read within about everyMs (a run starts, then finding the
 * page a new ban went to takes ceil(log2(pages)) + 2 calls at a third of the pacer), but no closer than
 * everyMs / 2. The caller also keeps P pages read followed by (SHARE - 1) × P free calls.
 */
export function runEvery(everyMs: number, listed: number, pacerMs: number): number {
  const findMs = (Math.ceil(Math.log2(pagesOf(listed, PAGE_LIMIT))) + 2) * pacerMs * SHARE;
  return Math.max(everyMs - findMs, everyMs / 2);
}

/**
 * A page's entries: uuids in order, then a key for each record without a readable uuid (their place is
 * not kept: a page holding one that moves makes the run read the list whole, as every run did before).
 */
function keysOf(answer: AccountsPage): string[] {
  return [...answer.accounts.map((a) => a.uuid), ...answer.unreadable.map((u) => `?${u.ids.join(' ')}|${u.username ?? ''}`)];
}
