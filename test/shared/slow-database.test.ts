// A database that answers reads but holds writes (a backup's FLUSH TABLES WITH READ LOCK, an overloaded
// host): the shared budget's token is an UPDATE, so it never comes while the lock is held, and nothing
// fails before the query deadline. A connect lookup must not wait for it: past a short deadline the
// server takes its own share of the key's rate (1/N, as when it runs alone) and asks the CAD. Red team
// round 5, hole 4; the same through the built bundle on a real MariaDB: round5.redteam.test.ts.
import { describe, expect, it } from 'vitest';
import { startFakeCad, type FakeCad } from '../../dev/fake-cad';
import { createMemoryStore, memoryShared } from '../../src/core/shared/memory-store';
import type { SharedStore } from '../../src/core/shared/store';
import { realClock } from '../core/helpers';
import { memoryServers, until } from './memory-servers';

let cad: FakeCad | undefined;
const start = memoryServers(() => cad);

/** The store with its writes held while `held.on`: a token request (an UPDATE) never answers, or only after `held.ms`. */
function holdingWrites(store: SharedStore) {
  const held = { on: false, asked: 0, ms: Infinity };
  const wrapped: SharedStore = {
    ...store,
    takeToken(intervalMs, priority) {
      if (!held.on) return store.takeToken(intervalMs, priority);
      held.asked += 1;
      if (held.ms === Infinity) return new Promise<number>(() => {});
      return new Promise<void>((r) => setTimeout(r, held.ms)).then(() => store.takeToken(intervalMs, priority));
    },
  };
  return { store: wrapped, held };
}

describe('shared budget: a token that does not come in time', () => {
  it('a follower whose token request hangs answers a connect lookup from the CAD within 3 s (its own share of the rate), without leaving the database', async () => {
    cad = await startFakeCad({ rateLimit: false, accounts: 30 });
    const shared = memoryShared();
    const a = start(shared, 'A');
    await a.cache.refresh();
    const slow = holdingWrites(createMemoryStore(shared, realClock));
    const b = start(shared, 'B', slow.store);
    await b.cache.refresh();
    await until(() => b.sharing.mode() === 'shared', 'B shares');

    slow.held.on = true;
    const z = cad.addAccount({ status: 4 });
    const asked = Date.now();
    const found = await b.cache.lookup(z.apiIds[0]!, 6000).catch((err: unknown) => String(err));
    expect({ status: typeof found === 'object' ? found?.status : found, withinDeadline: Date.now() - asked < 3000 }).toEqual({ status: 4, withinDeadline: true });
    expect(slow.held.asked).toBeGreaterThan(0); // it did ask the shared budget first
    expect(b.sharing.mode()).toBe('shared');
    expect(b.log.lines.filter((l) => l.includes('shared database slow'))).toHaveLength(1); // said once, not per call
  });

  it('a database that stays slow (every token 2 s late): each connect lookup still answers within 3 s, and the console says so once', async () => {
    cad = await startFakeCad({ rateLimit: false, accounts: 30 });
    const shared = memoryShared();
    const a = start(shared, 'A');
    await a.cache.refresh();
    const slow = holdingWrites(createMemoryStore(shared, realClock));
    const b = start(shared, 'B', slow.store);
    await b.cache.refresh();
    await until(() => b.sharing.mode() === 'shared', 'B shares');

    Object.assign(slow.held, { on: true, ms: 2000 });
    for (let i = 0; i < 3; i++) {
      const z = cad.addAccount({ status: 4 });
      const asked = Date.now();
      const found = await b.cache.lookup(z.apiIds[0]!, 6000);
      expect({ status: found?.status, withinDeadline: Date.now() - asked < 3000 }).toEqual({ status: 4, withinDeadline: true });
      await new Promise((r) => setTimeout(r, 700)); // the late token answers in between
    }
    expect(slow.held.asked).toBeGreaterThan(1);
    expect(b.log.lines.filter((l) => l.includes('shared database slow'))).toHaveLength(1);
    expect(b.log.lines.filter((l) => l.includes('answers the CAD budget in time again'))).toHaveLength(0);
  });
});
