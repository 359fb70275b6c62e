// The accounts of one index as columns (issue 23: 50,000 accounts in ~400 B each). A CachedAccount object
// costs ~130 B before any of its strings, its apiIds array ~64 B more and its two ISO dates ~80 B; here an
// account is a small integer (its slot): its strings sit in plain arrays, its numbers in typed arrays, its
// dates as numbers when the text is the canonical ISO form they print back to. CachedAccount objects are
// built from a slot when asked for; the index keeps the ones find/accountsFor handed out (one object per
// account while it is held, so `===` and `includes` still mean "the same account").
import { chunkedArray } from './chunked-array';
import { isoMs, isoText } from './iso-date';
import { grownSlots, resized } from './typed-arrays';
import { createUuidColumn, type UuidColumn } from './uuid-column';
import type { CachedAccount } from './types';

const NO_IDS: readonly string[] = Object.freeze([]);
/** idCount's top bit: a communityUserId follows the slot's API IDs; the other bits count those. */
const HAS_CUID = 0x80000000;
const ID_COUNT = 0x7fffffff;

export interface AccountStore {
  /** Slots in use (one per account; never freed: an account's slot is taken again by its next version). */
  readonly size: number;
  /** A new slot for `account`, or `slot` overwritten with it (same uuid). */
  write(account: CachedAccount, slot?: number): number;
  /** A new slot with the account `from` holds at `fromSlot`, dated `observedAt`: write(from.build(fromSlot, observedAt)) without the object. */
  copy(from: CopySource, fromSlot: number, observedAt: number): number;
  /** joined (0) or lastLogin (1) as epoch ms, NaN when kept as text (iso-date.ts); copy() reads it. */
  dateMs(slot: number, which: 0 | 1): number;
  joined(slot: number): string;
  /** The slot of the account with this uuid (exactly these characters). */
  find(uuid: string): number | undefined;
  /** The slot here of the account `other` holds at `otherSlot` (same uuid), without printing its uuid. */
  findSame(other: Pick<AccountStore, 'uuids'>, otherSlot: number): number | undefined;
  /** The uuid column (findSame reads the other store's). */
  readonly uuids: UuidColumn;
  uuid(slot: number): string;
  username(slot: number): string;
  status(slot: number): number;
  observedAt(slot: number): number;
  lastLogin(slot: number): string;
  communityUserId(slot: number): string | null;
  apiIdCount(slot: number): number;
  apiId(slot: number, i: number): string;
  /** Permission word 0, 1 or 2 (permissions.ts). */
  word(slot: number, i: number): number;
  /** True when `account` is field by field what the slot holds (what build() would make of it). */
  sameAs(slot: number, account: CachedAccount): boolean;
  /** sameAs but for the observation's date: the same record, seen at another time. */
  sameRecord(slot: number, account: CachedAccount): boolean;
  /** The slot's account observed at `observedAt` (nothing else about it changes). */
  redate(slot: number, observedAt: number): void;
  /** A new object with the slot's account (equal field by field to what was written), dated `observedAt` when given. */
  build(slot: number, observedAt?: number): CachedAccount;
  /** Drops the spare room growth left (after a sweep's index is built). */
  trim(): void;
}

/** What copy() reads of the store it copies from. */
export type CopySource = Pick<AccountStore, 'uuids' | 'username' | 'apiIdCount' | 'apiId' | 'communityUserId' | 'status' | 'word' | 'dateMs' | 'joined' | 'lastLogin'>;

/**
 * `expected`: how many accounts will be written (a sweep's result knows): the columns are made that size
 * at once, so neither growing them while the index is built nor trimming them after copies 50,000
 * accounts' worth in one go (trim() alone held the thread 5-15 ms at 50k).
 */
export function createAccountStore(expected = 0): AccountStore {
  let cap = 0;
  let size = 0;
  const uuids = createUuidColumn(expected);
  // Chunked (chunked-array.ts): one array of 50,000 names, made at once or grown, blocked the sweep's slices.
  const usernames = chunkedArray<string>();
  /** Places of `ids` no slot uses any more (an account rewritten with other IDs): trim() packs them out. */
  let unusedIds = 0;
  /**
   * Every slot's API IDs, one after the other, then its communityUserId when it has one: slot i holds
   * ids[idStart[i] ..] (idCount[i] & ID_COUNT API IDs, and HAS_CUID says whether the communityUserId follows).
   */
  let ids = chunkedArray<string>();
  let idStart = new Uint32Array(0);
  let idCount = new Uint32Array(0);
  let statuses = new Uint8Array(0);
  /** Three permission words a slot (w0, w1, w2: int32, as permissions.ts builds them). */
  let words = new Int32Array(0);
  let observed = new Float64Array(0);
  /** joined and lastLogin of a slot, as epoch ms; NaN (not canonical ISO text, iso-date.ts) sends the reader to `texts`. */
  let dates = new Float64Array(0);
  /** The dates that are not canonical ISO text, by slot * 2 (+1 for lastLogin). */
  const texts = new Map<number, string>();

  const resize = (to: number) => {
    idStart = resized(idStart, to, 1, Uint32Array);
    idCount = resized(idCount, to, 1, Uint32Array);
    statuses = resized(statuses, to, 1, Uint8Array);
    words = resized(words, to, 3, Int32Array);
    observed = resized(observed, to, 1, Float64Array);
    dates = resized(dates, to, 2, Float64Array);
    cap = to;
  };

  if (expected > 0) resize(expected);

  const putDate = (slot: number, which: 0 | 1, text: string) => {
    const at = isoMs(text);
    dates[slot * 2 + which] = at;
    if (Number.isNaN(at)) texts.set(slot * 2 + which, text);
    else texts.delete(slot * 2 + which);
  };
  const sameDate = (slot: number, which: 0 | 1, text: string): boolean => {
    const at = dates[slot * 2 + which]!;
    return Number.isNaN(at) ? texts.get(slot * 2 + which) === text : isoMs(text) === at;
  };
  const dateAt = (slot: number, which: 0 | 1): string => {
    const at = dates[slot * 2 + which]!;
    return Number.isNaN(at) ? texts.get(slot * 2 + which)! : isoText(at);
  };

  const writeIds = (slot: number, apiIds: readonly string[], communityUserId: string | null, fresh: boolean) => {
    const n = apiIds.length;
    const total = n + (communityUserId === null ? 0 : 1);
    // In place when the new list fits where the old one was; else at the end (the old place is left
    // unused: only lookups that add IDs to an account do that, and the next sweep builds a new store).
    if (!fresh) unusedIds += total > entries(slot) ? entries(slot) : entries(slot) - total;
    if (fresh || total > entries(slot)) idStart[slot] = ids.length;
    const start = idStart[slot]!;
    for (let i = 0; i < n; i++) ids.set(start + i, apiIds[i]!);
    if (communityUserId !== null) ids.set(start + n, communityUserId);
    idCount[slot] = communityUserId === null ? n : (n | HAS_CUID) >>> 0;
  };
  /** How many places of `ids` the slot uses. */
  const entries = (slot: number) => (idCount[slot]! & ID_COUNT) + (idCount[slot]! >>> 31);
  const communityUserId = (slot: number) => (idCount[slot]! >>> 31 === 0 ? null : ids.at(idStart[slot]! + (idCount[slot]! & ID_COUNT))!);

  function sameRecord(slot: number, a: CachedAccount): boolean {
    const n = idCount[slot]! & ID_COUNT;
    if (a.status !== statuses[slot] || a.w0 !== words[slot * 3] || a.w1 !== words[slot * 3 + 1] || a.w2 !== words[slot * 3 + 2]) return false;
    if (a.username !== usernames.at(slot) || a.communityUserId !== communityUserId(slot) || a.apiIds.length !== n) return false;
    const start = idStart[slot]!;
    for (let i = 0; i < n; i++) if (a.apiIds[i] !== ids.at(start + i)) return false;
    return sameDate(slot, 0, a.joined) && sameDate(slot, 1, a.lastLogin) && uuids.find(a.uuid) === slot;
  }

  return {
    get size() {
      return size;
    },
    write(account, slot) {
      const fresh = slot === undefined;
      const s = fresh ? size++ : slot;
      if (s >= cap) resize(Math.max(s + 1, grownSlots(cap)));
      if (fresh) uuids.add(s, account.uuid);
      usernames.set(s, account.username);
      writeIds(s, account.apiIds, account.communityUserId, fresh);
      statuses[s] = account.status;
      words[s * 3] = account.w0;
      words[s * 3 + 1] = account.w1;
      words[s * 3 + 2] = account.w2;
      observed[s] = account.observedAt;
      putDate(s, 0, account.joined);
      putDate(s, 1, account.lastLogin);
      return s;
    },
    copy(from, fromSlot, observedAt) {
      const s = size++;
      if (s >= cap) resize(Math.max(s + 1, grownSlots(cap)));
      uuids.addSame(s, from.uuids, fromSlot);
      usernames.set(s, from.username(fromSlot));
      const n = from.apiIdCount(fromSlot);
      const cuid = from.communityUserId(fromSlot);
      const start = (idStart[s] = ids.length);
      for (let i = 0; i < n; i++) ids.set(start + i, from.apiId(fromSlot, i));
      if (cuid !== null) ids.set(start + n, cuid);
      idCount[s] = cuid === null ? n : (n | HAS_CUID) >>> 0;
      statuses[s] = from.status(fromSlot);
      for (let i = 0; i < 3; i++) words[s * 3 + i] = from.word(fromSlot, i);
      observed[s] = observedAt;
      dates[s * 2] = from.dateMs(fromSlot, 0);
      dates[s * 2 + 1] = from.dateMs(fromSlot, 1);
      if (Number.isNaN(dates[s * 2]!)) texts.set(s * 2, from.joined(fromSlot));
      if (Number.isNaN(dates[s * 2 + 1]!)) texts.set(s * 2 + 1, from.lastLogin(fromSlot));
      return s;
    },
    redate(slot, observedAt) {
      observed[slot] = observedAt;
    },
    dateMs: (slot, which) => dates[slot * 2 + which]!,
    joined: (slot) => dateAt(slot, 0),
    find: (uuid) => uuids.find(uuid),
    findSame: (other, otherSlot) => uuids.findSame(other.uuids, otherSlot),
    uuids,
    uuid: (slot) => uuids.text(slot),
    username: (slot) => usernames.at(slot)!,
    status: (slot) => statuses[slot]!,
    observedAt: (slot) => observed[slot]!,
    lastLogin: (slot) => dateAt(slot, 1),
    communityUserId,
    apiIdCount: (slot) => idCount[slot]! & ID_COUNT,
    apiId: (slot, i) => ids.at(idStart[slot]! + i)!,
    word: (slot, i) => words[slot * 3 + i]!,
    sameAs: (slot, a) => a.observedAt === observed[slot] && sameRecord(slot, a),
    sameRecord,
    build(slot, observedAt = observed[slot]!) {
      const n = idCount[slot]! & ID_COUNT;
      const start = idStart[slot]!;
      const apiIds = n === 0 ? NO_IDS : ids.slice(start, start + n);
      // The same fields in the same order as account-record.ts cachedAccount(): one hidden class.
      return {
        uuid: uuids.text(slot),
        username: usernames.at(slot)!,
        communityUserId: communityUserId(slot),
        apiIds,
        status: statuses[slot]!,
        joined: dateAt(slot, 0),
        lastLogin: dateAt(slot, 1),
        w0: words[slot * 3]!,
        w1: words[slot * 3 + 1]!,
        w2: words[slot * 3 + 2]!,
        observedAt,
      };
    },
    trim() {
      if (cap > size) resize(size);
      uuids.trim(size);
      // The names and IDs are chunked (chunked-array.ts): at most one chunk's spare room, nothing to cut.
      // Only the IDs still referenced, packed in slot order.
      if (unusedIds === 0) return;
      unusedIds = 0;
      const packed = chunkedArray<string>();
      for (let s = 0; s < size; s++) {
        const start = idStart[s]!;
        idStart[s] = packed.length;
        for (let i = 0, n = entries(s); i < n; i++) packed.push(ids.at(start + i)!);
      }
      ids = packed;
    },
  };
}
