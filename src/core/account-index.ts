// The lookup structure: every account by each normalized API ID (and v2 communityUserId), by uuid and
// by username. A sweep builds a new one off to the side and swaps it in whole; a single lookup patches
// one account into the live one (O(its IDs), not a rebuild of 50,000 accounts). Both merge by the
// rules of merge.ts; an ID several accounts claim keeps them all, so standing.ts sees every one.
import { claimOrder, supersedes } from './merge';
import { standingOf } from './standing';
import type { CachedAccount, Standing } from './types';

/** FiveM identifier types whose `type:` prefix is stripped, so `license:abc`, `abc` and `LICENSE:ABC` meet. */
const PREFIXES = ['license2:', 'license:', 'steam:', 'discord:', 'fivem:', 'xbl:', 'live:', 'ip:'];
const LONGEST_PREFIX = 9;

/** Whitespace as trim() knows it, and the zero-width characters a paste brings along that it keeps. */
const INVISIBLE_ENDS = /^[\s\u200b-\u200d\u2060]+|[\s\u200b-\u200d\u2060]+$/g;

/**
 * The index key of an ID. On the connect and lookup paths, so it avoids work: an ID that is already
 * trimmed, lower-case and bare (a license hash, a Discord snowflake) comes back as the same string.
 */
export function normalizeId(id: string): string {
  const s = trimmed(withoutPrefix(trimmed(id)));
  return hasUpperCase(s) ? s.toLowerCase() : s;
}

/**
 * Without surrounding whitespace, also Unicode's (a no-break space pasted from a web page) and also after
 * the prefix (`license: abc`): a stored ID that differs from the player's only by these would otherwise
 * never reach them, a ban included. Checks the two ends first: IDs rarely carry any.
 */
function trimmed(s: string): string {
  if (s.length === 0) return s;
  const first = s.charCodeAt(0);
  const last = s.charCodeAt(s.length - 1);
  return first <= 32 || first >= 127 || last <= 32 || last >= 127 ? s.replace(INVISIBLE_ENDS, '') : s;
}

/** A char loop: a regex test would flatten the sliced string first. */
function hasUpperCase(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 65 && c <= 90) return true;
  }
  return false;
}

function withoutPrefix(s: string): string {
  const end = s.indexOf(':') + 1;
  if (end < 2 || end > LONGEST_PREFIX) return s;
  // FXServer hands identifiers out in lower case; compare in place before paying for a lower-case copy.
  for (const prefix of PREFIXES) if (prefix.length === end && s.startsWith(prefix)) return s.slice(end);
  return PREFIXES.includes(s.slice(0, end).toLowerCase()) ? s.slice(end) : s;
}

export interface Conflict {
  id: string;
  kept: CachedAccount;
  dropped: CachedAccount;
}

export interface AccountIndex {
  readonly size: number;
  byUuid: ReadonlyMap<string, CachedAccount>;
  /** One account for a key (API ID, communityUserId, uuid, username); of several claiming an ID, the first in merge.ts's claimOrder. */
  find(key: string): CachedAccount | undefined;
  /** Every account claiming this identifier (any form), best first (merge.ts claimOrder). */
  accountsFor(identifier: string): readonly CachedAccount[];
  /** What a player's identifiers lead to (standing.ts). */
  standing(identifiers: readonly string[]): Standing;
  /**
   * Merges one observation in place (single lookups, the swap). The newer observation of an account wins
   * (merge.ts): returns the version it replaced, or `ignored` when the held one is newer.
   */
  upsert(account: CachedAccount): { replaced: CachedAccount | undefined; applied: boolean };
  /** FiveM identifier types (`license`, `steam`...) some account stores with its prefix (`license:abc`). */
  readonly prefixedTypes: ReadonlySet<string>;
}

export interface IndexBuilder {
  /** Adds an account; a second observation of the same uuid is merged (the newer wins). */
  add(account: CachedAccount): void;
  readonly size: number;
  finish(): { index: AccountIndex; conflicts: Conflict[] };
}

/** An ID claimed by one account holds it directly (the common case, no array); a shared ID holds them all, best first. */
type Claim = CachedAccount | CachedAccount[];
const NONE: readonly CachedAccount[] = Object.freeze([]);

export function createIndexBuilder(): IndexBuilder {
  const state = createState();
  return {
    add: (account) => void state.put(account),
    get size() {
      return state.byUuid.size;
    },
    finish() {
      // Conflicts are reported for what a sweep built; lookups merged later are not collected (no growth).
      state.building = false;
      return { index: state.index, conflicts: state.conflicts.splice(0) };
    },
  };
}

function createState() {
  const byUuid = new Map<string, CachedAccount>();
  const byId = new Map<string, Claim>();
  const byUsername = new Map<string, CachedAccount>();
  const prefixedTypes = new Set<string>();
  const conflicts: Conflict[] = [];
  const state = { building: true, byUuid, conflicts, put: (a: CachedAccount) => put(a), index: null as unknown as AccountIndex };

  const claim = (key: string, account: CachedAccount) => {
    if (key === '') return;
    const held = byId.get(key);
    if (held === undefined) {
      byId.set(key, account);
      return;
    }
    const list = (Array.isArray(held) ? held : [held]).filter((a) => a.uuid !== account.uuid);
    if (list.length === 0) {
      byId.set(key, account);
      return;
    }
    const sorted = [...list, account].sort(claimOrder);
    const kept = sorted[0]!;
    if (state.building) conflicts.push({ id: key, kept, dropped: kept === account ? list[0]! : account });
    byId.set(key, sorted);
  };

  const unclaim = (key: string, account: CachedAccount) => {
    const held = byId.get(key);
    if (held === undefined) return;
    if (!Array.isArray(held)) {
      if (held.uuid === account.uuid) byId.delete(key);
      return;
    }
    const rest = held.filter((a) => a.uuid !== account.uuid);
    byId.set(key, rest.length === 1 ? rest[0]! : rest);
  };

  const put = (account: CachedAccount): { replaced: CachedAccount | undefined; applied: boolean } => {
    const old = byUuid.get(account.uuid);
    if (old !== undefined && !supersedes(account, old)) return { replaced: undefined, applied: false };
    if (old !== undefined) {
      for (const key of keysOf(old)) unclaim(key, old);
      if (byUsername.get(old.username.toLowerCase()) === old) byUsername.delete(old.username.toLowerCase());
    }
    byUuid.set(account.uuid, account);
    byUsername.set(account.username.toLowerCase(), account);
    for (const key of keysOf(account)) claim(key, account);
    notePrefixes(account);
    return { replaced: old, applied: true };
  };

  const notePrefixes = (account: CachedAccount) => {
    for (const id of account.apiIds) {
      const type = prefixType(id);
      if (type !== null) prefixedTypes.add(type);
    }
    if (account.communityUserId !== null) {
      const type = prefixType(account.communityUserId);
      if (type !== null) prefixedTypes.add(type);
    }
  };

  const accountsFor = (identifier: string): readonly CachedAccount[] => {
    // Only the normalized form: the raw one ("license:abc") is the index key of a stored
    // "license:license:abc", and a hit there used to hide the accounts on "abc" (a ban among them).
    const held = byId.get(normalizeId(identifier));
    if (held === undefined) return NONE;
    return Array.isArray(held) ? held : [held];
  };

  const first = (held: Claim | undefined) => (held === undefined ? undefined : Array.isArray(held) ? held[0] : held);

  const index: AccountIndex = {
    get size() {
      return byUuid.size;
    },
    byUuid,
    find(key) {
      // Fast path first: a bare ID usually arrives already lower case and matches as it is. Never for a
      // key with a colon: "license:abc" as it is would hit a stored "license:license:abc" instead of "abc".
      if (key.indexOf(':') < 0) {
        const direct = first(byId.get(key));
        if (direct !== undefined) return direct;
      }
      const norm = normalizeId(key);
      return first(byId.get(norm)) ?? byUuid.get(norm) ?? byUsername.get(key.trim().toLowerCase());
    },
    accountsFor,
    standing: (identifiers) => standingOf(identifiers, accountsFor),
    upsert: put,
    prefixedTypes,
  };
  state.index = index;
  return state;
}

function keysOf(account: CachedAccount): string[] {
  const keys = account.apiIds.map(normalizeId);
  if (account.communityUserId !== null) keys.push(normalizeId(account.communityUserId));
  return keys;
}

/** `license` for `license:abc` (any case), null for a bare ID. */
function prefixType(id: string): string | null {
  const s = id.trim();
  const end = s.indexOf(':') + 1;
  if (end < 2 || end > LONGEST_PREFIX) return null;
  const prefix = s.slice(0, end).toLowerCase();
  return PREFIXES.includes(prefix) ? prefix.slice(0, -1) : null;
}

/** A fresh empty index (never share one: upsert mutates). */
export const emptyIndex = (): AccountIndex => createIndexBuilder().finish().index;
