// What servers of one community share, whatever holds it: the MySQL/MariaDB tables (mysql-store.ts)
// or memory (memory-store.ts, for tests and as the executable model). test/shared/store-contract.ts
// is the one suite every backend passes, so a second backend cannot drift from the first.
import type { CachedAccount } from '../types';

export interface LeaseState {
  /** True when `holder` (the caller) holds the lease after this call. */
  held: boolean;
  holder: string;
  /** Fencing token: grows by one every time the lease changes hands; writes carry it. */
  token: number;
}

export interface VersionInfo {
  id: number;
  /** When the sweep that produced it began (database clock, ms): older lookup answers are in it. */
  startedAt: number;
  createdAt: number;
  accounts: number;
  byStatus: Record<string, number>;
}

/** A single lookup's answer some server wrote, with when it was observed (database clock). */
export interface ObservedAccount {
  account: CachedAccount;
  observedAt: number;
  seq: number;
}

export interface LoadedVersion {
  info: VersionInfo;
  accounts: CachedAccount[];
  /** Lookup answers newer than the version's sweep, and the sequence number they reach. */
  lookups: ObservedAccount[];
  lookupSeq: number;
}

/** The small row followers poll: only a change of `version` or `lookupSeq` means anything to load. */
export interface SharedState {
  version: number | null;
  lookupSeq: number;
  /** When the current version's sweep began (database clock), or null with no current version. */
  versionStartedAt: number | null;
  now: number;
  /**
   * When the state row last changed other than by a lookup (a flip, or the row recreated with its
   * sequence restarted): a poller seeing it change reads every lookup again, not only those past its
   * sequence, which may have gone back. Undefined where the row cannot be recreated (memory).
   */
  changedAt?: number;
  /** False when no lookup row is stored (read in the same statement as the rest). */
  hasLookups?: boolean;
  /**
   * The lookups table's mark: a value kept in the table itself (a row that is no lookup), null when it is
   * gone. A truncate or a DELETE of every row takes it with them, and whatever is written afterwards
   * cannot bring the same value back: a poller finding it gone or changed knows the table was emptied
   * (round 6 hole 8; emptiness alone hid it once an answer was written before the next poll).
   */
  lookupsMark: number | null;
}

export interface NewVersion {
  startedAt: number;
  byStatus: Record<string, number>;
  accounts: readonly CachedAccount[];
}

export interface SharedStore {
  /** Creates or migrates the tables and this community's rows. */
  prepare(): Promise<void>;
  /** The shared clock (ms). */
  now(): Promise<number>;
  /** Renews the lease when `holder` holds it with `token`, takes it when it is free or expired. */
  takeLease(holder: string, token: number | null, ttlMs: number): Promise<LeaseState>;
  /** Lets it expire now, so another server takes over at once (a clean stop). */
  releaseLease(holder: string, token: number): Promise<void>;
  /**
   * Writes a whole version, then makes it current; both refused (null) unless `holder` still holds
   * the lease with `token` (the token its sweep BEGAN with) and the current version's sweep began
   * before this one's: the current version's sweep start never goes back. Returns the new version's id.
   */
  publish(holder: string, token: number, version: NewVersion): Promise<number | null>;
  state(): Promise<SharedState>;
  /** The current version, complete, or null when none was published yet. */
  loadCurrent(): Promise<LoadedVersion | null>;
  /** A lookup answer; an older observation of the same account never replaces a newer one. */
  writeLookup(account: CachedAccount, observedAt?: number): Promise<void>;
  lookupsSince(seq: number): Promise<ObservedAccount[]>;
  /** Of these accounts (uuids), those neither a lookup answer nor the current version holds as banned (lower case). */
  bansMissing(uuids: readonly string[]): Promise<string[]>;
  /** Puts a new mark in the lookups table unless one is there (prepare does too); answers the mark there now. */
  markLookups(): Promise<number>;
  /**
   * One token of the community's CAD budget (one call every `intervalMs`, no burst): 0 when taken,
   * else the ms until one is due. A `high` caller that has to wait keeps `low` callers out for two
   * intervals, so a connect lookup on any server goes ahead of sweep pages on every server.
   */
  takeToken(intervalMs: number, priority?: 'high' | 'low'): Promise<number>;
  /** No token is handed out for `ms` (the CAD answered 429). */
  pauseTokens(ms: number): Promise<void>;
  /**
   * `holder` is running now; answers how many servers (itself included) were seen within `withinMs`:
   * the share of the key's rate a server takes when it has to run alone.
   */
  checkIn(holder: string, withinMs: number): Promise<number>;
  /** `holder` stops (a clean stop): it no longer counts, and its online players are no longer listed. */
  leave(holder: string): Promise<void>;
  /**
   * `holder`'s online players now, as the accounts it holds for them (uuids, nothing else): replaces what
   * it published before. Rows are dated by the store's clock; rows of any server older than `expireMs`
   * (a server that stopped publishing: crashed, or cut off) are dropped on the way.
   */
  publishOnline(holder: string, uuids: readonly string[], expireMs: number): Promise<void>;
  /** The accounts online on servers other than `holder` that published within `withinMs` (uuids, lower case, each once). */
  onlineElsewhere(holder: string, withinMs: number): Promise<string[]>;
  /**
   * A server's ban watch finished reading the whole banned list at `at` (database clock): kept when it is
   * the latest, never dated past the store's own now. Followers run the watch themselves when it is old.
   */
  noteBanWatch(at: number): Promise<void>;
  /** When a server of the community last finished a ban-watch run (database clock), or null. */
  lastBanWatch(): Promise<number | null>;
  close(): Promise<void>;
}
