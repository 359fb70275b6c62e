// The min-calls choice between single lookups and one full sweep, for everything that must bring several
// accounts up to date (follow-ups of players admitted without an answer, the online refresh): a sweep
// sees every account, so when the lookups needed outnumber its calls, one sweep is the cheaper way.

/** Accounts per page of a sweep (api/client.ts PAGE_LIMIT). */
const PAGE = 100;

/** Calls a full sweep costs: the last one's, or before any an estimate from the statuses and the cache size. */
export function sweepCalls(lastSweepCalls: number | null, statuses: number, accounts: number): number {
  return lastSweepCalls ?? statuses + Math.ceil(accounts / PAGE);
}

/** True when `lookups` single lookups cost more calls than one sweep. */
export function sweepIsCheaper(lookups: number, sweepCost: number): boolean {
  return lookups > sweepCost;
}
