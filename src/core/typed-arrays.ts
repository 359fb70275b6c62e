// The columns of the compact store (account-store.ts, uuid-column.ts) grow and shrink as one: each is a
// typed array of `per` numbers a slot, copied into a new one of `slots` slots (cut or zero-filled).
export type Column = Uint8Array | Uint32Array | Int32Array | Float64Array;

export function resized<T extends Column>(a: T, slots: number, per: number, make: new (n: number) => T): T {
  const b = new make(slots * per);
  b.set(a.subarray(0, Math.min(a.length, slots * per)));
  return b;
}

/**
 * The slots a column grows to when full: doubling while small, then an eighth more. A steady sweep patched
 * into the live index (sweep-patch.ts) adds the few accounts that joined to columns made for exactly the
 * last sweep's: doubling there would leave 50,000 slots of every column unused for one new account.
 */
export const grownSlots = (cap: number): number => (cap < 4_096 ? Math.max(64, cap * 2) : cap + (cap >> 3));
