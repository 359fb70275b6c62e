// The refresher's cadences besides the full sweep (which account-cache.ts runs): the ban watch and the
// online refresh. Each asks the one scheduler for calls and hands what it reads to the one intake.
// Started once the refresher starts syncing; each is off when its freshness.* setting is 0.
import type { CadClient } from '../api/client';
import type { Config } from '../config';
import { intervalFor, type Scheduler } from '../scheduler';
import type { AccountCache, CachedAccount, Clock, Logger } from '../types';
import { startBanWatch, type BanWatch } from './ban-watch';
import { startOnlineRefresh, type OnlineRefresh } from './online-refresh';

export interface CadenceDeps {
  config: Config;
  client: CadClient;
  scheduler: Scheduler;
  clock: Clock;
  random: () => number;
  log: Logger;
  /** The refresher's intake: one observation, merged by merge.ts. */
  intake: (account: CachedAccount) => void;
  /** False while another server runs the ban watch and the online refresh for the community (shared mode). */
  runsHere?: () => boolean;
  /** For the ban watch, when it differs from runsHere (shared mode: a follower whose own period passed). */
  watchRunsHere?: () => boolean;
  /** The refresher itself: the online refresh looks up through it and pulls its sweep forward. */
  cache: Pick<AccountCache, 'standing' | 'find' | 'lookup' | 'refresh' | 'info' | 'on'>;
  /** Each online player's identifiers; without it there is no online refresh. */
  online?: () => Iterable<readonly string[]>;
  /** The accounts (uuids) online on the community's other servers (shared mode, on the lease holder). */
  elsewhere?: () => Iterable<string>;
}

export interface Cadences {
  /** When the ban watch last finished a run over the banned list, or null (never, or off). */
  banWatchAt(): number | null;
  stop(): void;
}

export function startCadences(deps: CadenceDeps): Cadences {
  const { config, log } = deps;
  const pacerMs = intervalFor(config.apiVersion, config.rateLimit);
  const watch: BanWatch | null =
    config.freshness.banWatchSeconds > 0
      ? startBanWatch({
          ...deps,
          runsHere: deps.watchRunsHere ?? deps.runsHere,
          everyMs: config.freshness.banWatchSeconds * 1000,
          pacerMs,
          onFailed: (err) => log.debug(`ban watch: could not read the banned list (${err.message}); next try in ${config.freshness.banWatchSeconds} s`),
        })
      : null;
  const online: OnlineRefresh | null =
    config.freshness.onlineRefreshMinutes > 0 && deps.online
      ? startOnlineRefresh({
          everyMs: config.freshness.onlineRefreshMinutes * 60_000,
          pacerMs,
          clock: deps.clock,
          statuses: config.statuses.length,
          online: deps.online,
          cache: deps.cache,
          // Shared mode: the lease holder refreshes the online players of every server (they publish their
          // accounts through the database); a follower spends no call on it. Alone, every server its own.
          runsHere: deps.runsHere,
          elsewhere: deps.elsewhere,
          yieldTo: () => watch?.reading() ?? false,
        })
      : null;
  return {
    banWatchAt: () => watch?.lastRunAt() ?? null,
    stop() {
      watch?.stop();
      online?.stop();
    },
  };
}
