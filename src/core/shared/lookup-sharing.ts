// Single lookup answers, shared: each one this server gets is written for the others, dated by when it
// was observed; the others' answers are merged here as they arrive. An answer whose write fails (the
// database went away just then, or was already away) is kept and written when the database answers
// again, so no server's ban is lost on the way; the server's own cache keeps it meanwhile.
import { newest } from '../merge';
import { ACCOUNT_STATUS, type CachedAccount } from '../types';
import type { SharedClock } from './shared-clock';
import type { ObservedAccount, SharedState, SharedStore } from './store';

/**
 * Answers other than bans kept for the database while it is away: a few hours of connects, a few MB at
 * most. Bans are never dropped (there are only as many as the CAD holds): a ban outranks any other answer.
 */
const MAX_UNSHARED = 10_000;

export interface LookupSharingDeps {
  store: SharedStore;
  clock: SharedClock;
  /** True while the database is there to write to. */
  connected: () => boolean;
  /** True when nothing is ever to be shared (credentials refused for good). */
  refused: () => boolean;
  /** One warning line (the store of answers kept is full). */
  warn: (line: string) => void;
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
  let polled: { changedAt: number | undefined; mark: number } | null = null;

  /** How many kept answers are not bans: only those count against MAX_UNSHARED. */
  let others = 0;
  let warned = false;
  const isBan = (a: CachedAccount) => a.status === ACCOUNT_STATUS.banned;
  const set = (account: CachedAccount | undefined, held: CachedAccount | undefined) => {
    if (held !== undefined && !isBan(held)) others--;
    if (account === undefined) return void unshared.delete(held!.uuid);
    if (!isBan(account)) others++;
    unshared.set(account.uuid, account);
  };
  const keep = (account: CachedAccount) => {
    const held = unshared.get(account.uuid);
    const next = held ? newest(held, account) : account;
    if (held === undefined && !isBan(next) && others >= MAX_UNSHARED) {
      if (!warned) deps.warn(`shared database away: over ${MAX_UNSHARED} answers other than bans are waiting to be written; newer ones are not kept for the other servers (every ban still is)`);
      warned = true;
      return;
    }
    set(next, held);
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
        if (unshared.get(uuid) === account) set(undefined, account);
      }
      warned = false;
    },
    seq: () => seq,
    /** Merges lookups carried with a version (all since its sweep began) and moves the sequence on. */
    takeAll(lookups: readonly ObservedAccount[], upTo: number) {
      for (const seen of lookups) take(seen);
      seq = Math.max(seq, upTo);
    },
    /**
     * Polls: merges every lookup written since the last one merged. True when the lookups table was
     * emptied by hand since the last poll (its mark gone or another one: an owner truncated it), whatever
     * was written to it since; a flip's prune keeps the mark. The first server to see it gone puts a new one.
     */
    async poll(state: Pick<SharedState, 'lookupSeq' | 'changedAt' | 'lookupsMark'>): Promise<boolean> {
      // The state row changed other than by a lookup: a flip, or the row recreated (deleted by hand),
      // whose sequence may have restarted below ours and passed it again since: read them all again.
      const rowChanged = state.changedAt !== undefined && polled !== null && state.changedAt !== polled.changedAt;
      const mark = state.lookupsMark ?? (await store.markLookups());
      const emptied = polled !== null && mark !== polled.mark;
      polled = { changedAt: state.changedAt, mark };
      if (rowChanged || state.lookupSeq < seq) seq = 0;
      if (state.lookupSeq !== seq) for (const seen of await store.lookupsSince(seq)) take(seen);
      return emptied;
    },
  };
}

export type LookupSharing = ReturnType<typeof lookupSharing>;
