// Validated API accounts become compact, frozen CachedAccounts; and back, to plain views.
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
 * A copy of `a` for a sweep to keep (sweep-accounts.ts), made by a literal of its own. V8 learns per
 * allocation site whether its objects live long (allocation-site pretenuring): after a first sweep kept
 * every account cachedAccount() made, that site allocated each later page's accounts straight into the
 * old generation, where they died. Their young strings then survived every scavenge as if referenced,
 * and a steady 50,000-account sweep scavenged for 5-10 ms at a time instead of ~1 (issue 23). Kept
 * accounts come from here, so the page's site only ever makes objects that die young.
 */
export function keptAccount(a: CachedAccount): CachedAccount {
  return {
    uuid: a.uuid,
    username: a.username,
    communityUserId: a.communityUserId,
    apiIds: a.apiIds,
    status: a.status,
    joined: a.joined,
    lastLogin: a.lastLogin,
    w0: a.w0,
    w1: a.w1,
    w2: a.w2,
    observedAt: a.observedAt,
  };
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
