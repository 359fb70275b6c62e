// The ban watch in shared mode. The lease holder runs it with its own `freshness` settings, which are
// not part of the share identity: a holder with the watch off (or slower) would leave every follower
// without one. So every run that read the whole banned list, any server's, is noted in the database
// (store.noteBanWatch), and a follower whose own `banWatchSeconds` have passed since the last noted run
// (plus two polls and a little, the time it takes to hear of one) runs the watch itself, through its
// own scheduler and intake; its run is noted in turn, so the other followers skip theirs. With the
// holder watching at least as often, followers read no banned list.
import type { Clock } from '../types';

/** Beyond two polls: a run's own length and the timers' drift. */
const SLACK_MS = 2000;

export function sharedWatch(deps: { clock: Clock; everyMs: number; pollMs: number }) {
  /** The last run any server noted (local clock), as of the last poll; undefined before the first. */
  let lastRun: number | null | undefined;
  /** This server's last run already noted (local clock). */
  let noted: number | null = null;
  return {
    /** Read at each poll (converted to the local clock). */
    heard(at: number | null) {
      lastRun = at === null ? (noted ?? null) : Math.max(at, noted ?? -Infinity);
    },
    /** This server's last run (cache.info().banWatchAt) when it is not noted yet, else null. */
    unnoted: (ranAt: number | null) => (ranAt !== null && ranAt !== noted ? ranAt : null),
    noted(ranAt: number) {
      noted = ranAt;
      lastRun = Math.max(ranAt, lastRun ?? -Infinity);
    },
    /** True when this server, following, should run its own watch now. */
    due(): boolean {
      if (deps.everyMs <= 0 || lastRun === undefined) return false;
      return lastRun === null || deps.clock.now() - lastRun > deps.everyMs + 2 * deps.pollMs + SLACK_MS;
    },
  };
}
