// Which of a player's FiveM identifiers we match against CAD accounts, and in what order.

/** Never matched: an IP says nothing about who the player is, and must not leave the server. */
const NEVER_MATCHED = new Set(['ip']);

/**
 * The identifier types to try, most trusted first: `primaryIdentifier` (the convar Sonoran's own
 * resource uses) leads, then the configured list, without duplicates or `ip`.
 */
export function identifierOrder(configured: readonly string[], primary: string): string[] {
  const order: string[] = [];
  for (const type of [primary, ...configured]) {
    const t = type.trim().toLowerCase();
    if (t !== '' && !NEVER_MATCHED.has(t) && !order.includes(t)) order.push(t);
  }
  return order;
}

/** The player's identifiers of the wanted types, sorted by `order`. Input is FXServer's `type:value` list. */
export function orderedIdentifiers(raw: readonly string[], order: readonly string[]): string[] {
  const picked: { rank: number; id: string }[] = [];
  for (const id of raw) {
    if (typeof id !== 'string') continue;
    const colon = id.indexOf(':');
    if (colon <= 0) continue;
    const rank = order.indexOf(id.slice(0, colon).toLowerCase());
    if (rank >= 0) picked.push({ rank, id });
  }
  return picked.sort((a, b) => a.rank - b.rank).map((p) => p.id);
}

/** The value a player links in the CAD: Sonoran's resource sends the bare value, without `type:`. */
export function bareValue(identifier: string): string {
  const colon = identifier.indexOf(':');
  return colon < 0 ? identifier : identifier.slice(colon + 1);
}

/**
 * `(v | 0) === v`: a positive 31-bit integer, the range FXServer ids live in (and a cheap test: it runs
 * on every hasPermission call).
 */
export function isServerIdNumber(value: number): boolean {
  return value > 0 && (value | 0) === value;
}

/**
 * A numeric-string server id ("3", as GetPlayers() and Lua callers hand them) without a RegExp or a
 * Number() round trip: digits only, no leading zero, at most 2^31 - 1. -1 when it is no id.
 */
export function serverIdOfString(value: string): number {
  const n = value.length;
  if (n === 0 || n > 10) return -1;
  let id = value.charCodeAt(0) - 48;
  if (id < 1 || id > 9) return -1;
  for (let i = 1; i < n; i++) {
    const d = value.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    id = id * 10 + d;
  }
  return id <= 0x7fffffff ? id : -1;
}

/**
 * A server id from an export argument or command word: a positive integer, or a string of one.
 * Anything else (undefined, objects, '1e3', '-2', huge strings) is no player.
 */
export function parseServerId(value: unknown): number | null {
  if (typeof value === 'number') return isServerIdNumber(value) ? value : null;
  if (typeof value === 'string' && value.length <= 10 && /^[1-9][0-9]*$/.test(value)) return Number(value);
  return null;
}
