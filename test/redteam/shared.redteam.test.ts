// Red team round 2, the ban promise with a shared database (issue 15): what a server learned while the
// database was away. In-process over the memory store (the contract's executable model; the same
// coordinator runs on MariaDB in test/shared), a real fake CAD over HTTP.
import { describe, expect, it } from 'vitest';
import { startFakeCad, type FakeCad } from '../../dev/fake-cad';
import { createMemoryStore, memoryShared } from '../../src/core/shared/memory-store';
import { realClock } from '../core/helpers';
import { memoryServers, switchable, until } from '../shared/memory-servers';

let cad: FakeCad | undefined;
const start = memoryServers(() => cad);
const server = start;

describe('ban rule: shared database', () => {
  it('ban rule / a ban a follower looked up while the database was away survives its rejoin and the next (older) shared version', async () => {
    cad = await startFakeCad({ rateLimit: false, accounts: 60 });
    const shared = memoryShared();
    const z = cad.accounts.find((a) => a.status === 1 && a.apiIds.length > 0)!;

    // A sweeps and publishes; F follows.
    const a = server(shared, 'A');
    await a.cache.refresh();
    const { store, state } = switchable(createMemoryStore(shared, realClock));
    const f = server(shared, 'F', store);
    await f.cache.refresh();
    expect(f.cache.find(z.apiIds[0]!)?.status).toBe(1);
    const v1 = shared.versions.get(shared.current!)!.accounts;
    // A stops; X (another server) takes the lease and starts a slow sweep before the ban.
    a.forget();
    a.cache.stop();
    await a.sharing.stop();
    const x = createMemoryStore(shared, realClock);
    const lease = await x.takeLease('X', null, 60_000);
    const xStarted = Date.now();
    await new Promise((r) => setTimeout(r, 20));

    // The database goes away for F; the ban comes; F's connect lookup finds it.
    state.down = true;
    await until(() => f.log.lines.some((l) => l.includes('shared database lost')), 'F runs alone');
    cad.ban(z.uuid);
    expect((await f.cache.lookup(z.apiIds[0]!, 2000))?.status).toBe(4);
    expect(f.cache.find(z.apiIds[0]!)?.status).toBe(4);

    // X's sweep read Z's page before the ban and publishes now; F's database comes back.
    await x.publish('X', lease.token, { startedAt: xStarted, byStatus: {}, accounts: v1 });
    state.down = false;
    await until(() => f.log.lines.filter((l) => l.includes('loaded shared version')).length >= 2, 'F loads the new version');
    // The newest information F has says banned: a reconnect must be refused from the cache.
    expect(f.cache.find(z.apiIds[0]!)?.status).toBe(4);
  });
});
