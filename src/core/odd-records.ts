// What a sweep does with records it could only partly read (see api/account-reader.ts): counts the odd
// ones for one warning line per sweep, and keeps the last good version of a record whose uuid is
// unreadable, so an odd record can never erase a ban the cache already holds.
import { createHash } from 'crypto';
import { normalizeId, type AccountIndex } from './account-index';
import type { UnreadableRecord } from './api/client';
import { cachedAccount } from './account-record';
import type { GrowingMap } from './parted-map';
import { ACCOUNT_STATUS, type CachedAccount } from './types';

export interface OddRecords {
  /** Accounts read tolerantly, and how often each field was odd. */
  oddAccounts: number;
  oddFields: Map<string, number>;
  unreadable: UnreadableRecord[];
}

export const noOddRecords = (): OddRecords => ({ oddAccounts: 0, oddFields: new Map(), unreadable: [] });

export function countOdd(into: OddRecords, odd: readonly (readonly string[])[], unreadable: readonly UnreadableRecord[]): void {
  into.oddAccounts += odd.length;
  for (const fields of odd) for (const field of new Set(fields)) into.oddFields.set(field, (into.oddFields.get(field) ?? 0) + 1);
  into.unreadable.push(...unreadable);
}

export function addOdd(into: OddRecords, from: OddRecords): void {
  into.oddAccounts += from.oddAccounts;
  for (const [field, n] of from.oddFields) into.oddFields.set(field, (into.oddFields.get(field) ?? 0) + n);
  into.unreadable.push(...from.unreadable);
}

/**
 * Adds to `fresh` the cached account each unreadable record most likely is (found by its readable API
 * IDs, then its username) unless the sweep listed that account anyway. Returns how many were kept.
 * A banned record with readable API IDs also adds a banned stand-in claiming those IDs (uuid
 * `unreadable:<digest of its ids>`): the newest information says whoever holds them is banned, whether or not an older
 * version of the account was cached (a fresh install has none; the last good one may be active).
 */
export function keepLastGood(unreadable: readonly UnreadableRecord[], current: AccountIndex, fresh: GrowingMap<CachedAccount>): number {
  let kept = 0;
  for (const record of unreadable) {
    if (record.status === ACCOUNT_STATUS.banned && record.ids.length > 0) {
      const standIn = bannedStandIn(record);
      if (!fresh.has(standIn.uuid)) fresh.set(standIn.uuid, standIn);
    }
    const hint = [...record.ids, ...(record.username ? [record.username] : [])];
    const last = hint.map((key) => current.find(key)).find((a) => a !== undefined);
    if (last === undefined || fresh.has(last.uuid)) continue;
    fresh.set(last.uuid, last);
    kept += 1;
  }
  return kept;
}

/** The one warning line of a sweep with odd records, or null when every record was clean. */
export function oddWarning(odd: OddRecords, kept: number): string | null {
  const parts: string[] = [];
  if (odd.oddAccounts > 0) {
    const fields = [...odd.oddFields].sort((a, b) => b[1] - a[1]).map(([field, n]) => `${field} ${n}`);
    parts.push(`${odd.oddAccounts} account${odd.oddAccounts === 1 ? '' : 's'} with odd fields, read tolerantly (a flag that is not true grants nothing): ${fields.join(', ')}`);
  }
  if (odd.unreadable.length > 0) {
    const n = odd.unreadable.length;
    parts.push(`${n} record${n === 1 ? '' : 's'} without a readable uuid (${kept} kept as last synced, e.g. ${odd.unreadable[0]!.where})`);
  }
  return parts.length > 0 ? `the CAD sent odd account records this sweep: ${parts.join('; ')}` : null;
}

/**
 * A banned account standing for a banned record without a readable uuid: its IDs, no permissions. Its
 * uuid is a digest of the IDs, not the IDs themselves: it must fit a uuid everywhere (64 characters in the
 * shared database, where a longer one was cut and two stand-ins could collide, losing a ban).
 */
function bannedStandIn(record: UnreadableRecord): CachedAccount {
  const key = [...new Set(record.ids.map(normalizeId))].sort().join('\n');
  const uuid = `unreadable:${createHash('sha256').update(key).digest('hex').slice(0, 40)}`;
  return cachedAccount(uuid, record.username ?? '', null, record.ids, ACCOUNT_STATUS.banned, '', '', 0, 0, 0, 0);
}
