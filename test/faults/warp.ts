// Time at N× speed for fault tests: the refresher's real pacing, backoff, Retry-After and request
// timeouts all run, just N times faster. The fake CAD is given the same clock so its limiter agrees.
import type { Clock, HttpTransport } from '../../src/core/types';

export function warpClock(factor: number): Clock {
  const startedAt = Date.now();
  const realStart = performance.now();
  return {
    now: () => startedAt + (performance.now() - realStart) * factor,
    monotonic: () => (performance.now() - realStart) * factor,
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
