// What a sweep read, by uuid, when the cache already holds most of it (issue 23: a steady sweep). A page's
// account that is field by field what the held index has (all but the date it was seen) is kept as that
// slot and the date, two numbers: no object, no uuid string outlives its page, so nothing is promoted and
// no scavenge copies 50,000 accounts (GC pauses are paid by every JS resource of the server). Read back,
// such an account is built from the held columns with the sweep's date: the observation the page made.
// Accounts the index lacks or holds otherwise are kept as the page's objects, as a plain map would.
//
// The held index stays the live one while the sweep runs, and a lookup may rewrite a slot in place:
// detach(uuid) must be called before that (account-cache.ts merge()), and turns the slot back into an
// object as the page saw it.
import type { AccountIndex } from './account-index';
import { keptAccount } from './account-record';
import { chunkedArray } from './chunked-array';
import { partedMap, type GrowingMap } from './parted-map';
import type { CachedAccount } from './types';

export interface SweepAccounts extends GrowingMap<CachedAccount> {
  /** The key a sweep counts this uuid by: its slot in the held index (a number, no string kept), else the uuid. */
  keyOf(uuid: string): string | number;
  /** Before the held index's slot of `uuid` changes: what the sweep read of it becomes an object. */
  detach(uuid: string): void;
  /**
   * The entries in order without building an object for a reading: its slot of `held` (dated seenAt(slot)),
   * or the object. For walks that can copy from the held columns (the index builder's addFrom).
   */
  raw(): Generator<CachedAccount | number, undefined>;
  seenAt(slot: number): number;
  /** True while the sweep holds `slot` of `held` as a reading (listed, unchanged, no object of its own). */
  isReading(slot: number): boolean;
  readonly held: AccountIndex;
  /** The object kept for `uuid`, never one built from a reading (the caller has the columns already). */
  own(uuid: string): CachedAccount | undefined;
}

export function sweptAccounts(held: AccountIndex): SweepAccounts {
  const { store } = held;
  /** Only slots the index had when the sweep began: later ones (lookups) are kept as objects. */
  const slots = store.size;
  /** The date a slot was read at, NaN while the sweep holds no such reading (never listed, or an object). */
  const seenAt = new Float64Array(slots).fill(NaN);
  /** Where in `order` a slot's reading is. */
  const place = new Int32Array(slots);
  /** Objects by uuid; `order` is the listing order: a uuid (an object) or a slot (a reading). */
  const objects = partedMap<CachedAccount>();
  const order = chunkedArray<string | number>();

  const slotOf = (uuid: string): number => {
    const slot = held.slotOf(uuid);
    return slot !== undefined && slot < slots ? slot : -1;
  };
  const read = (slot: number): CachedAccount => store.build(slot, seenAt[slot]!);
  const valueAt = (entry: string | number): CachedAccount => (typeof entry === 'number' ? read(entry) : objects(entry).get(entry)!);
  const keyAt = (entry: string | number): string => (typeof entry === 'number' ? store.uuid(entry) : entry);
  function* each<T>(as: (entry: string | number) => T): Generator<T, undefined> {
    // By index: a key added while iterating is visited, as a Map's iterator does.
    for (let i = 0; i < order.length; i++) yield as(order.at(i)!);
    return undefined;
  }
  /** True while the sweep holds `slot` (of `held` when the sweep began) as a reading. */
  const isReading = (slot: number): boolean => slot >= 0 && slot < slots && !Number.isNaN(seenAt[slot]!);
  /** The slot of `uuid` while the sweep holds a reading of it, else -1. */
  const readingOf = (uuid: string): number => {
    const slot = slotOf(uuid);
    return isReading(slot) ? slot : -1;
  };
  /** A slot's reading becomes `account`, an object, at the same place in the order. */
  const toObject = (slot: number, uuid: string, account: CachedAccount) => {
    objects(uuid).set(uuid, account);
    order.set(place[slot]!, uuid);
    seenAt[slot] = NaN;
  };

  const map: SweepAccounts = {
    get(uuid) {
      const own = objects(uuid).get(uuid);
      if (own !== undefined) return own;
      const slot = readingOf(uuid);
      return slot >= 0 ? read(slot) : undefined;
    },
    has: (uuid) => objects(uuid).has(uuid) || readingOf(uuid) >= 0,
    set(uuid, account) {
      const part = objects(uuid);
      if (part.has(uuid)) {
        part.set(uuid, keptAccount(account));
        return map;
      }
      const slot = slotOf(uuid);
      const reading = isReading(slot);
      if (slot >= 0 && account.uuid === uuid && store.sameRecord(slot, account)) {
        if (!reading) place[slot] = order.push(slot);
        seenAt[slot] = account.observedAt;
      } else if (reading) {
        toObject(slot, uuid, keptAccount(account));
      } else {
        order.push(uuid);
        part.set(uuid, keptAccount(account));
      }
      return map;
    },
    get size() {
      return order.length;
    },
    keys: () => each(keyAt),
    values: () => each(valueAt),
    entries: () => each((entry): [string, CachedAccount] => [keyAt(entry), valueAt(entry)]),
    forEach(fn, thisArg) {
      for (let i = 0; i < order.length; i++) fn.call(thisArg, valueAt(order.at(i)!), keyAt(order.at(i)!), map);
    },
    [Symbol.iterator]: () => map.entries(),
    keyOf(uuid) {
      const slot = slotOf(uuid);
      return slot >= 0 ? slot : uuid;
    },
    detach(uuid) {
      const slot = readingOf(uuid);
      if (slot >= 0) toObject(slot, uuid, read(slot));
    },
    raw: () => each((entry) => (typeof entry === 'number' ? entry : objects(entry).get(entry)!)),
    seenAt: (slot) => seenAt[slot]!,
    isReading,
    held,
    own: (uuid) => objects(uuid).get(uuid),
  };
  return map;
}
