// One full pass over the CAD's accounts: every configured status, page by page, with the minimum
// number of calls (ceil(n/100) per status, one for an empty status). When `total` moves during the
// pass (accounts added or removed while we page), the pages have shifted under us: the status is read
// again, up to twice, and the union is kept, so no account is missed.
import { CadFailure } from './api/errors';
import { PAGE_LIMIT, type CadClient } from './api/client';
import { addOdd, countOdd, noOddRecords, type OddRecords } from './odd-records';
import { callWithRetry, SWEEP_RETRY } from './retry';
import type { Scheduler } from './scheduler';
import { ACCOUNT_STATUS, type CachedAccount, type Clock } from './types';

export type StatusName = 'pending' | 'active' | 'banned';

export interface SweepProgress {
  status: StatusName;
  page: number;
  pages: number;
}

export interface SweepDeps {
  client: CadClient;
  scheduler: Scheduler;
  clock: Clock;
  statuses: readonly StatusName[];
  onProgress?: (progress: SweepProgress) => void;
  /** True once the resource stops: give up between pages. */
  cancelled?: () => boolean;
  random?: () => number;
}

export interface SweepResult {
  /** Unique by uuid, in the order the CAD listed them. */
  accounts: Map<string, CachedAccount>;
  byStatus: Record<string, number>;
  calls: number;
  /** Records read tolerantly or not at all (their last good version is the refresher's to keep). */
  odd: OddRecords;
}

/** More passes than this over one status means the CAD never holds still; the union is kept. */
const MAX_PASSES = 3;
/** A CAD that lists a handful of accounts twice still listed everyone; more means pages were skipped. */
const toleratedRepeats = (total: number) => Math.max(5, Math.ceil(total / 100));
/** Sanity bound for `total`: far above any community, far below what would take days to page. */
const MAX_TOTAL = 1_000_000;

export async function sweepAccounts(deps: SweepDeps): Promise<SweepResult> {
  const accounts = new Map<string, CachedAccount>();
  const byStatus: Record<string, number> = {};
  const odd = noOddRecords();
  let calls = 0;
  const onAttempt = () => {
    calls += 1;
  };

  for (const status of deps.statuses) {
    const code = ACCOUNT_STATUS[status];
    const seen = new Set<string>();
    for (let pass = 1; ; pass++) {
      // Odd records are counted from the last pass only: an earlier pass's may be listed again.
      const oddThisPass = noOddRecords();
      const read = await readStatus(deps, code, status, (account) => {
        seen.add(account.uuid);
        accounts.set(account.uuid, account);
      }, oddThisPass, onAttempt);
      // A few accounts listed twice are a CAD quirk (or churn the total hid): everyone was still listed.
      const skippedSome = read.repeated > toleratedRepeats(read.total);
      if ((!read.shifted && !skippedSome) || pass >= MAX_PASSES) addOdd(odd, oddThisPass);
      if (!read.shifted && !skippedSome) break;
      if (pass >= MAX_PASSES) {
        // A moving total is a busy CAD: keep the union. Many accounts listed again while the total holds
        // still means others were never listed: refuse, and the last good cache stays.
        if (!read.shifted) throw new CadFailure('invalidResponse', `GET_ACCOUNTS status ${status}: ${read.repeated} accounts listed twice across pages while total stayed ${read.total}, ${MAX_PASSES} times`);
        break;
      }
    }
    byStatus[status] = seen.size;
  }
  return { accounts, byStatus, calls, odd };
}

interface StatusRead {
  /** `total` changed on the way: the pages shifted under us. */
  shifted: boolean;
  /** Accounts seen a second time in this pass (a shift the total did not show, or a CAD ignoring offset). */
  repeated: number;
  total: number;
}

/** Reads every page of one status once. */
async function readStatus(
  deps: SweepDeps,
  code: number,
  status: StatusName,
  keep: (account: CachedAccount) => void,
  odd: OddRecords,
  onAttempt: () => void,
): Promise<StatusRead> {
  let offset = 0;
  let firstTotal: number | undefined;
  let shifted = false;
  const inThisPass = new Set<string>();
  let repeated = 0;
  const done = (total: number): StatusRead => ({ shifted, repeated, total });
  for (let page = 1; ; page++) {
    if (deps.cancelled?.()) throw new CadFailure('transient', 'sweep cancelled: the resource is stopping');
    const answer = await callWithRetry(deps.scheduler, deps.clock, () => deps.client.getAccountsPage({ status: code, offset, limit: PAGE_LIMIT }), {
      priority: 'low',
      policy: SWEEP_RETRY,
      cancelled: deps.cancelled,
      onAttempt,
      random: deps.random,
    });
    const where = `GET_ACCOUNTS status ${status} offset ${offset}`;
    if (answer.total > MAX_TOTAL) throw new CadFailure('invalidResponse', `${where}: total ${answer.total} is not believable`);
    if (answer.offset !== offset) throw new CadFailure('invalidResponse', `${where}: the CAD answered for offset ${answer.offset}`);
    firstTotal ??= answer.total;
    if (answer.total !== firstTotal) shifted = true;
    countOdd(odd, answer.odd, answer.unreadable);
    for (const account of answer.accounts) {
      if (inThisPass.has(account.uuid)) repeated += 1;
      inThisPass.add(account.uuid);
      keep(account);
    }
    deps.onProgress?.({ status, page, pages: Math.max(1, Math.ceil(answer.total / PAGE_LIMIT)) });

    offset += PAGE_LIMIT;
    if (offset >= answer.total) return done(answer.total);
    if (answer.accounts.length + answer.unreadable.length < PAGE_LIMIT) {
      // A short page before the end: either accounts vanished while we paged (total will disagree on a
      // re-read) or the CAD's total is not true. Re-read once; a second short page is a bad answer.
      if (shifted) return done(answer.total);
      throw new CadFailure(
        'invalidResponse',
        `${where}: ${answer.accounts.length} accounts on a page while total says ${answer.total}`,
      );
    }
  }
}
