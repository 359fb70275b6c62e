// Servers of one community on the memory store (no database), for tests of the sharing rules: each is
// a real refresher over the fake CAD plugged into a real Sharing; all are stopped after every test.
import { afterEach } from 'vitest';
import type { FakeCad } from '../../dev/fake-cad';
import { createAccountCache } from '../../src/core/account-cache';
import { createNodeTransport } from '../../src/core/http/node-transport';
import { createMemoryStore, type MemoryShared } from '../../src/core/shared/memory-store';
import { createSharing, type Sharing } from '../../src/core/shared/sharing';
import type { SharedStore } from '../../src/core/shared/store';
import type { AccountCache } from '../../src/core/types';
import { captureLog, configFor, memoryFiles, realClock } from '../core/helpers';

/** The store behind a switch: while `down`, every call fails as a refused connection does. */
export function switchable(store: SharedStore) {
  const state = { down: false };
  const refused = () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:3306'), { code: 'ECONNREFUSED' }));
  const wrapped = Object.fromEntries(
    Object.entries(store).map(([name, fn]) => [name, (...args: unknown[]) => (state.down && name !== 'close' ? refused() : (fn as (...a: unknown[]) => unknown)(...args))]),
  ) as unknown as SharedStore;
  return { store: wrapped, state };
}

/** The store with single calls made to fail (`fail.writeLookup = 1`: the next writeLookup fails as a reset connection does). */
export function faulty(store: SharedStore) {
  const fail: Partial<Record<keyof SharedStore, number>> = {};
  const reset = () => Promise.reject(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }));
  const wrapped = Object.fromEntries(
    Object.entries(store).map(([name, fn]) => [
      name,
      (...args: unknown[]) => {
        const left = fail[name as keyof SharedStore] ?? 0;
        if (left > 0) {
          fail[name as keyof SharedStore] = left - 1;
          return reset();
        }
        return (fn as (...a: unknown[]) => unknown)(...args);
      },
    ]),
  ) as unknown as SharedStore;
  return { store: wrapped, fail };
}

/** Registers the after-each stop; `start` makes one server against `cad()` on `shared` (or `store`). */
/** Servers over one memory store; after each test they stop, then the test's fake CAD closes. */
export function memoryServers(cad: () => FakeCad | undefined) {
  const running: { stop(): void; sharing: Sharing }[] = [];
  afterEach(async () => {
    for (const r of running.splice(0)) {
      r.stop();
      await r.sharing.stop();
    }
    await cad()?.close();
  });
  return function start(
    shared: MemoryShared,
    name: string,
    store: SharedStore = createMemoryStore(shared, realClock),
    overrides: { database?: Record<string, unknown>; [key: string]: unknown } = {},
    /** Each online player's identifiers on this server. */
    online?: () => Iterable<readonly string[]>,
  ) {
    const config = configFor(cad()!, { refreshMinutes: 60, ...overrides, database: { enabled: true, leaseSeconds: 1, pollSeconds: 0.1, ...overrides.database } });
    const log = captureLog();
    const sharing = createSharing({ store, config, clock: realClock, log, holderId: name });
    const cache = createAccountCache({ config, transport: createNodeTransport(), clock: realClock, files: memoryFiles(), log, random: () => 0, online, ...sharing.cacheDeps });
    sharing.attach(cache);
    const entry = { stop: () => cache.stop(), sharing };
    running.push(entry);
    /** For a test that stopped this server itself: not stopped again after it. */
    const forget = () => void running.splice(running.indexOf(entry), 1);
    return { cache, sharing, log, forget };
  };
}

export async function until(predicate: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The refreshers (with their Sharing) a test starts: stopped after each test, cache first, and the fake CAD closed. */
export function runningAfterEach(cad: () => FakeCad | undefined) {
  const running: { cache: AccountCache; sharing: Sharing }[] = [];
  afterEach(async () => {
    for (const r of running.splice(0)) {
      r.cache.stop();
      await r.sharing.stop();
    }
    await cad()?.close();
  });
  return running;
}
