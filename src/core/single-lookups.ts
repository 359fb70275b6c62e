// Single GET_ACCOUNT lookups for players the cache does not know yet (a connect, refreshPlayer):
// coalesced per normalized ID, ahead of sweep pages in the shared scheduler, each caller bounded by its
// own deadline. The CAD call is abandoned only once every caller waiting on it has given up.
import type { CadClient } from './api/client';
import { asCadError, CadFailure } from './api/errors';
import { normalizeId } from './account-index';
import { callWithRetry, type RetryPolicy } from './retry';
import type { Priority, Scheduler } from './scheduler';
import type { CachedAccount, Clock } from './types';

/** A connect lookup keeps retrying a flaky CAD until its own deadline, never past it. */
const LOOKUP_RETRY: RetryPolicy = { attempts: 3, baseDelayMs: 500, maxDelayMs: 4000, rateLimitWaits: 1 };

export interface SingleLookupDeps {
  client: CadClient;
  scheduler: Scheduler;
  clock: Clock;
  random: () => number;
  stopped: () => boolean;
  /** An account the CAD returned: merged into the live index by the refresher. */
  onFound: (account: CachedAccount) => void;
  /** Scheduler lane of these lookups (default high: a player waits in the deferral). */
  priority?: Priority;
}

interface Pending {
  call: Promise<CachedAccount | null>;
  waiters: number;
}

export function createSingleLookups(deps: SingleLookupDeps) {
  const pending = new Map<string, Pending>();

  const begin = (key: string, apiId: string): Pending => {
    const state: Pending = { call: Promise.resolve(null), waiters: 0 };
    // Sonoran's own resource links the bare value (no `license:`), in the case the player has it.
    const asLinked = apiId.trim().replace(/^[a-z0-9]+:/i, '');
    state.call = callWithRetry(deps.scheduler, deps.clock, () => deps.client.getAccount(asLinked), {
      priority: deps.priority ?? 'high',
      policy: LOOKUP_RETRY,
      cancelled: () => state.waiters === 0 || deps.stopped(),
      random: deps.random,
    }).then((found) => {
      if (found && !deps.stopped()) deps.onFound(found);
      return found;
    });
    pending.set(key, state);
    const cleanup = () => {
      if (pending.get(key) === state) pending.delete(key);
    };
    state.call.then(cleanup, cleanup);
    return state;
  };

  return async function lookup(apiId: string, timeoutMs: number): Promise<CachedAccount | null> {
    const key = normalizeId(apiId);
    if (key === '') return null;
    const state = pending.get(key) ?? begin(key, apiId);
    state.waiters += 1;
    try {
      return await withDeadline(deps.clock, state.call, timeoutMs);
    } finally {
      state.waiters -= 1;
    }
  };
}

function withDeadline<T>(clock: Clock, promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const deadline = clock.setTimeout(
      () => reject(new CadFailure('transient', `the CAD did not answer within ${Math.round(ms / 100) / 10} s`)),
      ms,
    );
    promise.then(
      (value) => {
        deadline.cancel();
        resolve(value);
      },
      (err: unknown) => {
        deadline.cancel();
        reject(asCadError(err));
      },
    );
  });
}
