// Observations travel between servers dated by the database's clock, and each server converts them to
// its own on the way in and out: servers whose clocks differ by seconds (or hours) still order one
// account's observations by when they happened, which merge.ts's rule (the newer one wins) relies on.
// The database's time is read at every poll (the state row carries it), to within the round trip of one
// query, and carried forward between polls by the monotonic clock, not the wall clock: a wall clock
// stepped between two polls (NTP stepping a fast clock, a VM restored) would otherwise date everything
// this server writes until the next poll by the size of the step (round 6 hole 1: a ban dated minutes in
// the past loses the newest-wins UPDATE). The offset to the local wall clock is taken at each conversion.
import type { CachedAccount, Clock } from '../types';

/** An observation dated later than this past the local clock is from a wrong clock: it counts as now. */
const FUTURE_SLACK_MS = 5_000;

export function sharedClock(clock: Clock) {
  /** Database time minus monotonic time (ms) at the last reading; null until measured. */
  let base: number | null = null;
  /** Database time minus local wall time (ms), now; 0 until measured. */
  const offset = () => (base === null ? 0 : base + clock.monotonic() - clock.now());
  /** Local time, never later than now (+ slack): a far-future stamp would win every merge for good. */
  const local = (sharedAt: number) => Math.min(sharedAt - offset(), clock.now() + FUTURE_SLACK_MS);
  const toShared = (localAt: number) => Math.min(localAt, clock.now() + FUTURE_SLACK_MS) + offset();
  return {
    /** Takes a reading: `sharedNow` answered by a query sent at `sentAt` (clock.monotonic()) and received now. */
    measured(sharedNow: number, sentAt: number) {
      base = sharedNow - (sentAt + clock.monotonic()) / 2;
    },
    toShared,
    toLocal: local,
    /** The account as another server's database row dates it. */
    accountToShared: (a: CachedAccount): CachedAccount => ({ ...a, observedAt: toShared(a.observedAt) }),
    accountToLocal: (a: CachedAccount, sharedAt = a.observedAt): CachedAccount => ({ ...a, observedAt: local(sharedAt) }),
  };
}

export type SharedClock = ReturnType<typeof sharedClock>;
