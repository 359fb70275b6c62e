// One CAD account record -> a CachedAccount, tolerantly. The strict schema is tried first (the common
// case costs nothing extra); a record it refuses is read field by field, so one odd record (a null flag,
// `apiIds: null`) never refuses a whole sweep and freezes the cache. Only the fields that say WHO the
// account is and WHETHER it may play are critical: the uuid always, the status on a single lookup (a
// sweep knows the status it asked for). Everything else degrades to "grants nothing / unknown".
import { z } from 'zod';
import { cachedAccount, toCachedAccount } from '../account-record';
import { maskFromFlags, PERMISSIONS } from '../permissions';
import { ACCOUNT_STATUS, type CachedAccount } from '../types';
import { v1AccountSchema, v2AccountSchema } from './schemas';

const KNOWN_FLAGS = new Set<string>(PERMISSIONS);

export type ReadAccount =
  /** `odd`: the fields read tolerantly (`permissions.police`, `apiIds`...), empty for a clean record. */
  | { ok: true; account: CachedAccount; odd: readonly string[] }
  /** A critical field is unreadable: what else could be read, to find the account's last good version. */
  | { ok: false; problem: string; ids: string[]; username: string | null; status: number | null };

export interface ReadOptions {
  version: 1 | 2;
  /** The status a sweep page was asked for: used when the record's own status is unreadable. */
  statusAsked?: number;
  onNewFlag?: (name: string) => void;
  /** When the answer carrying the record arrived (core/merge.ts: the newer observation wins). */
  observedAt?: number;
  /**
   * When the request was sent. The CAD read its state somewhere in between, so an observation is dated
   * against bans: a banned record at the arrival (the latest it can be), any other at the request (the
   * earliest). A lookup answered before a ban but slow on the way back then cannot undo the ban a later
   * page brought; only an answer to a request sent after the ban arrived can.
   */
  askedAt?: number;
}

const observedAt = (status: number, opts: ReadOptions) => (status === ACCOUNT_STATUS.banned ? opts.observedAt : (opts.askedAt ?? opts.observedAt));

const NO_ODDITIES: readonly string[] = Object.freeze([]);

const uuidField = z.string().min(1).max(64);
const statusField = z.union([z.number(), z.string().regex(/^\s*\d{1,2}\s*$/).transform(Number)]).pipe(z.number().int().min(0).max(99));
const textField = z.string().max(255);
const dateField = z.union([z.string().max(64), z.null()]).transform((d) => d ?? '');

export function readAccount(raw: unknown, opts: ReadOptions): ReadAccount {
  const clean = readClean(raw, opts);
  if (clean !== null) return { ok: true, account: clean, odd: NO_ODDITIES };
  const strict = (opts.version === 1 ? v1AccountSchema : v2AccountSchema).safeParse(raw);
  if (strict.success) return { ok: true, account: toCachedAccount(strict.data, opts.onNewFlag, observedAt(strict.data.status, opts)), odd: NO_ODDITIES };
  return readTolerantly(raw, opts);
}

/**
 * The common record, checked where it lies: exactly what the strict schema accepts, read without the
 * schema's copies (the parsed object, the filtered ID list, an entry array per flag), which a 50,000-account
 * sweep paid ~28 us an account for and the GC after it. null for anything else, which then takes the
 * schema and the tolerant path as before, so an odd record reads exactly as it always did.
 */
function readClean(raw: unknown, opts: ReadOptions): CachedAccount | null {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return null;
  const r = raw as Record<string, unknown>;
  const { uuid, username, status, joined, lastLogin, permissions } = r;
  if (typeof uuid !== 'string' || uuid.length < 1 || uuid.length > 64) return null;
  if (typeof username !== 'string' || username.length > 255) return null;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 0 || status > 99) return null;
  if (!isDate(joined) || !isDate(lastLogin) || !cleanFlags(permissions)) return null;
  let apiIds: readonly string[] = NO_IDS;
  let communityUserId: string | null = null;
  if (opts.version === 1) {
    // The schema passes a field it does not know through: a v1 record carrying a communityUserId takes it.
    if (r.communityUserId !== undefined) return null;
    const ids = r.apiIds;
    if (!Array.isArray(ids) || ids.length > 64) return null;
    let blank = false;
    for (const id of ids) {
      if (typeof id !== 'string' || id.length > 255) return null;
      if (id.trim() === '') blank = true;
    }
    apiIds = blank ? (ids as string[]).filter((id) => id.trim() !== '') : (ids as string[]);
  } else {
    if (r.apiIds !== undefined) return null;
    const id = r.communityUserId;
    if (id !== null && (typeof id !== 'string' || id.length > 255)) return null;
    communityUserId = id;
  }
  const { w0, w1, w2 } = maskFromFlags(permissions, opts.onNewFlag);
  return cachedAccount(uuid, username, communityUserId, apiIds, status, joined ?? '', lastLogin ?? '', w0, w1, w2, observedAt(status, opts));
}

const NO_IDS: readonly string[] = Object.freeze([]);
const isDate = (v: unknown): v is string | null => v === null || (typeof v === 'string' && v.length <= 64);

/** A flag object whose known flags are all booleans (unknown ones may be anything), as the schema wants. */
function cleanFlags(flags: unknown): flags is Record<string, unknown> {
  if (typeof flags !== 'object' || flags === null || Array.isArray(flags)) return false;
  for (const name in flags) {
    if (KNOWN_FLAGS.has(name) && typeof (flags as Record<string, unknown>)[name] !== 'boolean') return false;
  }
  return true;
}

/** Field by field; exported so a property test can hold it to the strict path on clean records. */
export function readTolerantly(raw: unknown, opts: ReadOptions): ReadAccount {
  const record: Record<string, unknown> = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const odd: string[] = [];
  const field = <T>(name: string, schema: z.ZodType<T>, fallback: T): T => {
    const parsed = schema.safeParse(record[name]);
    if (parsed.success) return parsed.data;
    odd.push(name);
    return fallback;
  };

  const ids = opts.version === 1 ? readIds(record.apiIds, odd) : readCommunityUserId(record.communityUserId, odd);
  const username = field('username', z.union([textField, z.number().transform(String)]), '');
  const uuid = uuidField.safeParse(record.uuid);
  const status = statusField.safeParse(record.status);
  // What is known of the status of a record that cannot be identified: a banned one still bans its IDs.
  const knownStatus = status.success ? status.data : (opts.statusAsked ?? null);
  if (!uuid.success) return { ok: false, problem: 'no readable uuid', ids, username: username || null, status: knownStatus };
  if (!status.success && opts.statusAsked === undefined) {
    return { ok: false, problem: `uuid ${uuid.data}: no readable status`, ids, username: username || null, status: null };
  }
  if (!status.success) odd.push('status');

  const flags = readFlags(record.permissions, odd);
  const statusRead = status.success ? status.data : opts.statusAsked!;
  const account = toCachedAccount(
    {
      uuid: uuid.data,
      username,
      status: statusRead,
      joined: field('joined', dateField, ''),
      lastLogin: field('lastLogin', dateField, ''),
      permissions: flags,
      ...(opts.version === 1 ? { apiIds: ids } : { communityUserId: ids[0] ?? null }),
    },
    opts.onNewFlag,
    observedAt(statusRead, opts),
  );
  return { ok: true, account, odd };
}

/** Only a flag that is exactly `true` grants; a known flag with any other value is noted as odd. */
function readFlags(value: unknown, odd: string[]): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    odd.push('permissions');
    return {};
  }
  const flags = value as Record<string, unknown>;
  for (const name in flags) {
    if (KNOWN_FLAGS.has(name) && typeof flags[name] !== 'boolean') odd.push(`permissions.${name}`);
  }
  return flags;
}

/**
 * v1 `apiIds`: every readable, non-empty string; anything else in or instead of the list is odd, and so is
 * a list longer than the schema's 64. All readable IDs are kept, however many: a cap would let a banned
 * account hide the ID that bans a player behind 64 others (the answer's size cap bounds the memory).
 */
function readIds(value: unknown, odd: string[]): string[] {
  if (!Array.isArray(value)) {
    odd.push('apiIds');
    return [];
  }
  const ids: string[] = [];
  let unreadable = value.length > 64;
  for (const id of value) {
    if (typeof id !== 'string' || id.length > 255) unreadable = true;
    else if (id.trim() !== '') ids.push(id);
  }
  if (unreadable) odd.push('apiIds');
  return ids;
}

function readCommunityUserId(value: unknown, odd: string[]): string[] {
  if (value === null) return [];
  if (typeof value === 'string' && value.length <= 255) return value === '' ? [] : [value];
  if (typeof value === 'number' && Number.isFinite(value)) {
    odd.push('communityUserId');
    return [String(value)];
  }
  odd.push('communityUserId');
  return [];
}
