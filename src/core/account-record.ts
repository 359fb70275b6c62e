// Validated API accounts become compact, frozen CachedAccounts; and back, to plain views.
import { flagsFromMask, grantedPermissions, maskFromFlags } from './permissions';
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

export function toCachedAccount(raw: RawAccount, onNewFlag?: (name: string) => void): CachedAccount {
  // slice(): an exact-size copy; the schema's filtered array keeps spare capacity (~100 B an account).
  const apiIds = raw.apiIds && raw.apiIds.length > 0 ? raw.apiIds.slice() : NO_IDS;
  const { w0, w1, w2 } = maskFromFlags(raw.permissions, onNewFlag);
  const communityUserId = raw.communityUserId ? raw.communityUserId : null;
  return {
    uuid: raw.uuid,
    username: raw.username,
    communityUserId,
    apiIds,
    status: raw.status,
    joined: raw.joined,
    lastLogin: raw.lastLogin,
    w0,
    w1,
    w2,
  };
}

/** The fields every outside shape shares, with a fresh apiIds array. */
function plainFields(account: CachedAccount) {
  const { uuid, username, communityUserId, status, joined, lastLogin } = account;
  return { uuid, username, communityUserId, apiIds: [...account.apiIds], status, joined, lastLogin };
}

/** Plain data for other resources: fresh arrays, granted flags only, no mask. */
export function toAccountView(account: CachedAccount): AccountView {
  return { ...plainFields(account), statusName: statusName(account.status), permissions: grantedPermissions(account) };
}

/** The API's own shape (all flags), for the snapshot file. */
export function toApiShape(account: CachedAccount): Record<string, unknown> {
  return { ...plainFields(account), permissions: flagsFromMask(account) };
}
