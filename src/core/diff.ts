// What a sweep (or a single lookup) changed, per account: the FiveM layer turns this into events.
import { diffPermissions, sameMask } from './permissions';
import { unsliced, type Slicer } from './slices';
import type { AccountChange, CachedAccount } from './types';

export function accountChange(before: CachedAccount | null, after: CachedAccount | null): AccountChange | null {
  const subject = (after ?? before)!;
  if (before && after && before.status === after.status && before.username === after.username && sameMask(before, after)) {
    return null;
  }
  const { granted, revoked } = diffPermissions(before ?? NONE, after ?? NONE);
  return {
    uuid: subject.uuid,
    username: subject.username,
    before,
    after,
    granted,
    revoked,
    statusBefore: before ? before.status : null,
    statusAfter: after ? after.status : null,
  };
}

const NONE = { w0: 0, w1: 0, w2: 0 };

export async function diffAccounts(
  before: ReadonlyMap<string, CachedAccount>,
  after: ReadonlyMap<string, CachedAccount>,
  slicer: Slicer = unsliced,
): Promise<{ changes: AccountChange[]; added: number; removed: number; changed: number }> {
  const changes: AccountChange[] = [];
  let added = 0;
  let removed = 0;
  let changed = 0;
  await slicer.each(after, ([uuid, now]) => {
    const was = before.get(uuid) ?? null;
    const change = accountChange(was, now);
    if (!change) return;
    changes.push(change);
    if (was) changed += 1;
    else added += 1;
  });
  await slicer.each(before, ([uuid, was]) => {
    if (after.has(uuid)) return;
    changes.push(accountChange(was, null)!);
    removed += 1;
  });
  return { changes, added, removed, changed };
}
