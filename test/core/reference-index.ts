// The index as it was before issue 23's compact store: every account a CachedAccount object held in Maps.
// Kept as the plain reference model the compact index is proven equal to (test/property/compact-index.model.property.test.ts).
// The lookup structure: every account by each normalized API ID (and v2 communityUserId), by uuid and
// by username. A sweep builds a new one off to the side and swaps it in whole; a single lookup patches
// one account into the live one (O(its IDs), not a rebuild of 50,000 accounts). Both merge by the
// rules of merge.ts; an ID several accounts claim keeps them all, so standing.ts sees every one.
import { claimOrder, supersedes } from '../../src/core/merge';
import { growingMap, partedMap } from '../../src/core/parted-map';
import { standingOf } from '../../src/core/standing';
import type { CachedAccount, Standing } from '../../src/core/types';

/** FiveM identifier types whose `type:` prefix is stripped, so `license:abc`, `abc` and `LICENSE:ABC` meet. */
const PREFIXES: ReadonlySet<string> = new Set(['license2:', 'license:', 'steam:', 'discord:', 'fivem:', 'xbl:', 'live:', 'ip:']);

/**
 * Whitespace as trim() knows it, and the invisible characters a paste brings along that it keeps:
 * zero-width ones, the soft hyphen, direction marks and embeddings (right-to-left chats, Windows dialogs).
 */
const INVISIBLE_ENDS = /^[\s\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f]+|[\s\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f]+$/g;

/**
 * The index key of an ID: trimmed, without a known `type:` prefix, lower case, and a Steam ID in any of
 * Steam's notations as the hex FiveM's `steam:` identifier carries. On the connect and lookup paths.
 */
export function normalizeId(id: string): string {
  const key = lookupKey(id);
  // Stryker disable next-line ConditionalExpression: trying the pattern on every ID finds the same, only slower.
  return STEAM_LEADS.includes(key.charAt(0)) ? steamHexOf(key) : key;
}

/**
 * What a single lookup and its negative cache are keyed by: the ID trimmed, without a known prefix, lower
 * case, but before the Steam conversion. `license:abc` and `abc` are one stranger; a Discord ID in the
 * SteamID64 range and that Steam account's hex share an index key but are two lookups: a stranger's
 * "unknown" on one must not answer for the other.
 */
export function lookupKey(id: string): string {
  const s = trimmed(id);
  // toLowerCase() hands back the same string when there is nothing to lower (a license hash, a snowflake).
  return trimmed(s.slice(knownPrefix(s).length)).toLowerCase();
}

/** SteamID64 of individual account 0 and the number of such accounts (Valve's SteamID layout). */
const STEAM64_FIRST = BigInt('76561197960265728');
const STEAM_ACCOUNTS = BigInt('4294967296');
/** How a Steam account is written besides FiveM's hex, lower-cased: SteamID64, SteamID2, SteamID3, profile URL (any page of it). */
const STEAM_NOTATIONS =
  /^(?:(7656\d{13})|steam_[0-5]:\s*([01]):\s*(\d{1,10})|\[?u:1:(\d{1,10})\]?|(?:https?:\/\/)?(?:www\.)?steamcommunity\.com\/profiles\/(?:(7656\d{13})|\[u:1:(\d{1,10})\])(?:[/?#].*)?)$/;
/** The first characters of those notations: any other ID skips the pattern. */
const STEAM_LEADS = '7s[uhw';

/**
 * Staff paste a Steam ID the way their tool shows it: Steam's pages and most bots in decimal
 * (`76561198012345678`), Source games and older ban lists as `STEAM_0:1:26044`, the Steam console and
 * many ban tools as `[U:1:52089]`, a browser as the profile URL; FiveM presents `steam:` and the hex.
 * A ban stored any of these ways must reach the player. A Discord ID in the SteamID64 range (snowflakes
 * of one second in 2015) becomes hex on both sides alike, stored and presented, so it still meets itself.
 */
function steamHexOf(key: string): string {
  const m = STEAM_NOTATIONS.exec(key);
  if (m === null) return key;
  const decimal = m[1] ?? m[5];
  const steam3 = m[4] ?? m[6];
  const account = decimal !== undefined ? BigInt(decimal) - STEAM64_FIRST : steam3 !== undefined ? BigInt(steam3) : BigInt(m[3]!) * BigInt(2) + BigInt(m[2]!);
  return account >= BigInt(0) && account < STEAM_ACCOUNTS ? (STEAM64_FIRST + account).toString(16) : key;
}

/** The `type:` an ID starts with, lower case, colon included, when it is one we strip; else ''. */
function knownPrefix(s: string): string {
  const prefix = s.slice(0, s.indexOf(':') + 1).toLowerCase();
  return PREFIXES.has(prefix) ? prefix : '';
}

/**
 * Without surrounding whitespace, also Unicode's (a no-break space pasted from a web page) and also after
 * the prefix (`license: abc`): a stored ID that differs from the player's only by these would otherwise
 * never reach them, a ban included. Checks the two ends first: IDs rarely carry any, and the pattern
 * costs several times a trim(). U+00A0 is the first character past ASCII the pattern strips.
 */
function trimmed(s: string): string {
  const first = s.charCodeAt(0);
  const last = s.charCodeAt(s.length - 1);
  // Stryker disable next-line ConditionalExpression: running the pattern on every ID gives the same ID, only slower.
  return first <= 32 || first >= 160 || last <= 32 || last >= 160 ? s.replace(INVISIBLE_ENDS, '') : s;
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
  /**
   * FiveM identifier types (`license`, `steam`...) some account stores with its prefix (`license:abc`),
   * and `steam64` when some account stores a Steam ID in decimal: the forms lookups ask in.
   */
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
  // In parts (parted-map.ts): growing one Map of 50,000 uuids or 100,000 IDs blocks for a whole rehash.
  const byUuid = growingMap<CachedAccount>();
  const byId = partedMap<Claim>();
  const byUsername = createNameIndex();
  const prefixedTypes = new Set<string>();
  const conflicts: Conflict[] = [];
  /**
   * Whether some index key holds a colon (a stored `license:license:abc`, an unknown `type:`). Until one
   * does, a raw key with a colon can never hit directly, and find() skips looking for its colon.
   */
  let colonInSomeKey = false;
  const state = { building: true, byUuid, conflicts, put: (a: CachedAccount) => put(a), index: null as unknown as AccountIndex };

  const claim = (key: string, account: CachedAccount) => {
    if (key === '') return;
    const held = byId(key).get(key);
    if (held === undefined) {
      if (!colonInSomeKey && key.includes(':')) colonInSomeKey = true;
      byId(key).set(key, account);
      return;
    }
    // An account listing one ID twice (any form) claims it once: it is no conflict with itself.
    const list = (Array.isArray(held) ? held : [held]).filter((a) => a.uuid !== account.uuid);
    if (list.length === 0) {
      byId(key).set(key, account);
      return;
    }
    const sorted = [...list, account].sort(claimOrder);
    const kept = sorted[0]!;
    if (state.building) conflicts.push({ id: key, kept, dropped: kept === account ? list[0]! : account });
    byId(key).set(key, sorted);
  };

  const unclaim = (key: string, account: CachedAccount) => {
    const held = byId(key).get(key);
    if (held === undefined) return;
    if (!Array.isArray(held)) {
      if (held.uuid === account.uuid) byId(key).delete(key);
      return;
    }
    const rest = held.filter((a) => a.uuid !== account.uuid);
    // Stryker disable next-line ConditionalExpression: a list of one reads the same as the account itself (first(), accountsFor()).
    byId(key).set(key, rest.length === 1 ? rest[0]! : rest);
  };

  const put = (account: CachedAccount): { replaced: CachedAccount | undefined; applied: boolean } => {
    const old = byUuid.get(account.uuid);
    if (!supersedes(account, old)) return { replaced: undefined, applied: false };
    if (old !== undefined) {
      for (const key of keysOf(old)) unclaim(key, old);
      byUsername.remove(old);
    }
    byUuid.set(account.uuid, account);
    byUsername.put(account);
    for (const key of keysOf(account)) claim(key, account);
    notePrefixes(account);
    return { replaced: old, applied: true };
  };

  const notePrefixes = (account: CachedAccount) => {
    for (const id of account.apiIds) {
      const type = prefixType(id);
      if (type !== null) prefixedTypes.add(type);
      if (isDecimalSteam64(id)) prefixedTypes.add(STEAM64_FORM);
    }
    if (account.communityUserId !== null) {
      const type = prefixType(account.communityUserId);
      if (type !== null) prefixedTypes.add(type);
    }
  };

  const accountsFor = (identifier: string): readonly CachedAccount[] => {
    // Only the normalized form: the raw one ("license:abc") is the index key of a stored
    // "license:license:abc", and a hit there used to hide the accounts on "abc" (a ban among them).
    const norm = normalizeId(identifier);
    const held = byId(norm).get(norm);
    if (held === undefined) return NONE;
    return Array.isArray(held) ? held : [held];
  };

  const first = (held: Claim | undefined) => (Array.isArray(held) ? held[0] : held);

  const index: AccountIndex = {
    get size() {
      return byUuid.size;
    },
    byUuid,
    find(key) {
      // Fast path first: a bare ID usually arrives already lower case and matches as it is. Never for a
      // key with a colon: "license:abc" as it is would hit a stored "license:license:abc" instead of "abc".
      // Stryker disable next-line ConditionalExpression,StringLiteral: without the fast path the normalized key finds the same account.
      const direct = colonInSomeKey && key.includes(':') ? undefined : first(byId(key).get(key));
      // Stryker disable next-line ConditionalExpression: without the fast path the normalized key finds the same account.
      if (direct !== undefined) return direct;
      const norm = normalizeId(key);
      return first(byId(norm).get(norm)) ?? byUuid.get(norm) ?? byUsername.get(key.trim().toLowerCase());
    },
    accountsFor,
    standing: (identifiers) => standingOf(identifiers, accountsFor),
    upsert: put,
    prefixedTypes,
  };
  state.index = index;
  return state;
}

/**
 * Accounts by lower-cased username (one per name, the last put), keyed by a hash of that name: a number
 * key, so the index holds no lower-cased copy of every name (~40 B an account, and 50,000 strings a sweep
 * would promote). Names are compared in full on the way out, so a hash shared by two names finds each.
 */
function createNameIndex() {
  // 16 parts by the hash's low bits, as parted-map.ts does for string keys.
  const parts = Array.from({ length: 16 }, () => new Map<number, CachedAccount | CachedAccount[]>());
  const byHash = (h: number) => parts[h & 15]!;
  const named = (lower: string) => (a: CachedAccount) => a.username.toLowerCase() === lower;
  return {
    get(lower: string): CachedAccount | undefined {
      const h = nameHash(lower);
      const held = byHash(h).get(h);
      if (held === undefined) return undefined;
      return Array.isArray(held) ? held.find(named(lower)) : named(lower)(held) ? held : undefined;
    },
    put(account: CachedAccount) {
      const lower = account.username.toLowerCase();
      const h = nameHash(lower);
      const held = byHash(h).get(h);
      if (held === undefined) {
        byHash(h).set(h, account);
        return;
      }
      const other = (a: CachedAccount) => !named(lower)(a);
      const rest = Array.isArray(held) ? held.filter(other) : other(held) ? [held] : [];
      byHash(h).set(h, rest.length === 0 ? account : [...rest, account]);
    },
    /** Only when it is the one held for its name (a later account of the same name keeps it). */
    remove(account: CachedAccount) {
      const h = nameHash(account.username.toLowerCase());
      const held = byHash(h).get(h);
      if (held === account) byHash(h).delete(h);
      else if (Array.isArray(held) && held.includes(account)) {
        const rest = held.filter((a) => a !== account);
        byHash(h).set(h, rest.length === 1 ? rest[0]! : rest);
      }
    },
  };
}

/** A 30-bit string hash (a small integer: a Map key with no heap number behind it). */
function nameHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h & 0x3fffffff;
}

function keysOf(account: CachedAccount): string[] {
  const keys = account.apiIds.map(normalizeId);
  if (account.communityUserId !== null) keys.push(normalizeId(account.communityUserId));
  return keys;
}

/** `license` for `license:abc` (any case), null for a bare ID. */
function prefixType(id: string): string | null {
  const prefix = knownPrefix(trimmed(id));
  return prefix === '' ? null : prefix.slice(0, -1);
}

/** The form a community stores Steam IDs in besides FiveM's hex, for lookups to ask in (single-lookups.ts). */
export const STEAM64_FORM = 'steam64';

/** True for a SteamID64 in decimal (`76561198…`), bare or prefixed. */
function isDecimalSteam64(id: string): boolean {
  return /^7656\d{13}$/.test(lookupKey(id));
}

/** A fresh empty index (never share one: upsert mutates). */
export const emptyIndex = (): AccountIndex => createIndexBuilder().finish().index;
