// A cache that arrives later: while sonorancad has not set the API key yet, the exports, events and
// connect gate are wired to this stand-in. Meanwhile it answers from `interim`, a cache that never syncs
// but loads the snapshot, so bans known from the last run keep being refused during the wait. Once the
// real cache is attached every call goes to it and every listener registered meanwhile moves over.
import type { AccountCache, AccountCacheEvents } from '../core/types';

type AnyListener = [keyof AccountCacheEvents, AccountCacheEvents[keyof AccountCacheEvents]];

export function lateCache(interim: AccountCache): AccountCache & { attach(cache: AccountCache): void } {
  let real: AccountCache | null = null;
  let stopped = false;
  let readyHeard = false;
  const listeners: AnyListener[] = [];
  const current = () => real ?? interim;
  // `ready` is promised once: the real cache loading the same snapshot must not announce it again.
  interim.on('ready', () => void (readyHeard = true));
  const once = (handler: AccountCacheEvents['ready']): AccountCacheEvents['ready'] => (info) => {
    if (!readyHeard || real === null) handler(info);
  };
  return {
    start: () => current().start(),
    stop() {
      stopped = true;
      current().stop();
    },
    refresh: () => current().refresh(),
    lookup: (apiId, timeoutMs, options) => current().lookup(apiId, timeoutMs, options),
    find: (key) => current().find(key),
    standing: (ids) => current().standing(ids),
    info: () => current().info(),
    on(event, handler) {
      listeners.push([event, handler] as AnyListener);
      current().on(event, event === 'ready' ? (once(handler as AccountCacheEvents['ready']) as never) : handler);
    },
    attach(cache) {
      if (real || stopped) return;
      interim.stop();
      real = cache;
      for (const [event, handler] of listeners) cache.on(event, event === 'ready' ? (once(handler as AccountCacheEvents['ready']) as never) : (handler as never));
      cache.start();
    },
  };
}
