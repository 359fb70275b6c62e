// v2 only: POST /v2/general/links/check {communityUserId} answers which account an ID is linked to, on
// a budget of its own (30/min, beside the 10/min of the accounts endpoints). A connect miss asks it
// first: when the account is one the cache already holds, the player costs none of the accounts budget,
// and the link is merged into the cache (the held account, now also claiming that ID beside its own, observed
// when it was: merge.ts keeps any newer observation) so the ID leads there from then on. Anything else (not
// linked, an account not held, a check that failed or waited too long) goes on to the account call.
import type { CadClient } from './api/client';
import { normalizeId } from './account-index';
import { cachedAccount } from './account-record';
import { callWithRetry, type RetryPolicy } from './retry';
import { createScheduler } from './scheduler';
import type { CachedAccount, Clock } from './types';

/** Sonoran's figure for links/check. */
export const LINKS_PER_MINUTE = 30;
/** A check that has not started within this long gives way to the account call (a burst of connects). */
const CHECK_WAIT_MS = 2_500;
/** One try: the account call is the fallback, not a retry. */
const CHECK_RETRY: RetryPolicy = { attempts: 1, baseDelayMs: 0, maxDelayMs: 0, rateLimitWaits: 0 };

export interface LinkCheckDeps {
  client: CadClient;
  clock: Clock;
  random: () => number;
  /** The account the cache holds under this uuid, if any. */
  held: (uuid: string) => CachedAccount | null;
  /** The refresher's intake (merge.ts). */
  intake: (account: CachedAccount) => void;
}

export function linkChecker(deps: LinkCheckDeps) {
  const { clock } = deps;
  const scheduler = createScheduler(clock, 60_000 / LINKS_PER_MINUTE);
  return {
    async heldLinkedAccount(communityUserId: string, cancelled: () => boolean): Promise<CachedAccount | null> {
      const giveUpAt = clock.now() + CHECK_WAIT_MS;
      const uuid = await callWithRetry(scheduler, clock, () => deps.client.checkLink(communityUserId), {
        priority: 'high',
        policy: CHECK_RETRY,
        cancelled: () => cancelled() || clock.now() > giveUpAt,
        random: deps.random,
      });
      const account = uuid === null ? null : deps.held(uuid);
      if (account === null) return null;
      const asked = normalizeId(communityUserId);
      if ([account.communityUserId ?? '', ...account.apiIds].some((id) => normalizeId(id) === asked)) return account;
      // Added beside the ID the account holds, never in its place: an answer about this ID says nothing
      // about the other, whose player may be online (unknown is not no). The next sweep or lookup of the
      // account carries the CAD's own communityUserId and settles it.
      const linked = cachedAccount(account.uuid, account.username, account.communityUserId, [...account.apiIds, communityUserId], account.status, account.joined, account.lastLogin, account.w0, account.w1, account.w2, account.observedAt);
      deps.intake(linked);
      return deps.held(account.uuid) ?? linked;
    },
    stop: () => scheduler.stop(),
  };
}
