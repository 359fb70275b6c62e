// Work over 50,000 accounts, cut into slices of a few milliseconds with a yield to the event loop in
// between, so a sweep never stalls a server tick (FXServer warns of hitches; players feel them).
import type { Clock } from './types';

export interface Slicer {
  /** Calls `fn` for every item, yielding whenever the current slice has run for `sliceMs`. */
  each<T>(items: Iterable<T>, fn: (item: T) => void): Promise<void>;
}

/** Items between two looks at the time: reading a timer for each of 50,000 items would cost more than it saves. */
const CHECK_EVERY = 32;

/**
 * The injected clock's time: no reliance on a `performance` global the FXServer runtime may lack. 2 ms:
 * a whole millisecond clock lets a slice run up to 1 ms past it, and a 1,000-account sweep should never
 * hold the thread 3 ms (issue 23); more slices only make the swap finish a few ticks later.
 */
export function createSlicer(clock: Clock, sliceMs = 2, now: () => number = clock.now): Slicer {
  const pause = () => new Promise<void>((resolve) => clock.setTimeout(resolve, 0));
  return {
    async each(items, fn) {
      let started = now();
      let n = 0;
      for (const item of items) {
        fn(item);
        if (++n % CHECK_EVERY === 0 && now() - started >= sliceMs) {
          await pause();
          started = now();
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
