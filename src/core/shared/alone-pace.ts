// A server that runs alone (the database down or refusing it) has no shared budget, but the servers it
// last saw in the roster very likely still share the key: it takes its share of the rate, one call per
// `servers` intervals, so together they stay within the key's limit instead of each spending all of it.
export function alonePace(intervalMs: number) {
  let servers = 1;
  let nextAt = 0;
  return {
    /** The roster's count at the last check-in (this server included). */
    seen(count: number) {
      servers = Math.max(1, Math.floor(count));
    },
    servers: () => servers,
    /** The scheduler's permit while alone: 0 to go (spent), else the ms to wait. */
    permit(now: number): number {
      if (servers <= 1) return 0;
      if (now < nextAt) return nextAt - now;
      nextAt = now + intervalMs * servers;
      return 0;
    },
  };
}

export type AlonePace = ReturnType<typeof alonePace>;
