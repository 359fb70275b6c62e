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
  const apiIds = raw.apiIds && raw.apiIds.length > 0 ? raw.apiIds : NO_IDS;
  const communityUserId = raw.communityUserId ? raw.communityUserId : null;
  return {
    uuid: raw.uuid,
    username: raw.username,
    communityUserId,
    apiIds,
    status: raw.status,
    joined: raw.joined,
    lastLogin: raw.lastLogin,
    perms: maskFromFlags(raw.permissions, onNewFlag),
  };
}

/** The fields every outside shape shares, with a fresh apiIds array. */
function plainFields(account: CachedAccount) {
  const { uuid, username, communityUserId, status, joined, lastLogin } = account;
  return { uuid, username, communityUserId, apiIds: [...account.apiIds], status, joined, lastLogin };
}

/** Plain data for other resources: fresh arrays, granted flags only, no mask. */
export function toAccountView(account: CachedAccount): AccountView {
  return { ...plainFields(account), statusName: statusName(account.status), permissions: grantedPermissions(account.perms) };
}

/** The API's own shape (all flags), for the snapshot file. */
export function toApiShape(account: CachedAccount): Record<string, unknown> {
  return { ...plainFields(account), permissions: flagsFromMask(account.perms) };
}
