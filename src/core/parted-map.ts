// Maps of 50,000+ keys in parts. V8 grows a Map (or Set) by rehashing all of it at once, ~0.2-0.4 us a
// key on this project's machine: one uninterruptible block of ~12 ms at 65,536 entries, in the middle of
// a sweep's slices. A part holds a sixteenth of the keys and grows in ~1 ms.
//
// The part is the key's last character code & 31: IDs end in a hex digit (licenses, Steam hex, uuids)
// or a decimal one (Discord, FiveM), and '0'-'9' land in parts 16-25, 'a'-'f' (and 'A'-'F') in 1-6: 16
// parts of 32 share them evenly. With & 15, 'a'-'f' shared the parts of '1'-'6': six parts held twice
// their share and rehashed 8,192 entries at once (3-5 ms in a steady 50k sweep). One character and one
// operation: every find() pays for what picks the part (a table or a fold of three characters cost it
// 10-20% of its speed).

import { chunkedArray } from './chunked-array';

export const PARTS = 32;

/** The part of `parts` a key lives in ('' too: NaN & 31 is 0). */
export const partIndex = (key: string): number => key.charCodeAt(key.length - 1) & (PARTS - 1);

/** `(key) => the Map that key lives in`: the caller reads and writes that part as a plain Map. */
export function partedMap<V>(): (key: string) => Map<string, V> {
  const parts = Array.from({ length: PARTS }, () => new Map<string, V>());
  return (key) => parts[partIndex(key)]!;
}

/** A map that only grows (a key set again keeps its place), iterated in insertion order like a Map. */
export interface GrowingMap<V> extends ReadonlyMap<string, V> {
  set(key: string, value: V): this;
}

export function growingMap<V>(): GrowingMap<V> {
  const part = partedMap<V>();
  const order = chunkedArray<string>();
  const valueOf = (key: string) => part(key).get(key)!;
  // By index over `order`: a key added while iterating is visited, as a Map's iterator does.
  function* each<T>(as: (key: string) => T): Generator<T, undefined> {
    for (let i = 0; i < order.length; i++) yield as(order.at(i)!);
    return undefined;
  }
  const map: GrowingMap<V> = {
    get: (key) => part(key).get(key),
    has: (key) => part(key).has(key),
    set(key, value) {
      const p = part(key);
      if (!p.has(key)) order.push(key);
      p.set(key, value);
      return map;
    },
    get size() {
      return order.length;
    },
    keys: () => each((key) => key),
    values: () => each(valueOf),
    entries: () => each((key): [string, V] => [key, valueOf(key)]),
    forEach(fn, thisArg) {
      for (let i = 0; i < order.length; i++) fn.call(thisArg, valueOf(order.at(i)!), order.at(i)!, map);
    },
    [Symbol.iterator]: () => map.entries(),
  };
  return map;
}

/**
 * A set of strings in parts, and of small integers in a bitmap (a held account's slot, sweep-accounts.ts:
 * counted without keeping its uuid). Only add and size: what a sweep counts accounts with.
 */
export function partedSet(): { add(key: string | number): void; readonly size: number } {
  const parts = Array.from({ length: PARTS }, () => new Set<string>());
  let numbers = new Uint8Array(0);
  let size = 0;
  return {
    add(key) {
      if (typeof key === 'number') {
        if (key >= numbers.length) {
          const more = new Uint8Array(Math.max(64, key + 1, numbers.length * 2));
          more.set(numbers);
          numbers = more;
        }
        if (numbers[key] === 1) return;
        numbers[key] = 1;
        size += 1;
        return;
      }
      const part = parts[partIndex(key)]!;
      if (part.has(key)) return;
      part.add(key);
      size += 1;
    },
    get size() {
      return size;
    },
  };
}
