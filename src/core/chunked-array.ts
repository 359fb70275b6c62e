// An array of 50,000+ strings or objects (a column of the compact store, the sweep's listing order) as
// chunks of 1,024 entries, each an ordinary 8 KB heap object. One JS array past ~16,000 entries is a V8
// large object: growing it copies all of it in one go (4-5 ms at 114,000 entries on this project's bench
// machine) and making one of 50,000 at once took 1.7 ms (fresh pages each time), either inside one of a
// sweep's 1 ms slices (issue 23). A chunk is made as the array reaches it, and never copied.

const BITS = 10;
const SIZE = 1 << BITS;
const MASK = SIZE - 1;

export interface ChunkedArray<T> {
  /** One past the highest index set. */
  readonly length: number;
  /** undefined past `length` or where nothing was set, as an array's hole reads. */
  at(i: number): T | undefined;
  /** Sets index i (any i >= 0; the length grows to i + 1 as needed). */
  set(i: number, value: T): void;
  /** Appends and returns the index it went to. */
  push(value: T): number;
  /** A plain array of the entries from `start` to `end` (exclusive). */
  slice(start: number, end: number): T[];
}

export function chunkedArray<T>(): ChunkedArray<T> {
  const chunks: (T | undefined)[][] = [];
  let length = 0;
  const set = (i: number, value: T) => {
    const c = i >> BITS;
    while (chunks.length <= c) chunks.push(new Array<T | undefined>(SIZE));
    chunks[c]![i & MASK] = value;
    if (i >= length) length = i + 1;
  };
  return {
    get length() {
      return length;
    },
    at: (i) => (i < length ? chunks[i >> BITS]![i & MASK] : undefined),
    set,
    push(value) {
      const i = length;
      set(i, value);
      return i;
    },
    slice(start, end) {
      const out = new Array<T>(Math.max(0, end - start));
      for (let i = start; i < end; i++) out[i - start] = chunks[i >> BITS]![i & MASK] as T;
      return out;
    },
  };
}
