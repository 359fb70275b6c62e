// A cache that arrives later: while sonorancad has not set the API key yet, the exports, events and
// connect gate are wired to this stand-in (empty, never ready, saying why); once the real cache is
// attached every call goes to it and every listener registered meanwhile moves over.
import { CadFailure } from '../core/api/errors';
import type { AccountCache, AccountCacheEvents, Standing } from '../core/types';

const NOBODY: Standing = Object.freeze({ account: null, banned: false, reached: Object.freeze([]) });

type AnyListener = [keyof AccountCacheEvents, AccountCacheEvents[keyof AccountCacheEvents]];

export function lateCache(waitingFor: string): AccountCache & { attach(cache: AccountCache): void } {
  let real: AccountCache | null = null;
  let stopped = false;
  const listeners: AnyListener[] = [];
  const notYet = () => Promise.reject(new CadFailure('transient', waitingFor));
  return {
    start: () => real?.start(),
    stop() {
      stopped = true;
      real?.stop();
    },
    refresh: () => (real ? real.refresh() : notYet()),
    lookup: (apiId, timeoutMs, options) => (real ? real.lookup(apiId, timeoutMs, options) : notYet()),
    find: (key) => real?.find(key),
    standing: (ids) => real?.standing(ids) ?? NOBODY,
    info: () =>
      real?.info() ?? { ready: false, source: 'empty', accounts: 0, lastRefreshAt: null, lastError: waitingFor, refreshing: false, nextRefreshAt: null },
    on(event, handler) {
      listeners.push([event, handler] as AnyListener);
      real?.on(event, handler);
    },
    attach(cache) {
      if (real || stopped) return;
      real = cache;
      for (const [event, handler] of listeners) cache.on(event, handler as never);
      cache.start();
    },
  };
}
