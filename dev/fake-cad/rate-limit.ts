// Token buckets like an API gateway's: v1 refills per second with a small burst, v2 per minute.
export interface Bucket {
  /** Takes a token; when none is left, the seconds until one is. */
  take(): { ok: true } | { ok: false; retryAfterSeconds: number };
}

export function tokenBucket(capacity: number, refillPerMs: number, now: () => number): Bucket {
  let tokens = capacity;
  let last = now();
  return {
    take() {
      const t = now();
      tokens = Math.min(capacity, tokens + (t - last) * refillPerMs);
      last = t;
      if (tokens >= 1) {
        tokens -= 1;
        return { ok: true };
      }
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / refillPerMs / 1000)) };
    },
  };
}
