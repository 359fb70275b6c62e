// Single GET_ACCOUNT lookups for one player, outside the sweep. The cache coalesces them per ID and
// runs them ahead of sweep pages through the shared rate scheduler.
import type { CachedAccount } from '../core/types';
import type { Context } from './context';
import { bareValue } from './identifiers';
import type { PlayerEntry } from './players';

export interface PlayerLookup {
  /** One call, for the player's most trusted identifier: what a connect can afford. Rejects if the CAD fails. */
  primary(entry: PlayerEntry, timeoutMs: number): Promise<CachedAccount | null>;
  /** Every identifier in order until one is linked: for refreshPlayer, after a player linked an ID. */
  thorough(entry: PlayerEntry, timeoutMs: number): Promise<CachedAccount | null>;
}

export function createPlayerLookup(ctx: Context): PlayerLookup {
  const { cache } = ctx;
  const settle = (entry: PlayerEntry, found: CachedAccount | null) => found ?? ctx.resolve(entry);

  return {
    async primary(entry, timeoutMs) {
      const first = entry.identifiers[0];
      if (first === undefined) return null;
      return settle(entry, await cache.lookup(bareValue(first), timeoutMs));
    },
    async thorough(entry, timeoutMs) {
      for (const identifier of entry.identifiers) {
        const found = await cache.lookup(bareValue(identifier), timeoutMs);
        if (found) return settle(entry, found);
      }
      return settle(entry, null);
    },
  };
}
