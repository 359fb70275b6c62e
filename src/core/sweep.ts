// One full pass over the CAD's accounts: every configured status, page by page, with the minimum
// number of calls (ceil(n/100) per status, one for an empty status). A sweep is complete or refused:
// a status whose pass listed fewer different accounts than its `total` (or whose total went down on the
// way) is read again, up to three passes, keeping the union; still short, the sweep fails and the last
// good cache stays. What offset paging can and cannot detect: see isComplete().
import { CadFailure } from './api/errors';
import { PAGE_LIMIT, type CadClient } from './api/client';
import { addOdd, countOdd, noOddRecords, type OddRecords } from './odd-records';
import { callWithRetry, SWEEP_RETRY } from './retry';
import type { Scheduler } from './scheduler';
import { supersedes } from './merge';
import { growingMap, partedSet, type GrowingMap } from './parted-map';
import type { SweepAccounts } from './sweep-accounts';
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

/**
 * Where a sweep keeps what it read: a Map will do; sweep-accounts.ts keeps what the cache holds unchanged
 * as numbers (`keyOf` names such an account by a number, so counting it keeps no string of its page either).
 */
export type SweepMap = GrowingMap<CachedAccount> & Partial<Pick<SweepAccounts, 'keyOf' | 'detach' | 'raw' | 'seenAt' | 'isReading' | 'held' | 'own'>>;

export interface SweepResult {
  /** Unique by uuid, in the order the CAD listed them (a Map will do; a sweep makes a parted one, parted-map.ts, or sweep-accounts.ts). */
  accounts: SweepMap;
  byStatus: Record<string, number>;
  calls: number;
  /** Records read tolerantly or not at all (their last good version is the refresher's to keep). */
  odd: OddRecords;
  /**
   * When the observations began (local clock): an account observed here since then (a lookup, another
   * server's answer) is newer than anything the result can say about it, and stays (merge.ts's rule).
   */
  startedAt?: number;
  /** Another server swept it (a shared version): this server made no call for it. */
  shared?: boolean;
}

/** More passes than this over one status and the sweep is refused (the last good cache stays). */
const MAX_PASSES = 3;
/** Sanity bound for `total`: far above any community, far below what would take days to page. */
const MAX_TOTAL = 1_000_000;

/**
 * Where a sweep stands, kept when the CAD answers 429 past the retries (sweep-resume.ts): the next sweep
 * goes on from the page this one reached instead of throwing every page read so far away.
 */
export interface SweepState {
  /** When the sweep began (the refresher's observation stamp). */
  startedAt: number;
  accounts: SweepMap;
  byStatus: Record<string, number>;
  odd: OddRecords;
  calls: number;
  /** The status being read (index into `statuses`), its pass, the accounts its passes listed. */
  status: number;
  pass: number;
  seen: ReturnType<typeof partedSet>;
  /** The pass in progress: its next page and what it found so far. */
  read: PassState | null;
}

interface PassState {
  offset: number;
  page: number;
  lastTotal: number | undefined;
  shrank: boolean;
  shifted: boolean;
  inThisPass: ReturnType<typeof partedSet>;
  odd: OddRecords;
}

export function newSweepState(startedAt: number, accounts: SweepMap = growingMap<CachedAccount>()): SweepState {
  return { startedAt, accounts, byStatus: {}, odd: noOddRecords(), calls: 0, status: 0, pass: 1, seen: partedSet(), read: null };
}

export async function sweepAccounts(deps: SweepDeps, state: SweepState = newSweepState(0)): Promise<SweepResult> {
  const { accounts, byStatus, odd } = state;
  const keyOf = accounts.keyOf ?? ((uuid: string) => uuid);
  const onAttempt = () => {
    state.calls += 1;
  };

  for (; state.status < deps.statuses.length; state.status++, state.pass = 1, state.seen = partedSet()) {
    const status = deps.statuses[state.status]!;
    const code = ACCOUNT_STATUS[status];
    for (; ; state.pass++) {
      const pass = state.pass;
      // Odd records are counted from the last pass only: an earlier pass's may be listed again.
      state.read ??= newPass();
      const oddThisPass = state.read.odd;
      const read = await readStatus(deps, code, status, state.read, keyOf, (account, key) => {
        state.seen.add(key);
        // An account listed twice (a page and a re-read, or under two statuses while it moved): the newer observation.
        const held = accounts.get(account.uuid);
        if (supersedes(account, held)) accounts.set(account.uuid, account);
      }, onAttempt);
      state.read = null;
      const complete = isComplete(read);
      if (complete || pass >= MAX_PASSES) addOdd(odd, oddThisPass);
      if (complete) break;
      if (pass >= MAX_PASSES) {
        // The passes together may still have listed everyone (a CAD whose order moves between pages).
        if (!read.shrank && state.seen.size + read.unreadable >= read.total) break;
        throw new CadFailure(
          'invalidResponse',
          `GET_ACCOUNTS status ${status}: ${MAX_PASSES} passes listed ${state.seen.size} different accounts while total says ${read.total}; some were never listed`,
        );
      }
    }
    byStatus[status] = state.seen.size;
  }
  return { accounts, byStatus, calls: state.calls, odd, startedAt: state.startedAt };
}

const newPass = (): PassState => ({ offset: 0, page: 1, lastTotal: undefined, shrank: false, shifted: false, inThisPass: partedSet(), odd: noOddRecords() });

/**
 * Whether one pass provably listed every account of the status. Offset paging over a list that changes
 * underneath: an account added before the current offset pushes one we already read onto the next page
 * (a repeat, nothing lost); one removed before it pulls an unread one onto a page we already read
 * (skipped). So: as many different accounts as `total`, and a total that never went down on the way.
 * Undetectable: a removal and an addition between two pages that keep the total and cause no repeat.
 */
function isComplete(read: StatusRead): boolean {
  return !read.shrank && read.unique + read.unreadable >= read.total;
}

interface StatusRead {
  /** `total` went down on the way: accounts left the list, an unread one may have moved onto a read page. */
  shrank: boolean;
  /** Different accounts listed in this pass. */
  unique: number;
  /** Records listed in this pass without a readable uuid (odd-records.ts keeps their last good version). */
  unreadable: number;
  /** `total` of the last page. */
  total: number;
}

/** Reads every page of one status once, from the page `at` reached (it moves on as pages arrive). */
async function readStatus(
  deps: SweepDeps,
  code: number,
  status: StatusName,
  at: PassState,
  keyOf: (uuid: string) => string | number,
  keep: (account: CachedAccount, key: string | number) => void,
  onAttempt: () => void,
): Promise<StatusRead> {
  const { inThisPass, odd } = at;
  // `odd` is this pass's own tally (sweepAccounts makes one per pass), so its unreadable records are this pass's.
  const done = (total: number): StatusRead => ({ shrank: at.shrank, unique: inThisPass.size, unreadable: odd.unreadable.length, total });
  for (; ; at.page++) {
    const { offset, page } = at;
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
    if (at.lastTotal !== undefined && answer.total !== at.lastTotal) at.shifted = true;
    if (at.lastTotal !== undefined && answer.total < at.lastTotal) at.shrank = true;
    at.lastTotal = answer.total;
    countOdd(odd, answer.odd, answer.unreadable);
    for (const account of answer.accounts) {
      const key = keyOf(account.uuid);
      inThisPass.add(key);
      keep(account, key);
    }
    deps.onProgress?.({ status, page, pages: Math.max(1, Math.ceil(answer.total / PAGE_LIMIT)) });

    at.offset += PAGE_LIMIT;
    if (at.offset >= answer.total) return done(answer.total);
    if (answer.accounts.length + answer.unreadable.length < PAGE_LIMIT) {
      // A short page before the end: either accounts vanished while we paged (total will disagree on a
      // re-read) or the CAD's total is not true. Re-read once; a second short page is a bad answer.
      if (at.shifted) return done(answer.total);
      throw new CadFailure(
        'invalidResponse',
        `${where}: ${answer.accounts.length} accounts on a page while total says ${answer.total}`,
      );
    }
  }
}
