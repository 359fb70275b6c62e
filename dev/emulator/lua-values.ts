// What a Lua resource's values look like once FXServer has packed them (citizen-scripting-lua's msgpack
// packer; read back by data/shared/citizen/scripting/v8/main.js), for framework stand-ins written as host
// functions (frameworks/*.ts):
//   - a Lua function returns any number of values: the call reference answers them as an array, which
//     main.js hands over as undefined (none), the value (one) or the array (several): `luaReturns`;
//   - a table cannot hold nil (the key is simply absent), and an empty table is packed as an empty array
//     (the packer cannot tell it from an empty sequence): `luaTable`.

const RETURNS = Symbol.for('fxserver-emulator.luaReturns');

/** `return a, b` from a Lua function called through a reference (also `return` with nothing). */
export function luaReturns(...values: unknown[]): unknown {
  return { [RETURNS]: values };
}

/** The values of a luaReturns() result, or undefined for any other value. */
export function luaReturnValues(value: unknown): unknown[] | undefined {
  return typeof value === 'object' && value !== null ? (value as Record<symbol, unknown[]>)[RETURNS] : undefined;
}

/** A copy of `value` as a Lua table holding it would be packed: nil keys gone, empty tables as []. */
export function luaTable<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(luaTable) as T;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) if (v !== undefined && v !== null) out[key] = luaTable(v);
  return (Object.keys(out).length === 0 ? [] : out) as T;
}
