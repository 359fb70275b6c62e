// The core's Clock over FXServer's tick-driven timers.
import type { Clock } from '../core/types';

export const serverClock: Clock = {
  now: () => Date.now(),
  // process.hrtime: Node's monotonic clock, there in FXServer's runtime (no reliance on a `performance` global).
  monotonic: () => Number(process.hrtime.bigint()) / 1e6,
  setTimeout(fn, ms) {
    const timer = setTimeout(fn, Math.max(0, ms));
    return { cancel: () => clearTimeout(timer) };
  },
};
