// IDs the CAD said it does not know, remembered for `connect.unknownRetrySeconds`: a stranger who
// reconnects five times costs one call, not five. Only a clear "not found" is remembered (a timeout or
// an error says nothing about the ID). A caller who knows something changed (refreshPlayer, sonorancad's
// link-verified event) asks with `fresh` and skips it.
import { lookupKey } from './account-index';
import type { CachedAccount, Clock } from './types';

/** Enough for a day of strangers on a busy server; the oldest entries go first beyond it. */
const MAX_ENTRIES = 10_000;

export interface LookupOptions {
  /** Skip the negative cache: the caller has reason to believe the ID was just linked. */
  fresh?: boolean;
  /** `background`: a follow-up after admission, only when no lookup or sweep page waits; `cadence`: the online refresh. */
  priority?: 'high' | 'cadence' | 'background';
}

export type Lookup = (apiId: string, timeoutMs: number, options?: LookupOptions) => Promise<CachedAccount | null>;

export function withNegativeCache(lookup: Lookup, clock: Clock, retryMs: number): Lookup & { readonly remembered: number } {
  /** Lookup key (account-index.ts lookupKey) -> when it may be asked again (ms). Insertion order is age order. */
  const unknownUntil = new Map<string, number>();

  const wrapped = async (apiId: string, timeoutMs: number, options: LookupOptions = {}) => {
    const key = lookupKey(apiId);
    if (retryMs > 0 && !options.fresh) {
      const until = unknownUntil.get(key);
      if (until !== undefined && until > clock.now()) return null;
    }
    const found = await lookup(apiId, timeoutMs, options);
    unknownUntil.delete(key);
    if (found === null && retryMs > 0 && key !== '') {
      unknownUntil.set(key, clock.now() + retryMs);
      if (unknownUntil.size > MAX_ENTRIES) unknownUntil.delete(unknownUntil.keys().next().value!);
    }
    return found;
  };
  return Object.defineProperty(wrapped, 'remembered', { get: () => unknownUntil.size }) as Lookup & { readonly remembered: number };
}
