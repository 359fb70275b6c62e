// A sweep the CAD rate-limited past its retries is kept, and the next sweep goes on from the page it
// reached: servers on one key without a shared budget (the database down, a main and a whitelist
// server) meet 429s as a matter of course, and throwing every page read so far away left a server that
// never completed a sweep, so never saw a new ban. Kept only a while: pages read long ago are stale.
import { asCadError } from './api/errors';
import { newSweepState, type SweepMap, type SweepState } from './sweep';
import type { Clock } from './types';

export function sweepResumer(clock: Clock, maxAgeMs: number) {
  let kept: { state: SweepState; at: number } | null = null;
  return {
    /** The kept sweep when there is one young enough, else a new one beginning at `stamp` (reading into `accounts()`). */
    begin(stamp: number, accounts?: () => SweepMap): SweepState {
      const resumed = kept !== null && clock.now() - kept.at < maxAgeMs ? kept.state : null;
      kept = null;
      return resumed ?? newSweepState(stamp, accounts?.());
    },
    failed(state: SweepState, thrown: unknown) {
      if (asCadError(thrown).kind === 'rateLimited') kept = { state, at: clock.now() };
    },
    /** True while a rate-limited sweep waits to be resumed. */
    pending: () => kept !== null,
  };
}
