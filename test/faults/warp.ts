// Time at N× speed for fault tests: the refresher's real pacing, backoff, Retry-After and request
// timeouts all run, just N times faster. The fake CAD is given the same clock so its limiter agrees.
import type { Clock, HttpTransport } from '../../src/core/types';

export function warpClock(factor: number): Clock {
  const startedAt = Date.now();
  const realStart = performance.now();
  return {
    now: () => startedAt + (performance.now() - realStart) * factor,
    monotonic: () => (performance.now() - realStart) * factor,
    // Work takes real time however fast the clock runs: slices are cut by it (a 1 ms slice of warped time
    // was 1/factor ms of work, and a swap took thousands of yields, each a real ms: minutes of warped time).
    elapsed: () => performance.now(),
    setTimeout(fn, ms) {
      const timer = setTimeout(fn, Math.max(0, ms / factor));
      return { cancel: () => clearTimeout(timer) };
    },
  };
}

/** Request deadlines shrink by the same factor, so a hanging CAD times out in warped time. */
export function warpTransport(inner: HttpTransport, factor: number): HttpTransport {
  return { request: (req) => inner.request({ ...req, timeoutMs: req.timeoutMs / factor }) };
}
