// A shared version as one more source of observations: the accounts the holder's sweep listed, dated
// as it observed them, plus every lookup answer written since that sweep began. The refresher merges
// it like its own sweep: accounts observed here after the version's sweep began stay (merge.ts's rule),
// so a version never erases a newer observation (a ban this server found, another server's lookup).
import { newest } from '../merge';
import { noOddRecords } from '../odd-records';
import type { SweepResult } from '../sweep';
import type { CachedAccount, Logger } from '../types';
import type { LookupSharing } from './lookup-sharing';
import type { SharedClock } from './shared-clock';
import type { LoadedVersion } from './store';

export interface LoadedInfo {
  id: number;
  /** When its sweep began (database clock). */
  startedAt: number;
  createdAt: number;
}

export function versionSource(deps: { clock: SharedClock; lookups: LookupSharing; log: Logger }) {
  const { clock, lookups, log } = deps;
  let loaded: LoadedInfo | null = null;
  return {
    loaded: () => loaded,
    noteLoaded(info: LoadedInfo) {
      loaded = info;
    },
    /**
     * The version as a refresh's accounts, or 'unchanged' when it is the one loaded, or older than this
     * server's own last sweep (`ownSweptAt`, local clock): then only its lookups are merged.
     */
    read(version: LoadedVersion | null, ownSweptAt: number | null): SweepResult | 'unchanged' {
      if (!version || version.info.id === loaded?.id) return 'unchanged';
      const { id, startedAt, createdAt } = version.info;
      loaded = { id, startedAt, createdAt };
      if (ownSweptAt !== null && clock.toLocal(startedAt) < ownSweptAt) {
        // Older than this server's own last sweep (run while the database was away): serving its accounts
        // would bring back what that sweep no longer listed. Its lookups are news all the same.
        lookups.takeAll(version.lookups, version.lookupSeq);
        log.info(`shared version ${id} is older than this server's own last sweep; merged its lookups, keeping its own sweep until a newer one`);
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
