// Work over 50,000 accounts, cut into slices of a few milliseconds with a yield to the event loop in
// between, so a sweep never stalls a server tick (FXServer warns of hitches; players feel them).
import type { Clock } from './types';

export interface Slicer {
  /** Calls `fn` for every item, yielding whenever the current slice has run for `sliceMs`. */
  each<T>(items: Iterable<T>, fn: (item: T) => void): Promise<void>;
}

/**
 * How long (ms) items run between two looks at the clock, and at most how many: an item of cold code (the
 * first sweep after a start, still interpreted) can take 50 us, a warm one well under 1 us. Every 32 items
 * alone let a slice of cold items run a millisecond and more past its end; reading the clock after each of
 * 50,000 warm items would cost more than it saves.
 */
const LOOK_EVERY_MS = 0.1;
const MAX_BATCH = 32;

/**
 * 1 ms of work, then a yield. Timed by the clock's elapsed() (real time, its monotonic clock unless it
 * runs faster than that): sub-millisecond (the wall clock's whole milliseconds made a slice last anywhere
 * from 1 to 2 ms) and never stepped back by NTP mid-slice. A 1,000-account
 * sweep should never hold the thread 3 ms (issue 23), and a young-generation GC of the sweep's objects
 * (1-3 ms) can land inside any slice; more slices only make the swap finish a few ticks later.
 */
export function createSlicer(clock: Clock, sliceMs = 1, now: () => number = clock.elapsed ?? clock.monotonic): Slicer {
  const pause = () => new Promise<void>((resolve) => clock.setTimeout(resolve, 0));
  return {
    async each(items, fn) {
      let started = now();
      let looked = started;
      let batch = 1;
      let n = 0;
      for (const item of items) {
        fn(item);
        if (++n < batch) continue;
        n = 0;
        const at = now();
        // As many items until the next look as took LOOK_EVERY_MS at the pace of the last ones.
        batch = Math.max(1, Math.min(MAX_BATCH, Math.floor((batch * LOOK_EVERY_MS) / Math.max(at - looked, 0.001))));
        looked = at;
        if (at - started >= sliceMs) {
          await pause();
          started = looked = now();
        }
      }
    },
  };
}

/** Everything at once: for callers with nothing to share the thread with (tests, tools). */
export const unsliced: Slicer = {
  async each(items, fn) {
    for (const item of items) fn(item);
  },
};

/** The slots of a store (account-store.ts) to walk with a Slicer; one added meanwhile is visited too (as a Map's iterator does). */
export function* slots(store: { readonly size: number }): Generator<number, undefined> {
  for (let slot = 0; slot < store.size; slot++) yield slot;
  return undefined;
}
