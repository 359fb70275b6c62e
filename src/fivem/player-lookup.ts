// Single GET_ACCOUNT lookups for one player, outside the sweep. The cache coalesces them per ID and
// runs them ahead of sweep pages through the shared rate scheduler.
import type { LookupOptions } from '../core/negative-cache';
import type { CachedAccount } from '../core/types';
import type { Context } from './context';
import { bareValue } from './identifiers';
import type { PlayerEntry } from './players';

export interface PlayerLookup {
  /** One call, for the player's most trusted identifier: what a connect can afford. Rejects if the CAD fails. */
  primary(entry: PlayerEntry, timeoutMs: number, options?: LookupOptions): Promise<CachedAccount | null>;
  /**
   * Every identifier in order until one is linked: for refreshPlayer and sonorancad's link-verified
   * event, after a player linked an ID, so it skips the negative cache.
   */
  thorough(entry: PlayerEntry, timeoutMs: number): Promise<CachedAccount | null>;
}

export function createPlayerLookup(ctx: Context): PlayerLookup {
  const { cache } = ctx;
  const settle = (entry: PlayerEntry, found: CachedAccount | null) => found ?? ctx.resolve(entry);

  return {
    async primary(entry, timeoutMs, options) {
      const first = entry.identifiers[0];
      if (first === undefined) return null;
      return settle(entry, await cache.lookup(bareValue(first), timeoutMs, options));
    },
    async thorough(entry, timeoutMs) {
      for (const identifier of entry.identifiers) {
        const found = await cache.lookup(bareValue(identifier), timeoutMs, { fresh: true });
        if (found) return settle(entry, found);
      }
      return settle(entry, null);
    },
  };
}
