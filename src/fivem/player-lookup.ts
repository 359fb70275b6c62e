// Single GET_ACCOUNT lookups for one player, outside the sweep. The cache coalesces them per ID, tries
// the ID forms the community stores, and runs them ahead of sweep pages through the shared scheduler.
// What the answer means for the player is standing.ts's rule over the cache, which the answer was merged
// into: an account found on one identifier does not hide a ban on another.
import type { LookupOptions } from '../core/negative-cache';
import type { CachedAccount } from '../core/types';
import type { Context } from './context';
import type { PlayerEntry } from './players';

export interface PlayerLookup {
  /** One lookup, for the player's most trusted identifier: what a connect can afford. Rejects if the CAD fails. */
  primary(entry: PlayerEntry, timeoutMs: number, options?: LookupOptions): Promise<CachedAccount | null>;
  /**
   * Every identifier at once, within one deadline: for refreshPlayer and sonorancad's link-verified
   * event, after a player linked an ID, so it skips the negative cache. Rejects only when the CAD
   * answered none of them.
   */
  thorough(entry: PlayerEntry, timeoutMs: number): Promise<CachedAccount | null>;
}

export function createPlayerLookup(ctx: Context): PlayerLookup {
  const { cache } = ctx;
  const settle = (entry: PlayerEntry, found: CachedAccount | null) => ctx.resolve(entry) ?? found;

  return {
    async primary(entry, timeoutMs, options) {
      const first = entry.identifiers[0];
      if (first === undefined) return null;
      return settle(entry, await cache.lookup(first, timeoutMs, options));
    },
    async thorough(entry, timeoutMs) {
      if (entry.identifiers.length === 0) return null;
      const answers = await Promise.allSettled(entry.identifiers.map((identifier) => cache.lookup(identifier, timeoutMs, { fresh: true })));
      const found = answers.find((a): a is PromiseFulfilledResult<CachedAccount> => a.status === 'fulfilled' && a.value !== null);
      if (!found && answers.every((a) => a.status === 'rejected')) throw (answers[0] as PromiseRejectedResult).reason;
      return settle(entry, found ? found.value : null);
    },
  };
}
