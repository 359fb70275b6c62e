// Connected players and the CAD account each one maps to. The mapping is resolved once (at connect,
// after each sweep, after a lookup) and kept, so a permission check is two Map reads.
import type { CachedAccount } from '../core/types';
import { sameAccountState } from './effective';
import type { ServerId } from './host';

export interface PlayerEntry {
  id: ServerId;
  name: string;
  /** Matchable identifiers, in lookup order (see identifiers.ts). */
  identifiers: string[];
  account: CachedAccount | null;
  /** False while connecting under a temporary id: nobody outside hears about those. */
  joined: boolean;
  /** When the entry was added (ms), to forget connections that never joined. */
  since: number;
  /**
   * The banned accounts (uuids) the connect gate let this player in with (connect.blockBanned off): those
   * bans are not enforced on them; a ban of any other account they reach is (ban-enforcer.ts).
   */
  admittedBans: ReadonlySet<string>;
}

/**
 * `join`: the player just joined with an account already known (a ban that arrived after the gate's
 * verdict shows here); `update`: a sweep or lookup changed it.
 */
export type ChangeCause = 'join' | 'update';
export type AccountChangeListener = (entry: PlayerEntry, before: CachedAccount | null, cause: ChangeCause) => void;

export interface PlayerRegistry {
  add(id: ServerId, name: string, identifiers: string[], joined: boolean, now?: number): PlayerEntry;
  /**
   * Forgets connections that never reached playerJoining (the client left during the deferrals; FXServer
   * sends no playerDropped for a temp id). One that joins later is registered afresh at playerJoining.
   */
  forgetUnjoined(addedBefore: number): void;
  get(id: ServerId): PlayerEntry | undefined;
  /** playerJoining: the temp id becomes the permanent one; listeners hear of the account now. */
  join(tempId: ServerId, id: ServerId): PlayerEntry | undefined;
  remove(id: ServerId): PlayerEntry | undefined;
  all(): IterableIterator<PlayerEntry>;
  /** Sets a player's account; listeners hear of it when the player has joined and anything changed. */
  assign(entry: PlayerEntry, account: CachedAccount | null): void;
  onAccountChange(listener: AccountChangeListener): void;
}

const NO_BANS: ReadonlySet<string> = new Set();

export function createPlayerRegistry(): PlayerRegistry {
  const entries = new Map<ServerId, PlayerEntry>();
  const listeners: AccountChangeListener[] = [];

  const notify = (entry: PlayerEntry, before: CachedAccount | null, cause: ChangeCause) => {
    for (const listener of listeners) listener(entry, before, cause);
  };

  return {
    add(id, name, identifiers, joined, now = Date.now()) {
      const entry: PlayerEntry = { id, name, identifiers, account: null, joined, since: now, admittedBans: NO_BANS };
      entries.set(id, entry);
      return entry;
    },
    get: (id) => entries.get(id),
    join(tempId, id) {
      const entry = entries.get(tempId);
      if (!entry) return undefined;
      entries.delete(tempId);
      entry.id = id;
      entry.joined = true;
      entries.set(id, entry);
      if (entry.account) notify(entry, null, 'join');
      return entry;
    },
    remove(id) {
      const entry = entries.get(id);
      entries.delete(id);
      return entry;
    },
    forgetUnjoined(addedBefore) {
      for (const [id, entry] of entries) if (!entry.joined && entry.since < addedBefore) entries.delete(id);
    },
    all: () => entries.values(),
    assign(entry, account) {
      const before = entry.account;
      entry.account = account;
      if (entry.joined && !sameAccountState(before, account)) notify(entry, before, 'update');
    },
    onAccountChange(listener) {
      listeners.push(listener);
    },
  };
}
