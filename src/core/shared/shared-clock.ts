// Observations travel between servers dated by the database's clock, and each server converts them to
// its own on the way in and out: servers whose clocks differ by seconds (or hours) still order one
// account's observations by when they happened, which merge.ts's rule (the newer one wins) relies on.
// The offset is measured at every poll (the state row carries the database's time), to within the
// round trip of one query.
import type { CachedAccount, Clock } from '../types';

/** An observation dated later than this past the local clock is from a wrong clock: it counts as now. */
const FUTURE_SLACK_MS = 5_000;

export function sharedClock(clock: Clock) {
  /** Database time minus local time (ms); 0 until measured. */
  let offset = 0;
  /** Local time, never later than now (+ slack): a far-future stamp would win every merge for good. */
  const local = (sharedAt: number) => Math.min(sharedAt - offset, clock.now() + FUTURE_SLACK_MS);
  return {
    /** Takes a reading: `sharedNow` answered by a query sent at `sentAt` (local) and received now. */
    measured(sharedNow: number, sentAt: number) {
      offset = sharedNow - (sentAt + clock.now()) / 2;
    },
    toShared: (localAt: number) => Math.min(localAt, clock.now() + FUTURE_SLACK_MS) + offset,
    toLocal: local,
    /** The account as another server's database row dates it. */
    accountToShared: (a: CachedAccount): CachedAccount => ({ ...a, observedAt: Math.min(a.observedAt, clock.now() + FUTURE_SLACK_MS) + offset }),
    accountToLocal: (a: CachedAccount, sharedAt = a.observedAt): CachedAccount => ({ ...a, observedAt: local(sharedAt) }),
  };
}

export type SharedClock = ReturnType<typeof sharedClock>;
