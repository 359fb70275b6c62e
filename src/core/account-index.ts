// The lookup structure: every account by each normalized API ID (and v2 communityUserId), by uuid and
// by username, over a compact store of the accounts (account-store.ts: columns, objects built on demand). A sweep builds a new one off to the side and swaps it in whole; a single lookup patches
// one account into the live one (O(its IDs), not a rebuild of 50,000 accounts). Both merge by the
// rules of merge.ts; an ID several accounts claim keeps them all, so standing.ts sees every one.
import { claimOrder, supersedes } from './merge';
import { createAccountStore, type AccountStore, type CopySource } from './account-store';
import { partedMap } from './parted-map';
import { standingOf } from './standing';
import type { CachedAccount, Standing } from './types';

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
  upsert(account: CachedAccount, conflicts?: Conflict[]): { replaced: CachedAccount | undefined; applied: boolean };
  /**
   * The account of `slot` seen again, unchanged, at `observedAt`: its date moves when that is newer (and the
   * object handed out for it, dated, is dropped). A steady sweep patching the live index (sweep-patch.ts).
   */
  redate(slot: number, observedAt: number): void;
  /**
   * FiveM identifier types (`license`, `steam`...) some account stores with its prefix (`license:abc`),
   * and `steam64` when some account stores a Steam ID in decimal: the forms lookups ask in.
   */
  readonly prefixedTypes: ReadonlySet<string>;
  /**
   * The columns behind the index (account-store.ts), for walks over every account that read a field or
   * two (the diff, the sweep's bookkeeping) without building 50,000 objects. Read only.
   */
  readonly store: CopySource & Pick<AccountStore, 'size' | 'uuid' | 'observedAt' | 'sameAs' | 'sameRecord' | 'build' | 'findSame'>;
  /** The slot of an account in `store`, by uuid. */
  slotOf(uuid: string): number | undefined;
  /** The account of a slot, as find would show it, without keeping an object for it. */
  accountAt(slot: number): CachedAccount;
}

export interface IndexBuilder {
  /** Adds an account; a second observation of the same uuid is merged (the newer wins). */
  add(account: CachedAccount): void;
  /**
   * add() of the account `from` holds at `slot`, dated `observedAt`, copied column by column: a steady
   * sweep's unchanged accounts (sweep-accounts.ts) go into the new index without an object each.
   */
  addFrom(from: AccountIndex, slot: number, observedAt: number): void;
  readonly size: number;
  finish(): { index: AccountIndex; conflicts: Conflict[] };
}

/**
 * What an ID leads to: an account's slot in the store (a small integer: the common case, nothing
 * allocated), or for an ID several accounts claim, -(1 + n) with n the place in `lists` of their slots,
 * best first.
 */
type Claim = number;
const NONE: readonly CachedAccount[] = Object.freeze([]);

/**
 * An index's `size`, read through the one prototype all indexes share. Written as a getter in the index's
 * own object literal, it put each index in V8's dictionary mode (every index brings a getter closure of its
 * own): `index.find` was then a hash-table lookup through an IC call on every permission check.
 */
const SIZE_OF_STORE = {
  get size(): number {
    return (this as unknown as Pick<AccountIndex, 'store'>).store.size;
  },
};

/** `expected`: how many accounts the builder will be given, when known (a sweep's result): see account-store.ts. */
export function createIndexBuilder(expected = 0): IndexBuilder {
  const state = createState(expected);
  return {
    add: (account) => void state.put(account),
    addFrom: (from, slot, observedAt) => state.putFrom(from.store, slot, observedAt),
    get size() {
      return state.store.size;
    },
    finish() {
      // Conflicts are reported for what a sweep built; lookups merged later are not collected (no growth).
      state.building = false;
      state.store.trim();
      return { index: state.index, conflicts: state.conflicts.splice(0) };
    },
  };
}

function createState(expected = 0) {
  // Accounts as columns (account-store.ts, uuids and their table in it); the ID map holds slots, in parts
  // (parted-map.ts): growing one Map of 100,000 IDs blocks for a whole rehash.
  const store = createAccountStore(expected);
  const byId = partedMap<Claim>();
  /** The slots of each ID several accounts claim, best first (merge.ts claimOrder); freed places reused. */
  const lists: number[][] = [];
  const freeLists: number[] = [];
  /**
   * The object find/accountsFor handed out for each slot, built on the first ask and dropped when the
   * account changes: the same account is the same object while it stays unchanged (standing.ts compares
   * with includes), and the accounts nobody asks for cost no object at all.
   */
  const handedOut: (CachedAccount | undefined)[] = [];
  const byUsername = createNameIndex(store);
  const prefixedTypes = new Set<string>();
  const conflicts: Conflict[] = [];
  /**
   * Whether some index key holds a colon (a stored `license:license:abc`, an unknown `type:`). Until one
   * does, a raw key with a colon can never hit directly, and find() skips looking for its colon.
   */
  let colonInSomeKey = false;
  const state = {
    building: true,
    store,
    conflicts,
    put: (a: CachedAccount) => put(a),
    putFrom: (from: AccountIndex['store'], slot: number, observedAt: number) => putFrom(from, slot, observedAt),
    index: null as unknown as AccountIndex,
  };

  const accountAt = (slot: number): CachedAccount => handedOut[slot] ?? (handedOut[slot] = Object.freeze(store.build(slot)));
  /** The account of a slot without keeping an object for it (a walk over every account). */
  const peek = (slot: number): CachedAccount => handedOut[slot] ?? store.build(slot);
  const bySlotClaimOrder = (a: number, b: number) => claimOrder(accountAt(a), accountAt(b));

  /** Points `key` at `slots` (best first): one slot directly, several as a list. */
  const setClaims = (key: string, held: Claim | undefined, slots: number[]) => {
    const isList = held !== undefined && held < 0;
    if (slots.length === 1) {
      if (isList) freeLists.push(-held - 1);
      byId(key).set(key, slots[0]!);
    } else if (isList) {
      lists[-held - 1] = slots;
    } else {
      const n = freeLists.pop() ?? lists.length;
      lists[n] = slots;
      byId(key).set(key, -(n + 1));
    }
  };
  const slotsOf = (held: Claim): readonly number[] => (held >= 0 ? [held] : lists[-held - 1]!);

  /** `sink`: where a conflict this claim makes is reported; by default the build's list while building. */
  const claim = (key: string, slot: number, sink = state.building ? conflicts : undefined) => {
    if (key === '') return;
    const held = byId(key).get(key);
    if (held === undefined) {
      if (!colonInSomeKey && key.includes(':')) colonInSomeKey = true;
      byId(key).set(key, slot);
      return;
    }
    // An account listing one ID twice (any form) claims it once: it is no conflict with itself.
    const list = slotsOf(held).filter((s) => s !== slot);
    if (list.length === 0) {
      setClaims(key, held, [slot]);
      return;
    }
    const sorted = [...list, slot].sort(bySlotClaimOrder);
    const kept = sorted[0]!;
    sink?.push({ id: key, kept: accountAt(kept), dropped: accountAt(kept === slot ? list[0]! : slot) });
    setClaims(key, held, sorted);
  };

  const unclaim = (key: string, slot: number) => {
    const held = byId(key).get(key);
    if (held === undefined) return;
    if (held >= 0) {
      if (held === slot) byId(key).delete(key);
      return;
    }
    // Stryker disable next-line ConditionalExpression: a list of one reads the same as the account itself (first(), accountsFor()).
    setClaims(key, held, lists[-held - 1]!.filter((s) => s !== slot));
  };

  const put = (account: CachedAccount, sink?: Conflict[]): { replaced: CachedAccount | undefined; applied: boolean } => {
    let slot = store.find(account.uuid);
    const old = slot === undefined ? undefined : peek(slot);
    if (!supersedes(account, old)) return { replaced: undefined, applied: false };
    if (slot !== undefined) {
      for (const key of keysOf(old!)) unclaim(key, slot);
      byUsername.remove(slot);
      store.write(account, slot);
      handedOut[slot] = undefined;
    } else {
      slot = store.write(account);
      handedOut.push(undefined);
    }
    byUsername.put(slot);
    for (const key of keysOf(account)) claim(key, slot, sink);
    notePrefixes(account);
    return { replaced: old, applied: true };
  };

  /** put() of another store's account without its object; one this store holds already goes through put(). */
  const putFrom = (from: AccountIndex['store'], fromSlot: number, observedAt: number) => {
    if (store.findSame(from, fromSlot) !== undefined) {
      put(from.build(fromSlot, observedAt));
      return;
    }
    const slot = store.copy(from, fromSlot, observedAt);
    handedOut.push(undefined);
    byUsername.put(slot);
    // keysOf()'s order: the API IDs, then the communityUserId.
    const n = store.apiIdCount(slot);
    for (let i = 0; i < n; i++) claim(normalizeId(store.apiId(slot, i)), slot);
    const cuid = store.communityUserId(slot);
    if (cuid !== null) claim(normalizeId(cuid), slot);
    for (let i = 0; i < n; i++) noteIdPrefix(store.apiId(slot, i));
    if (cuid !== null) noteCuidPrefix(cuid);
  };

  const noteIdPrefix = (id: string) => {
    const type = prefixType(id);
    if (type !== null) prefixedTypes.add(type);
    if (isDecimalSteam64(id)) prefixedTypes.add(STEAM64_FORM);
  };
  const noteCuidPrefix = (cuid: string) => {
    const type = prefixType(cuid);
    if (type !== null) prefixedTypes.add(type);
  };
  const notePrefixes = (account: CachedAccount) => {
    for (const id of account.apiIds) noteIdPrefix(id);
    if (account.communityUserId !== null) noteCuidPrefix(account.communityUserId);
  };


  const accountsFor = (identifier: string): readonly CachedAccount[] => {
    // Only the normalized form: the raw one ("license:abc") is the index key of a stored
    // "license:license:abc", and a hit there used to hide the accounts on "abc" (a ban among them).
    const norm = normalizeId(identifier);
    const held = byId(norm).get(norm);
    if (held === undefined) return NONE;
    return held >= 0 ? [accountAt(held)] : lists[-held - 1]!.map(accountAt);
  };

  const first = (held: Claim) => accountAt(held >= 0 ? held : lists[-held - 1]![0]!);

  function* each<T>(as: (slot: number) => T): Generator<T, undefined> {
    // By slot, the order accounts first arrived in (as a Map iterates); one added meanwhile is visited.
    for (let slot = 0; slot < store.size; slot++) yield as(slot);
    return undefined;
  }
  const byUuid: ReadonlyMap<string, CachedAccount> = {
    get(uuid) {
      const slot = store.find(uuid);
      return slot === undefined ? undefined : peek(slot);
    },
    has: (uuid) => store.find(uuid) !== undefined,
    get size() {
      return store.size;
    },
    keys: () => each(store.uuid),
    values: () => each(peek),
    entries: () => each((slot): [string, CachedAccount] => [store.uuid(slot), peek(slot)]),
    forEach(fn, thisArg) {
      for (let slot = 0; slot < store.size; slot++) fn.call(thisArg, peek(slot), store.uuid(slot), byUuid);
    },
    [Symbol.iterator]: () => byUuid.entries(),
  };

  const own: Omit<AccountIndex, 'size'> = {
    byUuid,
    find(key) {
      // Fast path first: a bare ID usually arrives already lower case and matches as it is. Never for a
      // key with a colon: "license:abc" as it is would hit a stored "license:license:abc" instead of "abc".
      // Stryker disable next-line ConditionalExpression,StringLiteral: without the fast path the normalized key finds the same account.
      const direct = colonInSomeKey && key.includes(':') ? undefined : byId(key).get(key);
      // Stryker disable next-line ConditionalExpression: without the fast path the normalized key finds the same account.
      if (direct !== undefined) return (direct >= 0 ? handedOut[direct] : undefined) ?? first(direct);
      const norm = normalizeId(key);
      const held = byId(norm).get(norm);
      if (held !== undefined) return first(held);
      const slot = store.find(norm) ?? byUsername.get(key.trim().toLowerCase());
      return slot === undefined ? undefined : accountAt(slot);
    },
    accountsFor,
    standing: (identifiers) => standingOf(identifiers, accountsFor),
    upsert: put,
    redate(slot, observedAt) {
      if (!(observedAt > store.observedAt(slot))) return;
      store.redate(slot, observedAt);
      handedOut[slot] = undefined;
    },
    prefixedTypes,
    store,
    slotOf: (uuid) => store.find(uuid),
    accountAt: peek,
  };
  const index: AccountIndex = Object.assign(Object.create(SIZE_OF_STORE) as Pick<AccountIndex, 'size'>, own);
  state.index = index;
  return state;
}

/**
 * Slots by lower-cased username (one per name, the last put), keyed by a hash of that name: a number
 * key, so the index holds no lower-cased copy of every name (~40 B an account, and 50,000 strings a sweep
 * would promote). Names are compared in full on the way out, so a hash shared by two names finds each.
 */
function createNameIndex(store: AccountStore) {
  /**
   * Open addressing in one Int32Array (slot + 1; 0 empty, -1 a removed entry), at most half full: ~11 B an
   * account at 50,000 where a Map entry took ~37. The hash of each slot's name is kept (4 B), so growing
   * re-places 50,000 entries in well under a millisecond instead of lower-casing and hashing every name.
   */
  let table = new Int32Array(64);
  let hashes = new Int32Array(64);
  let taken = 0;
  const named = (lower: string, slot: number) => store.username(slot).toLowerCase() === lower;
  const place = (slot: number) => {
    const mask = table.length - 1;
    let i = hashes[slot]! & mask;
    while (table[i] !== 0) i = (i + 1) & mask;
    table[i] = slot + 1;
  };
  const grow = (slot: number) => {
    if (slot >= hashes.length) {
      const more = new Int32Array(Math.max(slot + 1, hashes.length * 2));
      more.set(hashes);
      hashes = more;
    }
    if ((taken + 1) * 2 <= table.length) return;
    let live = 0;
    for (const entry of table) if (entry > 0) live++;
    const old = table;
    let size = 64;
    while ((live + 1) * 3 > size) size *= 2;
    table = new Int32Array(size);
    taken = live;
    for (const entry of old) if (entry > 0) place(entry - 1);
  };
  return {
    get(lower: string): number | undefined {
      const mask = table.length - 1;
      for (let i = nameHash(lower) & mask; table[i] !== 0; i = (i + 1) & mask) {
        const entry = table[i]!;
        if (entry > 0 && named(lower, entry - 1)) return entry - 1;
      }
      return undefined;
    },
    /** The account of this name from now on: one held for the same name (any case) leaves. */
    put(slot: number) {
      const lower = store.username(slot).toLowerCase();
      grow(slot);
      const h = nameHash(lower);
      hashes[slot] = h;
      const mask = table.length - 1;
      let free = -1;
      let i = h & mask;
      for (; table[i] !== 0; i = (i + 1) & mask) {
        const entry = table[i]!;
        if (entry < 0) {
          if (free < 0) free = i;
        } else if (named(lower, entry - 1)) {
          table[i] = slot + 1;
          return;
        }
      }
      if (free >= 0) table[free] = slot + 1;
      else {
        table[i] = slot + 1;
        taken++;
      }
    },
    /** Only when it is the one held for its name (a later account of the same name keeps it). */
    remove(slot: number) {
      const mask = table.length - 1;
      for (let i = hashes[slot]! & mask; table[i] !== 0; i = (i + 1) & mask) {
        if (table[i] === slot + 1) {
          table[i] = -1;
          return;
        }
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
