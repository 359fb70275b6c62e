// A steady sweep applied to the live index in place, instead of a second index built beside it and
// swapped in (issue 23). Building 50,000 accounts' ID map, columns and name table again every sweep
// meant megabytes of young Map tables and arrays that each scavenge copied (3-7 ms pauses in a sweep
// that changed 2% of them), and an old index for a full GC to reclaim. Here an unchanged account (a
// reading, sweep-accounts.ts) only has its date moved, and each other listed account is merged by the
// one rule (merge.ts) as a lookup's answer is: the index is at every moment one a lookup could have made.
//
// Only when the sweep drops nothing: an account the index holds that no page listed (and no newer
// observation keeps) is removed by a rebuild (account-cache.ts), as before. Patched or rebuilt, the
// outcome is the same index; only pages that all arrived are ever applied.
import type { AccountIndex, Conflict } from './account-index';
import { accountChange } from './diff';
import { supersedes } from './merge';
import { slots, type Slicer } from './slices';
import type { SweepMap } from './sweep';
import type { SweepAccounts } from './sweep-accounts';
import type { AccountChange, CachedAccount } from './types';

export interface SweepOutcome {
  changes: AccountChange[];
  added: number;
  removed: number;
  changed: number;
  conflicts: Conflict[];
}

/** What a sweep read over `index` (sweep-accounts.ts): its unchanged accounts are slots of that index. */
export type ReadOver = SweepMap & Pick<SweepAccounts, 'raw' | 'seenAt' | 'isReading' | 'held'>;
export const readOver = (accounts: SweepMap, index: AccountIndex): accounts is ReadOver => accounts.held === index;

/**
 * True when every account of `index` stays after the sweep: listed (a reading or an object), or kept by
 * `keeps` (an observation newer than the sweep's start, a lookup answered during it).
 */
export async function dropsNone(index: AccountIndex, accounts: ReadOver, keeps: (slot: number, uuid: string) => boolean, slicer: Slicer): Promise<boolean> {
  let drops = false;
  // The whole walk even after a drop: a slicer cannot be left early, and one is rare.
  await slicer.each(slots(index.store), (slot) => {
    // Stryker disable next-line ConditionalExpression,LogicalOperator: has() says the same of a reading; this skips printing 50,000 uuids.
    if (drops || accounts.isReading(slot)) return;
    const uuid = index.store.uuid(slot);
    if (!accounts.has(uuid) && !keeps(slot, uuid)) drops = true;
  });
  return !drops;
}

/**
 * Applies what the sweep read to the index it read over, in slices, with the rebuild's outcome: there the
 * sweep's accounts come first and the held index's newer observations are merged over them, so an
 * account the held one supersedes (newer, or as new: merge.ts, unless the sweep's is a ban) stays held.
 * A page is dated after the sweep began, so a held account older than that never supersedes it.
 */
export async function patchIndex(accounts: ReadOver, slicer: Slicer): Promise<SweepOutcome> {
  const index = accounts.held;
  const outcome: SweepOutcome = { changes: [], added: 0, removed: 0, changed: 0, conflicts: [] };
  await slicer.each(accounts.raw(), (entry: CachedAccount | number) => {
    if (typeof entry === 'number') {
      index.redate(entry, accounts.seenAt(entry));
      return;
    }
    const slot = index.slotOf(entry.uuid);
    const held = slot === undefined ? undefined : index.accountAt(slot);
    if (held !== undefined && supersedes(held, entry)) return;
    // The held one does not supersede it, so it supersedes the held one (merge.ts): always applied.
    const { replaced } = index.upsert(entry, outcome.conflicts);
    // diffIndexes' rule: a change of status, name or permissions (IDs alone are no change a sweep reports).
    const change = accountChange(replaced ?? null, entry);
    if (!change) return;
    outcome.changes.push(change);
    if (replaced) outcome.changed += 1;
    else outcome.added += 1;
  });
  // Only conflicts that still stand: one met on the way can be gone once a later account is applied.
  outcome.conflicts = outcome.conflicts.filter((c) => index.accountsFor(c.id).length > 1);
  return outcome;
}
