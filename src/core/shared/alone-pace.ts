// A server that runs alone (the database down or refusing it) has no shared budget, but the servers it
// last saw in the roster very likely still share the key: it takes its share of the rate, one call per
// `servers` intervals, so together they stay within the key's limit instead of each spending all of it.
// A 429 while alone says the key is spent faster than that (another server alone counted fewer servers,
// another resource uses the same key): besides the CAD's pause, this server halves its own rate, down to
// 1/MAX_SLOWDOWN of its share, and takes one step back every RECOVER_MS without a 429.

/** The most a run of 429s slows a server alone: 1/8 of its share. */
const MAX_SLOWDOWN = 8;
/** Without a 429 for this long, a slowed server doubles its rate again (one step). */
const RECOVER_MS = 5 * 60_000;

export function alonePace(intervalMs: number) {
  let servers = 1;
  let nextAt = 0;
  /** This server's rate is 1/slowdown of its share; since when the last 429 or step back. */
  let slowdown = 1;
  let slowSince = 0;
  /** The CAD's pause of the last 429 counted: 429s of calls already on their way are the same overrun. */
  let pausedUntil = -Infinity;

  const recover = (now: number) => {
    while (slowdown > 1 && now - slowSince >= RECOVER_MS) {
      slowdown /= 2;
      slowSince += RECOVER_MS;
    }
  };
  return {
    /** The roster's count at the last check-in (this server included). */
    seen(count: number) {
      servers = Math.max(1, Math.floor(count));
    },
    servers: () => servers,
    /** 1 at the full share; 2, 4 or 8 after 429s. */
    slowdown: (now: number) => (recover(now), slowdown),
    /**
     * The CAD answered 429 (it asked for a pause until `until`). True when this slowed the server down
     * (a new overrun), false for one more 429 of calls already on their way.
     */
    rateLimited(now: number, until: number): boolean {
      if (now < pausedUntil) return false;
      pausedUntil = until;
      recover(now);
      slowdown = Math.min(MAX_SLOWDOWN, slowdown * 2);
      slowSince = now;
      return true;
    },
    /** The scheduler's permit while alone: 0 to go (spent), else the ms to wait. */
    permit(now: number): number {
      recover(now);
      const every = intervalMs * servers * slowdown;
      if (every <= intervalMs) return 0; // the scheduler's own pacing is enough
      if (now < nextAt) return nextAt - now;
      nextAt = now + every;
      return 0;
    },
  };
}

export type AlonePace = ReturnType<typeof alonePace>;
