// What crosses a resource boundary in FXServer is msgpack: plain data survives, functions become
// callable references, and anything else (class instances, Maps, Dates) loses its type. The emulator
// copies values the same way and records what a real server would have mangled.

export function toPlain(value: unknown, warnings: string[], where: string): unknown {
  return copy(value, warnings, where, 0);
}

function copy(value: unknown, warnings: string[], where: string, depth: number): unknown {
  if (value === null || value === undefined) return value === null ? null : undefined;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return value;
    case 'bigint':
      warnings.push(`${where}: a BigInt does not survive msgpack`);
      return Number(value);
    case 'function': {
      const fn = value as (...args: unknown[]) => unknown;
      // A function reference: callable from the other side, its arguments and result copied again.
      return (...args: unknown[]) => copy(fn(...args.map((a, i) => copy(a, warnings, `${where}(arg ${i})`, 0))), warnings, `${where}()`, 0);
    }
    case 'symbol':
      warnings.push(`${where}: a Symbol does not survive msgpack`);
      return undefined;
  }
  if (depth > 64) {
    warnings.push(`${where}: nested deeper than 64 levels`);
    return null;
  }
  if (Array.isArray(value)) return value.map((item, i) => copy(item, warnings, `${where}[${i}]`, depth + 1) ?? null);
  const tag = Object.prototype.toString.call(value);
  const proto = Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null;
  const plain = tag === '[object Object]' && (proto === null || proto.constructor?.name === 'Object');
  if (!plain) warnings.push(`${where}: a ${proto?.constructor?.name ?? tag} is not plain data and arrives as a plain object`);
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    const copied = copy(item, warnings, `${where}.${key}`, depth + 1);
    if (copied !== undefined) out[key] = copied;
  }
  return out;
}

export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
