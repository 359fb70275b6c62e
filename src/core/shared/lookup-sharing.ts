// Single lookup answers, shared: each one this server gets is written for the others, dated by when it
// was observed; the others' answers are merged here as they arrive. An answer whose write fails (the
// database went away just then, or was already away) is kept and written when the database answers
// again, so no server's ban is lost on the way; the server's own cache keeps it meanwhile.
import { newest } from '../merge';
import type { CachedAccount } from '../types';
import type { SharedClock } from './shared-clock';
import type { ObservedAccount, SharedState, SharedStore } from './store';

/** Lookup answers kept for the database while it is away: a few hours of connects, a few MB at most. */
const MAX_UNSHARED = 10_000;

export interface LookupSharingDeps {
  store: SharedStore;
  clock: SharedClock;
  /** True while the database is there to write to. */
  connected: () => boolean;
  /** True when nothing is ever to be shared (credentials refused for good). */
  refused: () => boolean;
  /** A database call failed: run alone. */
  lost: (err: unknown) => void;
  /** Merges another server's observation into this server's cache (merge.ts's rule). */
  absorb: (account: CachedAccount) => void;
}

export function lookupSharing(deps: LookupSharingDeps) {
  const { store, clock } = deps;
  /** The newest observation per account not written yet. */
  const unshared = new Map<string, CachedAccount>();
  /** The shared lookups' sequence this server has merged up to. */
  let seq = 0;
  /** The state row as the last poll read it. */
  let polled: { version: number | null; changedAt: number | undefined; hasLookups: boolean } | null = null;

  const keep = (account: CachedAccount) => {
    const held = unshared.get(account.uuid);
    if (held === undefined && unshared.size >= MAX_UNSHARED) return;
    unshared.set(account.uuid, held ? newest(held, account) : account);
  };
  const write = (account: CachedAccount) => store.writeLookup(account, clock.toShared(account.observedAt));
  const take = (seen: ObservedAccount) => {
    seq = Math.max(seq, seen.seq);
    deps.absorb(clock.accountToLocal(seen.account, seen.observedAt));
  };

  return {
    /** A lookup here found `account`. */
    found(account: CachedAccount) {
      if (deps.refused()) return;
      if (!deps.connected()) return keep(account);
      write(account).catch((err: unknown) => {
        keep(account);
        deps.lost(err);
      });
    },
    /** Writes what was kept while the database was away (before any version is loaded on rejoin). */
    async flush() {
      for (const [uuid, account] of unshared) {
        await write(account);
        if (unshared.get(uuid) === account) unshared.delete(uuid);
      }
    },
    seq: () => seq,
    /** Merges lookups carried with a version (all since its sweep began) and moves the sequence on. */
    takeAll(lookups: readonly ObservedAccount[], upTo: number) {
      for (const seen of lookups) take(seen);
      seq = Math.max(seq, upTo);
    },
    /**
     * Polls: merges every lookup written since the last one merged. True when the lookup rows were
     * emptied while the state row stayed as it was (no flip pruned them: an owner truncated the table).
     */
    async poll(state: Pick<SharedState, 'version' | 'lookupSeq' | 'changedAt' | 'hasLookups'>): Promise<boolean> {
      // The state row changed other than by a lookup: a flip, or the row recreated (deleted by hand),
      // whose sequence may have restarted below ours and passed it again since: read them all again.
      const rowChanged = state.changedAt !== undefined && polled !== null && state.changedAt !== polled.changedAt;
      const emptied = polled !== null && polled.hasLookups && state.hasLookups === false && !rowChanged && state.version === polled.version;
      polled = { version: state.version, changedAt: state.changedAt, hasLookups: state.hasLookups === true };
      if (rowChanged || state.lookupSeq < seq) seq = 0;
      if (state.lookupSeq !== seq) for (const seen of await store.lookupsSince(seq)) take(seen);
      return emptied;
    },
  };
}

export type LookupSharing = ReturnType<typeof lookupSharing>;
