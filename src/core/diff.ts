// What a sweep (or a single lookup) changed, per account: the FiveM layer turns this into events.
import { diffPermissions, sameMask } from './permissions';
import type { AccountIndex } from './account-index';
import { slots, unsliced, type Slicer } from './slices';
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

/**
 * diffAccounts over two indexes, reading their columns: an account whose status, name and permissions
 * are unchanged costs a few comparisons and no object (a steady 50,000-account sweep builds ~1,000).
 * `objectOf` gives the object a change reports for a slot of `after` (the sweep's own object when it is
 * what the index holds, so a first sweep does not build 50,000 copies of them).
 */
export async function diffIndexes(
  before: AccountIndex,
  after: AccountIndex,
  slicer: Slicer = unsliced,
  objectOf: (slot: number, uuid: string) => CachedAccount = (slot) => after.accountAt(slot),
): Promise<{ changes: AccountChange[]; added: number; removed: number; changed: number }> {
  const changes: AccountChange[] = [];
  let added = 0;
  let removed = 0;
  let changed = 0;
  const [b, a] = [before.store, after.store];
  await slicer.each(slots(a), (slot) => {
    const was = b.findSame(a, slot);
    // accountChange's own test, on the columns: status, name and the three permission words.
    if (was !== undefined && b.status(was) === a.status(slot) && b.username(was) === a.username(slot) && b.word(was, 0) === a.word(slot, 0) && b.word(was, 1) === a.word(slot, 1) && b.word(was, 2) === a.word(slot, 2)) return;
    const change = accountChange(was === undefined ? null : before.accountAt(was), objectOf(slot, a.uuid(slot)));
    if (!change) return;
    changes.push(change);
    if (was !== undefined) changed += 1;
    else added += 1;
  });
  await slicer.each(slots(b), (slot) => {
    if (a.findSame(b, slot) !== undefined) return;
    changes.push(accountChange(before.accountAt(slot), null)!);
    removed += 1;
  });
  return { changes, added, removed, changed };
}
