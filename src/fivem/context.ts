// Everything a FiveM feature module needs, built once in server.ts.
import type { Config } from '../core/config';
import type { AccountCache, CachedAccount, Clock, Logger } from '../core/types';
import type { FxHost } from './host';
import type { Translate } from './locale';
import type { PlayerEntry, PlayerRegistry } from './players';

export interface Context {
  host: FxHost;
  config: Config;
  cache: AccountCache;
  players: PlayerRegistry;
  log: Logger;
  /** The cache's clock (start.ts's World in tests): times compared with the cache's must come from it. */
  clock: Clock;
  t: Translate;
  /** Identifier types in lookup order (identifierOrder()). */
  identifierTypes: string[];
  /**
   * The account that stands for the player in the cache right now (core/standing.ts): a banned one when
   * any of their identifiers leads to one, else the first active one in identifier order.
   */
  resolve(entry: PlayerEntry): CachedAccount | null;
}
