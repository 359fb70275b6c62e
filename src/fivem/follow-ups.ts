// No forgotten miss: a player admitted without an answer (the CAD did not answer the connect lookup in
// time) keeps being resolved after admission, one background lookup at a time (the scheduler's lowest
// lane). When such players outnumber the calls of a sweep, one sweep is cheaper: it is pulled forward
// instead, so the calls spent are min(misses, pages). playerLinked fires when one becomes known.
// A server following another's sweeps (shared database) cannot pull one forward: a refresh there only
// loads what the holder published. It follows every miss up with a lookup.
import { sweepCalls as sweepCost, sweepIsCheaper } from '../core/cadences/sweep-or-lookups';
import { sleep } from '../core/retry';
import type { Context } from './context';
import type { PlayerEntry } from './players';
import type { PlayerLookup } from './player-lookup';

/**
 * How long one follow-up waits for its turn in the lowest lane (and for its answer) before it is queued
 * again; also how long a follow-up made needless by a sweep can keep its call alive.
 */
const FOLLOW_UP_DEADLINE_MS = 30_000;
/** Pause after a follow-up the CAD did not answer (outage, 429): the sweep's own retries go first. */
const RETRY_PAUSE_MS = 15_000;

export interface FollowUps {
  /** The connect gate admitted `entry` without an answer from the CAD. */
  missed(entry: PlayerEntry): void;
  /** Admitted without an answer and still unresolved: neither a follow-up nor a later sweep answered yet. */
  pending(entry: PlayerEntry): boolean;
  /** `listener` hears of each player a follow-up lookup answered "no account" for (an account found is an account change). */
  onNoAccount(listener: (entry: PlayerEntry) => void): void;
}

export function followUpMisses(ctx: Context, lookup: PlayerLookup): FollowUps {
  const { cache, players, config, log, clock } = ctx;
  /** Entry -> when it was missed; a sweep that started later has seen the CAD after it. */
  const misses = new Map<PlayerEntry, number>();
  let lastSweepCalls: number | null = null;
  let busy = false;
  /** One pulled-forward sweep per successful sweep: a failing CAD must not be swept in a loop. */
  let mayPull = true;
  const noAccountListeners: ((entry: PlayerEntry) => void)[] = [];
  /** A pulled refresh swept nothing (this server follows another's sweeps): follow every miss up instead. */
  let pullSweepsNothing = false;

  const stillMissing = (entry: PlayerEntry) => players.get(entry.id) === entry && entry.account === null;
  const prune = () => {
    for (const entry of misses.keys()) if (!stillMissing(entry)) misses.delete(entry);
  };
  /** Calls a full sweep costs: the last one's, or an estimate from the cache size. */
  const sweepCalls = () => sweepCost(lastSweepCalls, config.statuses.length, cache.info().accounts);

  /** True when a sweep will take care of the misses (one runs, or one was pulled forward now). */
  const sweepInstead = (): boolean => {
    prune();
    if (cache.info().refreshing) return true; // its end calls next()
    if (pullSweepsNothing || !sweepIsCheaper(misses.size, sweepCalls())) return false;
    if (!mayPull) return true; // the pulled sweep failed: the next regular sweep resumes this
    mayPull = false;
    log.debug(`${misses.size} players admitted without an answer outnumber a sweep's ${sweepCalls()} calls: sweeping now`);
    cache.refresh().then(
      (summary) => {
        if (!summary.shared) return;
        // Nothing was swept here (a follower): no sweep is coming that would see these misses.
        pullSweepsNothing = true;
        void next();
      },
      () => {
        /* reported through refreshFailed; the misses stay */
      },
    );
    return true;
  };

  const next = async () => {
    if (busy) return;
    busy = true;
    try {
      for (;;) {
        if (sweepInstead() || misses.size === 0) return;
        const [entry, missedAt] = misses.entries().next().value!;
        try {
          const found = await lookup.primary(entry, FOLLOW_UP_DEADLINE_MS, { priority: 'background' });
          if (!stillMissing(entry)) continue;
          if (found) players.assign(entry, found);
          else {
            misses.delete(entry); // the CAD answered: no account for this player
            for (const listener of noAccountListeners) listener(entry);
          }
        } catch {
          // Not answered: to the back of the line, and give the CAD a moment.
          if (misses.delete(entry)) misses.set(entry, missedAt);
          await sleep(clock, RETRY_PAUSE_MS);
        }
      }
    } finally {
      busy = false;
    }
  };

  cache.on('refreshed', (summary) => {
    // A version another server swept cost nothing here: it says nothing about what a sweep costs.
    if (!summary.shared) {
      lastSweepCalls = summary.calls;
      pullSweepsNothing = false;
    }
    mayPull = true;
    // When the CAD was read: for a shared version, when the holder's sweep began, not when it loaded here.
    const sweepStartedAt = summary.startedAt;
    // Registered after trackPlayers: found players already have their account. Those still without one
    // were missed before this sweep looked at the CAD: they have none.
    for (const [entry, missedAt] of misses) if (missedAt <= sweepStartedAt) misses.delete(entry);
    void next();
  });
  cache.on('refreshFailed', () => void next());

  return {
    missed(entry) {
      // The cache's clock: this is compared with the start of its sweeps.
      misses.set(entry, clock.now());
      if (!sweepInstead()) void next();
    },
    pending: (entry) => misses.has(entry) && stillMissing(entry),
    onNoAccount: (listener) => void noAccountListeners.push(listener),
  };
}
