// Round 6 hole 4: a database dropped and recreated (a restore from a dump) answers ER_BAD_DB_ERROR for a
// moment. On the first connect that code means a wrong database name in the convar (refused for good,
// one clear error); once a server has shared, it means the database is away: run alone, retry, rejoin.
// The same through the built bundle on a real MariaDB: test/redteam/round6.redteam.test.ts (hole 4).
import { describe, expect, it } from 'vitest';
import { startFakeCad, type FakeCad } from '../../dev/fake-cad';
import { createMemoryStore, memoryShared } from '../../src/core/shared/memory-store';
import type { SharedStore } from '../../src/core/shared/store';
import { realClock } from '../core/helpers';
import { memoryServers, until } from './memory-servers';

let cad: FakeCad | undefined;
const start = memoryServers(() => cad);

/** The store as MariaDB answers while the database does not exist: every call fails with ER_BAD_DB_ERROR. */
function dropped(store: SharedStore) {
  const state = { gone: false };
  const badDb = () => Promise.reject(Object.assign(new Error("Unknown database 'fivem'"), { code: 'ER_BAD_DB_ERROR', errno: 1049 }));
  const wrapped = Object.fromEntries(
    Object.entries(store).map(([name, fn]) => [name, (...args: unknown[]) => (state.gone && name !== 'close' ? badDb() : (fn as (...a: unknown[]) => unknown)(...args))]),
  ) as unknown as SharedStore;
  return { store: wrapped, state };
}

describe('the database dropped and recreated (round 6 hole 4)', () => {
  it('a server that has shared runs alone while the database is gone, says so, and rejoins: a ban found elsewhere reaches it', async () => {
    cad = await startFakeCad({ rateLimit: false, accounts: 40, seed: 64 });
    const z = cad.accounts.find((x) => x.status === 1 && x.apiIds.length > 0)!;
    const shared = memoryShared();
    const a = start(shared, 'A');
    await a.cache.refresh();
    const db = dropped(createMemoryStore(shared, realClock));
    const b = start(shared, 'B', db.store);
    await b.cache.refresh();
    await until(() => b.sharing.mode() === 'shared', 'B shares');

    db.state.gone = true;
    await until(() => b.sharing.mode() !== 'shared', 'B notices the database is gone');
    await new Promise((r) => setTimeout(r, 300)); // a few polls meet the missing database
    db.state.gone = false;
    await until(() => b.sharing.mode() === 'shared', 'B rejoins');

    cad.ban(z.uuid);
    expect((await a.cache.lookup(z.apiIds[0]!, 2000, { fresh: true }))?.status).toBe(4);
    await until(() => b.cache.find(z.apiIds[0]!)?.status === 4, 'B has the ban A found');
    expect(b.log.lines.filter((l) => l.startsWith('error:'))).toEqual([]);
    expect(b.log.lines.some((l) => /warn:.*ER_BAD_DB_ERROR.*retry/i.test(l))).toBe(true);
  });

  it('the same code on the first connect is a wrong database name: refused for good, one clear error', async () => {
    cad = await startFakeCad({ rateLimit: false, accounts: 10 });
    const db = dropped(createMemoryStore(memoryShared(), realClock));
    db.state.gone = true;
    const b = start(memoryShared(), 'B', db.store);
    await b.cache.refresh();
    await until(() => b.sharing.mode() === 'refused', 'B refused');
    expect(b.log.lines.filter((l) => l.startsWith('error:'))).toEqual([expect.stringMatching(/refused this server.*ER_BAD_DB_ERROR.*mysql_connection_string/)]);
  });
});
