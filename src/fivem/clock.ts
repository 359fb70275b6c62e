// The core's Clock over FXServer's tick-driven timers.
import type { Clock } from '../core/types';

export const serverClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    const timer = setTimeout(fn, Math.max(0, ms));
    return { cancel: () => clearTimeout(timer) };
  },
};
