// Everything a FiveM feature module needs, built once in server.ts.
import type { Config } from '../core/config';
import type { AccountCache, CachedAccount, Logger } from '../core/types';
import type { FxHost } from './host';
import type { Translate } from './locale';
import type { PlayerEntry, PlayerRegistry } from './players';

export interface Context {
  host: FxHost;
  config: Config;
  cache: AccountCache;
  players: PlayerRegistry;
  log: Logger;
  t: Translate;
  /** Identifier types in lookup order (identifierOrder()). */
  identifierTypes: string[];
  /** The account a player's identifiers map to in the cache right now. */
  resolve(entry: PlayerEntry): CachedAccount | null;
}
