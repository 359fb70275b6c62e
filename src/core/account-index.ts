// The lookup structure: every account by each normalized API ID (and v2 communityUserId), by uuid and
// by username. A sweep builds a new one off to the side and swaps it in whole; a single lookup patches
// one account into the live one (O(its IDs), not a rebuild of 50,000 accounts).
import { ACCOUNT_STATUS, type CachedAccount } from './types';

/** FiveM identifier types whose `type:` prefix is stripped, so `license:abc`, `abc` and `LICENSE:ABC` meet. */
const PREFIXES = ['license2:', 'license:', 'steam:', 'discord:', 'fivem:', 'xbl:', 'live:', 'ip:'];
const LONGEST_PREFIX = 9;

/**
 * The index key of an ID. On the connect and lookup paths, so it avoids work: an ID that is already
 * trimmed, lower-case and bare (a license hash, a Discord snowflake) comes back as the same string.
 */
export function normalizeId(id: string): string {
  let s = id;
  if (s.length > 0 && (s.charCodeAt(0) <= 32 || s.charCodeAt(s.length - 1) <= 32)) s = s.trim();
  s = withoutPrefix(s);
  return hasUpperCase(s) ? s.toLowerCase() : s;
}

/** A char loop: a regex test would flatten the sliced string first. */
function hasUpperCase(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 65 && c <= 90) return true;
  }
  return false;
}

function withoutPrefix(s: string): string {
  const end = s.indexOf(':') + 1;
  if (end < 2 || end > LONGEST_PREFIX) return s;
  // FXServer hands identifiers out in lower case; compare in place before paying for a lower-case copy.
  for (const prefix of PREFIXES) if (prefix.length === end && s.startsWith(prefix)) return s.slice(end);
  return PREFIXES.includes(s.slice(0, end).toLowerCase()) ? s.slice(end) : s;
}

export interface Conflict {
  id: string;
  kept: CachedAccount;
  dropped: CachedAccount;
}

export interface AccountIndex {
  readonly size: number;
  byUuid: ReadonlyMap<string, CachedAccount>;
  find(key: string): CachedAccount | undefined;
  findByIdentifiers(identifiers: readonly string[]): CachedAccount | undefined;
  /** Adds or replaces one account in place (single lookups). Returns the version it replaced. */
  upsert(account: CachedAccount): CachedAccount | undefined;
}

/** Which of two accounts claiming one ID wins: a banned one (security), then the most recently active. */
export function preferred(a: CachedAccount, b: CachedAccount): CachedAccount {
  const aBanned = a.status === ACCOUNT_STATUS.banned;
  const bBanned = b.status === ACCOUNT_STATUS.banned;
  if (aBanned !== bBanned) return aBanned ? a : b;
  return b.lastLogin > a.lastLogin ? b : a;
}

export interface IndexBuilder {
  /** Adds or replaces (same uuid) an account. */
  add(account: CachedAccount): void;
  readonly size: number;
  finish(): { index: AccountIndex; conflicts: Conflict[] };
}

export function createIndexBuilder(): IndexBuilder {
  const byUuid = new Map<string, CachedAccount>();
  const byId = new Map<string, CachedAccount>();
  const byUsername = new Map<string, CachedAccount>();
  const conflicts: Conflict[] = [];

  const claim = (key: string, account: CachedAccount) => {
    if (key === '') return;
    const held = byId.get(key);
    if (held === undefined || held.uuid === account.uuid) {
      byId.set(key, account);
      return;
    }
    const kept = preferred(held, account);
    conflicts.push({ id: key, kept, dropped: kept === held ? account : held });
    byId.set(key, kept);
  };

  const builder: IndexBuilder = {
    add(account) {
      byUuid.set(account.uuid.toLowerCase(), account);
      byUsername.set(account.username.toLowerCase(), account);
      for (const id of account.apiIds) claim(normalizeId(id), account);
      if (account.communityUserId !== null) claim(normalizeId(account.communityUserId), account);
    },
    get size() {
      return byUuid.size;
    },
    finish() {
      return { index: freeze(byUuid, byId, byUsername), conflicts };
    },
  };
  return builder;
}

function freeze(
  byUuid: Map<string, CachedAccount>,
  byId: Map<string, CachedAccount>,
  byUsername: Map<string, CachedAccount>,
): AccountIndex {
  const find = (key: string): CachedAccount | undefined => {
    // Fast path first: identifiers usually arrive already lower case and match as they are.
    const direct = byId.get(key);
    if (direct !== undefined) return direct;
    const norm = normalizeId(key);
    return byId.get(norm) ?? byUuid.get(norm) ?? byUsername.get(key.trim().toLowerCase());
  };
  const keysOf = (account: CachedAccount) => {
    const keys = account.apiIds.map(normalizeId);
    if (account.communityUserId !== null) keys.push(normalizeId(account.communityUserId));
    return keys;
  };
  return {
    get size() {
      return byUuid.size;
    },
    byUuid,
    find,
    findByIdentifiers(identifiers) {
      for (const identifier of identifiers) {
        const hit = byId.get(normalizeId(identifier));
        if (hit !== undefined) return hit;
      }
      return undefined;
    },
    upsert(account) {
      const uuid = account.uuid.toLowerCase();
      const old = byUuid.get(uuid);
      if (old) {
        for (const key of keysOf(old)) if (byId.get(key) === old) byId.delete(key);
        if (byUsername.get(old.username.toLowerCase()) === old) byUsername.delete(old.username.toLowerCase());
      }
      byUuid.set(uuid, account);
      byUsername.set(account.username.toLowerCase(), account);
      for (const key of keysOf(account)) {
        const held = byId.get(key);
        if (key !== '') byId.set(key, held === undefined ? account : preferred(held, account));
      }
      return old;
    },
  };
}

/** A fresh empty index (never share one: upsert mutates). */
export const emptyIndex = (): AccountIndex => createIndexBuilder().finish().index;
