// Plain data for everything that crosses a resource boundary (exports, events): fresh objects, no
// class instances, no permission masks, never a secret.
import { toAccountView } from '../core/account-record';
import type { AccountChange, AccountView, CachedAccount, SweepSummary } from '../core/types';
import { effectivePermissions } from './effective';

export function accountView(account: CachedAccount | null | undefined): AccountView | null {
  return account ? toAccountView(account) : null;
}

export interface ChangeView {
  uuid: string;
  username: string;
  granted: string[];
  revoked: string[];
  statusBefore: number | null;
  statusAfter: number | null;
}

export interface SummaryView extends Omit<SweepSummary, 'changes' | 'startedAt' | 'shared'> {
  ok: true;
  /** The first MAX_SUMMARY_CHANGES changes; `changesOmitted` counts the rest. */
  changes: ChangeView[];
  changesOmitted: number;
}

/**
 * `granted` / `revoked` mean the same here as in playerUpdated: in-game permissions, which only an active
 * account has. A ban therefore revokes every flag the account had in game, whatever the CAD still lists.
 */
export function changeView(change: AccountChange): ChangeView {
  return { uuid: change.uuid, username: change.username, ...playerDiff(change.before, change.after) };
}

/**
 * At most this many per-account changes cross to other resources in one summary. The first sweep of a
 * 50,000-account community "adds" every account: copying and serializing all of that into every
 * listener would stall the server, and no job script needs it (playerUpdated covers who is online).
 */
export const MAX_SUMMARY_CHANGES = 500;

export function summaryView(summary: SweepSummary): SummaryView {
  const { changes, startedAt: _startedAt, shared: _shared, ...counts } = summary;
  return {
    ok: true,
    ...counts,
    byStatus: { ...counts.byStatus },
    changes: changes.slice(0, MAX_SUMMARY_CHANGES).map(changeView),
    changesOmitted: Math.max(0, changes.length - MAX_SUMMARY_CHANGES),
  };
}

/** What `playerUpdated` carries besides the account: the in-game (effective) permission diff. */
export function playerDiff(before: CachedAccount | null, after: CachedAccount | null) {
  const was = effectivePermissions(before);
  const now = effectivePermissions(after);
  return {
    granted: now.filter((p) => !was.includes(p)),
    revoked: was.filter((p) => !now.includes(p)),
    statusBefore: before ? before.status : null,
    statusAfter: after ? after.status : null,
  };
}

/** One human line for the console and cadrefresh: `1234 accounts (active 1200, banned 34); +3 -1 ~2; 14 calls in 13.2 s`. */
export function summaryLine(summary: SweepSummary): string {
  const statuses = Object.entries(summary.byStatus).map(([status, n]) => `${status} ${n}`).join(', ');
  const delta = `+${summary.added} -${summary.removed} ~${summary.changed}`;
  const odd = summary.odd + summary.unreadable > 0 ? `; odd records ${summary.odd + summary.unreadable}` : '';
  return `${summary.accounts} accounts (${statuses}); ${delta}; ${summary.calls} calls in ${(summary.durationMs / 1000).toFixed(1)} s${odd}`;
}
