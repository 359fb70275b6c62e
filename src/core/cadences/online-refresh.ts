// Online players first: the accounts of players who are online are kept at most onlineRefreshMinutes
// old. Every check, the online accounts not observed for that long are looked up one by one (the most
// stale first) in the scheduler's cadence lane, at most one call in SPACING of the pacer's, so the
// refresh only ever takes a bounded share of the calls the sweep and connects leave. Where one sweep
// costs fewer calls than looking up every online account (a small community), the sweep is pulled
// forward instead (sweep-or-lookups.ts, the choice follow-ups make too). A lookup's answer goes through
// the refresher's own lookup path, so it is merged by merge.ts and fires accountChanged like any other.
// Shared mode: the lease holder runs it for the whole community, over its own online players and the
// accounts the other servers published as online (`elsewhere`); its answers reach them as shared lookups.
import type { AccountCache, CachedAccount, Clock, TimerHandle } from '../types';
import { sweepCalls, sweepIsCheaper } from './sweep-or-lookups';

/** Lookups start at most one in this many of the pacer's calls. */
const SPACING = 2;
/** How often the online accounts are surveyed when nothing is due (at most; a quarter of the period if shorter). */
const CHECK_MS = 15_000;
/** One refresh lookup waits this long for its turn and answer before it is given up (and retried next period). */
const LOOKUP_DEADLINE_MS = 60_000;

export interface OnlineRefreshDeps {
  /** freshness.onlineRefreshMinutes in ms (> 0). */
  everyMs: number;
  pacerMs: number;
  clock: Clock;
  /** Statuses a sweep reads (for the estimate of a sweep's calls before the first one). */
  statuses: number;
  /** Each online player's identifiers, in lookup order. */
  online: () => Iterable<readonly string[]>;
  cache: Pick<AccountCache, 'standing' | 'find' | 'lookup' | 'refresh' | 'info' | 'on'>;
  /** The accounts (uuids, lower case) online on the community's other servers: refreshed here too (shared mode, the lease holder). */
  elsewhere?: () => Iterable<string>;
  /** False while another server runs the refresh for the community (shared mode). */
  runsHere?: () => boolean;
  /** True while the ban watch reads the banned list: its pages go first (a ban matters more than a revoke). */
  yieldTo?: () => boolean;
}

interface Due {
  account: CachedAccount;
  /** The player's identifier that reaches the account (or, for another server's player, a key of the account's own): the one to look up. */
  identifier: string;
}

/**
 * The key to look up an account held here by (another server's player: only its uuid was shared): one of
 * its own IDs (v1 API IDs, v2 communityUserId) that leads to it, best one that leads to it alone.
 */
function keyOf(account: CachedAccount, cache: Pick<AccountCache, 'standing'>): string | undefined {
  const keys = account.communityUserId === null ? account.apiIds : [account.communityUserId, ...account.apiIds];
  let reaching: string | undefined;
  for (const key of keys) {
    const reached = cache.standing([key]).reached;
    if (!reached.includes(account)) continue;
    if (reached.length === 1) return key;
    reaching ??= key;
  }
  return reaching;
}

export interface OnlineRefresh {
  stop(): void;
}

export function startOnlineRefresh(deps: OnlineRefreshDeps): OnlineRefresh {
  const { clock, cache } = deps;
  const checkMs = Math.min(CHECK_MS, deps.everyMs / 4);
  /** uuid -> when it was last looked up here: an account a lookup did not renew is not asked again in a loop. */
  const asked = new Map<string, number>();
  let lastSweepCalls: number | null = null;
  /**
   * No pull before this (ms): one pulled-forward sweep per successful sweep, or per period when it failed
   * (a failing CAD is not swept in a loop; a sweep refused because the lists moved is tried again).
   */
  let pullAfter = 0;
  let timer: TimerHandle | null = null;
  let stopped = false;

  cache.on('refreshed', (summary) => {
    if (summary.calls > 0) lastSweepCalls = summary.calls;
    pullAfter = 0;
  });

  /** The online accounts (one per player: the one that stands for them) and those due, most stale first. */
  const survey = (): { accounts: number; due: Due[] } => {
    const now = clock.now();
    const seen = new Set<string>();
    const due: Due[] = [];
    for (const identifiers of deps.online()) {
      const account = cache.standing(identifiers).account;
      if (account === null || seen.has(account.uuid)) continue;
      seen.add(account.uuid);
      if (now - account.observedAt < deps.everyMs || (asked.get(account.uuid) ?? -Infinity) > now - deps.everyMs) continue;
      const identifier = identifiers.find((id) => cache.standing([id]).reached.includes(account));
      if (identifier !== undefined) due.push({ account, identifier });
    }
    for (const uuid of deps.elsewhere?.() ?? []) {
      const account = cache.find(uuid);
      // Not held here (yet): the server that has the player online holds it, and its lookups are shared.
      if (account === undefined || account.uuid.toLowerCase() !== uuid || seen.has(account.uuid)) continue;
      seen.add(account.uuid);
      if (now - account.observedAt < deps.everyMs || (asked.get(account.uuid) ?? -Infinity) > now - deps.everyMs) continue;
      const identifier = keyOf(account, cache);
      if (identifier !== undefined) due.push({ account, identifier });
    }
    for (const uuid of asked.keys()) if (!seen.has(uuid)) asked.delete(uuid);
    due.sort((a, b) => a.account.observedAt - b.account.observedAt);
    return { accounts: seen.size, due };
  };

  const check = async () => {
    timer = null;
    let wait = checkMs;
    const info = cache.info();
    if (deps.yieldTo?.()) wait = deps.pacerMs;
    else if (deps.runsHere?.() !== false && info.ready) {
      const { accounts, due } = survey();
      const bySweep = sweepIsCheaper(accounts, sweepCalls(lastSweepCalls, deps.statuses, info.accounts));
      if (due.length > 0 && bySweep && !info.refreshing && clock.now() >= pullAfter) {
        pullAfter = clock.now() + deps.everyMs;
        cache.refresh().catch(() => {
          /* reported through refreshFailed; the next successful sweep allows another pull */
        });
      } else if (due.length > 0 && !bySweep) {
        const { account, identifier } = due[0]!;
        const startedAt = clock.now();
        asked.set(account.uuid, startedAt);
        await cache.lookup(identifier, LOOKUP_DEADLINE_MS, { fresh: true, priority: 'cadence' }).catch(() => {
          /* the CAD did not answer: asked again next period */
        });
        wait = due.length > 1 ? Math.max(0, startedAt + SPACING * deps.pacerMs - clock.now()) : checkMs;
      }
    }
    if (!stopped) timer = clock.setTimeout(() => void check(), wait);
  };

  timer = clock.setTimeout(() => void check(), checkMs);
  return {
    stop() {
      stopped = true;
      timer?.cancel();
      timer = null;
    },
  };
}
