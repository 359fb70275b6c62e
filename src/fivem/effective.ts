// What a CAD account is worth in game. Only an active (validated) account grants anything: a banned,
// pending, expired or removed account keeps its flags in the CAD, but they must not open a job.
import { grantedPermissions, hasPermission } from '../core/permissions';
import { ACCOUNT_STATUS, type CachedAccount } from '../core/types';

export function isActive(account: CachedAccount | null | undefined): account is CachedAccount {
  return account != null && account.status === ACCOUNT_STATUS.active;
}

export function isBanned(account: CachedAccount | null | undefined): boolean {
  return account != null && account.status === ACCOUNT_STATUS.banned;
}

export function effectivePermissions(account: CachedAccount | null | undefined): string[] {
  return isActive(account) ? grantedPermissions(account) : [];
}

/** `index` from permissionIndex(); -1 (unknown flag) is never granted. */
export function hasEffectivePermission(account: CachedAccount | null | undefined, index: number): boolean {
  return index >= 0 && isActive(account) && hasPermission(account, index);
}

/** Same status, username and flags: nothing a listener would need to hear about. */
export function sameAccountState(a: CachedAccount | null, b: CachedAccount | null): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  return (
    a.uuid === b.uuid &&
    a.status === b.status &&
    a.username === b.username &&
    a.w0 === b.w0 &&
    a.w1 === b.w1 &&
    a.w2 === b.w2
  );
}
