// Single GET_ACCOUNT lookups for players the cache does not know yet (a connect, refreshPlayer):
// coalesced per lookup key (the normalized ID and its type), ahead of sweep pages in the shared scheduler, each caller bounded by its
// own deadline. The CAD call is abandoned only once every caller waiting on it has given up.
import type { CadClient } from './api/client';
import { asCadError, CadFailure } from './api/errors';
import { lookupKey, normalizeId, STEAM64_FORM } from './account-index';
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
  /**
   * Identifier types some account in the cache stores prefixed (`license:abc`), learned from the sweeps;
   * null while nothing was ever swept or loaded (then both forms are tried).
   */
  prefixedTypes: () => ReadonlySet<string> | null;
  /** Scheduler lane of these lookups (default high: a player waits in the deferral). */
  priority?: Priority;
  /**
   * Asked first with the bare ID (v2: links/check, its own budget): an account the cache already holds
   * that the ID is linked to, which then costs no account call; null to go on with the account call.
   */
  heldLinkedAccount?: (communityUserId: string, cancelled: () => boolean) => Promise<CachedAccount | null>;
}

/**
 * The forms of one identifier to send, in order. Sonoran's own resource links the bare value (`abc`), so
 * that goes first; communities also store `license:abc`, and a CAD may match IDs exactly (how Sonoran
 * matches is not documented), so the prefixed form is tried next, within the same deadline, when the
 * sweeps showed this community stores that type prefixed (or before anything was swept); a steam ID
 * last in decimal when the sweeps showed decimal Steam IDs (other Steam notations: the next sweep).
 */
export function lookupForms(apiId: string, prefixedTypes: ReadonlySet<string> | null): string[] {
  const trimmed = apiId.trim();
  const colon = trimmed.indexOf(':');
  const type = colon > 0 ? trimmed.slice(0, colon).toLowerCase() : '';
  const bare = colon > 0 && /^[a-z0-9]+$/.test(type) ? trimmed.slice(colon + 1) : trimmed;
  if (bare === trimmed || bare === '') return [trimmed];
  const forms = prefixedTypes === null || prefixedTypes.has(type) ? [bare, `${type}:${bare}`] : [bare];
  // A community that stores Steam IDs in decimal (Steam's pages show them so) is asked that form too.
  const decimal = type === 'steam' ? steam64Decimal(bare) : null;
  if (decimal !== null && (prefixedTypes === null || prefixedTypes.has(STEAM64_FORM))) {
    forms.push(decimal);
    if (prefixedTypes === null || prefixedTypes.has(type)) forms.push(`${type}:${decimal}`);
  }
  return forms;
}

/** FiveM's hex steam: value as the decimal SteamID64, or null when it is not an individual account's. */
function steam64Decimal(hex: string): string | null {
  if (!/^[0-9a-f]{15}$/i.test(hex)) return null;
  const decimal = BigInt(`0x${hex}`).toString();
  return normalizeId(decimal) === hex.toLowerCase() ? decimal : null;
}

interface Pending {
  call: Promise<CachedAccount | null>;
  waiters: number;
}

export function createSingleLookups(deps: SingleLookupDeps) {
  const pending = new Map<string, Pending>();

  const begin = (key: string, apiId: string): Pending => {
    const state: Pending = { call: Promise.resolve(null), waiters: 0 };
    const once = (form: string) =>
      callWithRetry(deps.scheduler, deps.clock, () => deps.client.getAccount(form), {
        priority: deps.priority ?? 'high',
        policy: LOOKUP_RETRY,
        cancelled: () => state.waiters === 0 || deps.stopped(),
        random: deps.random,
      });
    state.call = (async () => {
      const forms = lookupForms(apiId, deps.prefixedTypes());
      if (deps.heldLinkedAccount) {
        // A failed check (its budget spent, the CAD down) only means the account call goes ahead.
        const held = await deps.heldLinkedAccount(forms[0]!, () => state.waiters === 0 || deps.stopped()).catch(() => null);
        if (held) return held;
      }
      for (const form of forms) {
        const found = await once(form);
        if (found) {
          if (!deps.stopped()) deps.onFound(found);
          return found;
        }
      }
      return null;
    })();
    pending.set(key, state);
    const cleanup = () => {
      if (pending.get(key) === state) pending.delete(key);
    };
    state.call.then(cleanup, cleanup);
    return state;
  };

  /** `fresh`: the caller knows something changed (a link just made): it asks anew, later callers join it. */
  return async function lookup(apiId: string, timeoutMs: number, fresh = false): Promise<CachedAccount | null> {
    const key = lookupKey(apiId);
    if (key === '') return null;
    const state = (fresh ? undefined : pending.get(key)) ?? begin(key, apiId);
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
