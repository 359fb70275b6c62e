// Validated API accounts become compact, frozen CachedAccounts; and back, to plain views.
import { supersedes } from './merge';
import { grantedPermissions, maskFromFlags } from './permissions';
import type { V1Account } from './api/schemas';
import { ACCOUNT_STATUS, type AccountView, type CachedAccount } from './types';

const NO_IDS: readonly string[] = Object.freeze([]);
const STATUS_NAME = Object.fromEntries(Object.entries(ACCOUNT_STATUS).map(([name, code]) => [code, name])) as Record<number, string>;

/** `active`, `banned`, ... or `status 7` for a code Sonoran's reference does not list. */
export function statusName(status: number): string {
  return STATUS_NAME[status] ?? `status ${status}`;
}

type RawAccount = Pick<V1Account, 'uuid' | 'username' | 'status' | 'joined' | 'lastLogin' | 'permissions'> & {
  apiIds?: string[];
  communityUserId?: string | null;
};

export function toCachedAccount(raw: RawAccount, onNewFlag?: (name: string) => void, observedAt = 0): CachedAccount {
  const { w0, w1, w2 } = maskFromFlags(raw.permissions, onNewFlag);
  return cachedAccount(raw.uuid, raw.username, raw.communityUserId ?? null, raw.apiIds ?? NO_IDS, raw.status, raw.joined, raw.lastLogin, w0, w1, w2, observedAt);
}

/** The one place a CachedAccount is made, so every account has the same shape (one hidden class). */
export function cachedAccount(
  uuid: string,
  username: string,
  communityUserId: string | null,
  apiIds: readonly string[],
  status: number,
  joined: string,
  lastLogin: string,
  w0: number,
  w1: number,
  w2: number,
  observedAt = 0,
): CachedAccount {
  return {
    // Lower case once, here: every map, diff and comparison downstream uses it as it is.
    uuid: uuid.toLowerCase(),
    username,
    communityUserId: communityUserId ? communityUserId : null,
    // slice(): an exact-size copy; the schema's filtered array keeps spare capacity (~100 B an account).
    apiIds: apiIds.length > 0 ? apiIds.slice() : NO_IDS,
    status,
    joined,
    lastLogin,
    w0,
    w1,
    w2,
    observedAt,
  };
}

/**
 * `fresh` when it says something new about the account, else `held` (re-dated to the newer observation).
 * A steady sweep so keeps the object of every unchanged account: nothing built for it outlives its page,
 * so nothing is promoted and no scavenge copies it (GC pauses are paid by every JS resource of the
 * server). Re-dating in place is merging the page's observation into the held version: the same content
 * with the newer stamp, what supersedes() picks between the two. `redated` remembers the old stamp, so a
 * sweep that fails takes it back and leaves the last good cache exactly as it was.
 */
export function unchangedOrFresh(fresh: CachedAccount, held: CachedAccount | undefined, redated: Redatings): CachedAccount {
  if (held === undefined || held === fresh || !sameRecord(fresh, held) || Object.isFrozen(held)) return fresh;
  if (supersedes(fresh, held)) {
    redated.note(held);
    (held as { observedAt: number }).observedAt = fresh.observedAt;
  }
  return held;
}

export interface Redatings {
  note(account: CachedAccount): void;
  /** Every noted account back to the stamp it had when first noted. */
  takeBack(): void;
}

/** The re-datings of one sweep, in two flat arrays (no object per account). */
export function redatings(): Redatings {
  const accounts: CachedAccount[] = [];
  const stamps: number[] = [];
  return {
    note(account) {
      accounts.push(account);
      stamps.push(account.observedAt);
    },
    takeBack() {
      // Last first: an account re-dated twice ends at the stamp it had before the sweep.
      for (let i = accounts.length - 1; i >= 0; i--) (accounts[i] as { observedAt: number }).observedAt = stamps[i]!;
      accounts.length = 0;
      stamps.length = 0;
    },
  };
}

/** Every field but the observation's date. */
function sameRecord(a: CachedAccount, b: CachedAccount): boolean {
  if (a.uuid !== b.uuid || a.status !== b.status || a.w0 !== b.w0 || a.w1 !== b.w1 || a.w2 !== b.w2) return false;
  if (a.username !== b.username || a.communityUserId !== b.communityUserId || a.joined !== b.joined || a.lastLogin !== b.lastLogin) return false;
  const ids = a.apiIds;
  if (ids.length !== b.apiIds.length) return false;
  for (let i = 0; i < ids.length; i++) if (ids[i] !== b.apiIds[i]) return false;
  return true;
}

/** Plain data for other resources: fresh arrays, granted flags only, no mask. */
export function toAccountView(account: CachedAccount): AccountView {
  const { uuid, username, communityUserId, status, joined, lastLogin } = account;
  return {
    uuid,
    username,
    communityUserId,
    apiIds: [...account.apiIds],
    status,
    statusName: statusName(account.status),
    joined,
    lastLogin,
    permissions: grantedPermissions(account),
  };
}
