// Virtual time for the freshness rows: a clock whose timers fire in order as soon as nothing is in
// flight over HTTP, so an hour of sweeps at Sonoran's real pacing (v1 1 call/s, v2 10 calls/min) runs
// in seconds while every call still crosses real HTTP to the fake CAD (which is given the same clock,
// so its rate limiter judges in the same time and would answer 429 to a pacer that cheated).
import type { Clock, HttpTransport } from '../src/core/types';

interface Timer {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

export function virtualTime(start = Date.UTC(2026, 0, 1)) {
  let now = start;
  let seq = 0;
  let inFlight = 0;
  const timers: Timer[] = [];
  const macrotask = () => new Promise<void>((resolve) => setImmediate(resolve));

  const clock: Clock = {
    now: () => now,
    monotonic: () => now,
    setTimeout(fn, ms) {
      const t: Timer = { at: now + Math.max(0, ms), seq: seq++, fn, cancelled: false };
      timers.push(t);
      return { cancel: () => void (t.cancelled = true) };
    },
  };

  return {
    clock,
    now: () => now,
    /** Counts requests in flight: virtual time stands still while one is. */
    transport(inner: HttpTransport): HttpTransport {
      return {
        async request(req) {
          inFlight += 1;
          try {
            return await inner.request(req);
          } finally {
            inFlight -= 1;
          }
        },
      };
    },
    /** Runs timers in order until `until` (virtual ms) or `done()`; real I/O settles between timers. */
    async runUntil(until: number, done: () => boolean = () => false): Promise<void> {
      for (;;) {
        do await macrotask();
        while (inFlight > 0);
        await macrotask();
        if (done()) return;
        let next: Timer | undefined;
        for (const t of timers) if (!t.cancelled && (!next || t.at < next.at || (t.at === next.at && t.seq < next.seq))) next = t;
        if (!next || next.at > until) {
          now = Math.max(now, until);
          return;
        }
        timers.splice(timers.indexOf(next), 1);
        now = next.at;
        next.fn();
      }
    },
    pending: () => timers.filter((t) => !t.cancelled).length,
  };
}
