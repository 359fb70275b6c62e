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
