// A shared version as one more source of observations: the accounts the holder's sweep listed, dated
// as it observed them, plus every lookup answer written since that sweep began. The refresher merges
// it like its own sweep: accounts observed here after the version's sweep began stay (merge.ts's rule),
// so a version never erases a newer observation (a ban this server found, another server's lookup).
import { newest } from '../merge';
import { noOddRecords } from '../odd-records';
import type { SweepResult } from '../sweep';
import { ACCOUNT_STATUS, type CachedAccount, type Logger } from '../types';
import type { LookupSharing } from './lookup-sharing';
import type { SharedClock } from './shared-clock';
import type { LoadedVersion } from './store';

export interface LoadedInfo {
  id: number;
  /** When its sweep began (database clock). */
  startedAt: number;
  createdAt: number;
}

export interface VersionSourceDeps {
  clock: SharedClock;
  lookups: LookupSharing;
  log: Logger;
  /** Merges one observation into this server's cache (merge.ts's rule). */
  absorb: (account: CachedAccount) => void;
}

export function versionSource(deps: VersionSourceDeps) {
  const { clock, lookups, log } = deps;
  let loaded: LoadedInfo | null = null;
  /**
   * A version whose sweep began before this server's own last sweep (run while the database was away).
   * Loading it whole would bring back what that sweep no longer listed; dropping it would lose what its
   * pages read after that sweep (a ban found by a slow page). So each account goes through merge.ts's
   * rule like any other observation: those observed since this server's own sweep began (newer than
   * anything that sweep held or dropped), and every ban (bans are enforced from every observation, old
   * ones included; one older than what this server holds of that account loses there). Its lookups too.
   */
  const older = (version: LoadedVersion, ownSweptAt: number): number => {
    let merged = 0;
    for (const shared of version.accounts) {
      const account = clock.accountToLocal(shared);
      if (account.status !== ACCOUNT_STATUS.banned && account.observedAt < ownSweptAt) continue;
      deps.absorb(account);
      merged++;
    }
    lookups.takeAll(version.lookups, version.lookupSeq);
    return merged;
  };
  return {
    loaded: () => loaded,
    noteLoaded(info: LoadedInfo) {
      loaded = info;
    },
    /**
     * The version as a refresh's accounts, or 'unchanged' when it is the one loaded, or when its sweep
     * began before this server's own last sweep (`ownSweptAt`, local clock): then it is merged account by
     * account instead of loaded whole (see older()).
     */
    read(version: LoadedVersion | null, ownSweptAt: number | null): SweepResult | 'unchanged' {
      if (!version || version.info.id === loaded?.id) return 'unchanged';
      const { id, startedAt, createdAt } = version.info;
      loaded = { id, startedAt, createdAt };
      if (ownSweptAt !== null && clock.toLocal(startedAt) < ownSweptAt) {
        const merged = older(version, ownSweptAt);
        log.info(`shared version ${id} is older than this server's own last sweep; merged ${merged} of its accounts (its bans, and those observed since that sweep began) by the merge rule, keeping its own sweep until a newer one`);
        return 'unchanged';
      }
      const accounts = new Map<string, CachedAccount>();
      for (const account of version.accounts) accounts.set(account.uuid, clock.accountToLocal(account));
      for (const seen of version.lookups) {
        const observed = clock.accountToLocal(seen.account, seen.observedAt);
        const held = accounts.get(observed.uuid);
        accounts.set(observed.uuid, held ? newest(held, observed) : observed);
      }
      lookups.takeAll([], version.lookupSeq);
      log.info(`loaded shared version ${id}: ${version.accounts.length} accounts, swept by another server`);
      // What the holder's sweep read tolerantly stays its business: the version holds what it kept.
      return { accounts, byStatus: version.info.byStatus, calls: 0, odd: noOddRecords(), startedAt: clock.toLocal(startedAt), shared: true };
    },
  };
}
