// Issue 20, holes 2, 3 and 4: a shared version is one more observation, merged by merge.ts's rule; it
// never erases a newer observation, whatever the order in which the database, the lease and the
// servers come and go. Memory store (the store's backend does not matter here; the fencing in SQL is in
// the store contract, which the MariaDB store passes too).
import { describe, expect, it } from 'vitest';
import { startFakeCad, type FakeCad } from '../../dev/fake-cad';
import { createMemoryStore, memoryShared } from '../../src/core/shared/memory-store';
import { realClock } from '../core/helpers';
import { faulty, memoryServers, switchable, until } from './memory-servers';

let cad: FakeCad | undefined;
const start = memoryServers(() => cad);
const pageCalls = () => cad!.requests.filter((r) => r.path.endsWith('get_accounts')).length;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a shared version never erases a newer observation', () => {
  it('hole 2: a lookup answer whose database write failed stays on the follower, and reaches the others when it rejoins', async () => {
    cad = await startFakeCad({ rateLimit: false, accounts: 40 });
    const shared = memoryShared();
    const a = start(shared, 'A');
    await a.cache.refresh();
    const f0 = faulty(createMemoryStore(shared, realClock));
    const f = start(shared, 'F', f0.store);
    await f.cache.refresh();
    const z = cad.accounts.find((x) => x.status === 1 && x.apiIds.length > 0)!;
    expect(f.cache.find(z.apiIds[0]!)?.status).toBe(1);

    // A's next sweep reads Z active; its last page is on its way back when Z is banned.
    cad.fault('latency', { ms: 500, late: true, route: 'accounts' });
    const before = pageCalls();
    const sweeping = a.cache.refresh();
    await until(() => pageCalls() === before + 2, "A's last page asked");
    cad.ban(z.uuid);
    f0.fail.writeLookup = 1; // the database went away just as F's answer came
    expect((await f.cache.lookup(z.apiIds[0]!, 2000))?.status).toBe(4);
    await sweeping;
    // A's version (swept before the ban) is loaded by F: F still refuses Z...
    await until(() => f.log.lines.filter((l) => l.includes('loaded shared version')).length >= 2, 'F loads the new version');
    expect(f.cache.find(z.apiIds[0]!)?.status).toBe(4);
    // ...and F wrote the answer when it rejoined: A refuses Z too.
    await until(() => a.cache.find(z.apiIds[0]!)?.status === 4, 'A learns the ban F found');
  });

  it('hole 3: rejoining through a refresh merges the lookups other servers wrote while it was away', async () => {
    cad = await startFakeCad({ rateLimit: false, accounts: 40 });
    const shared = memoryShared();
    const a = start(shared, 'A');
    await a.cache.refresh();
    const g = start(shared, 'G');
    await g.cache.refresh();
    const { store, state } = switchable(createMemoryStore(shared, realClock));
    // F polls rarely: the refresh below comes before its next poll.
    const f = start(shared, 'F', store, { database: { pollSeconds: 30, leaseSeconds: 60 } });
    await f.cache.refresh();
    const z = cad.accounts.find((x) => x.status === 1 && x.apiIds.length > 0)!;

    state.down = true;
    await a.cache.refresh(); // a version F has not loaded, swept before the ban
    await f.cache.refresh(); // alone: F's own sweep, newer than that version
    expect(f.log.lines.some((l) => l.includes('shared database unreachable') || l.includes('shared database lost'))).toBe(true);
    cad.ban(z.uuid);
    expect((await g.cache.lookup(z.apiIds[0]!, 2000))?.status).toBe(4); // G writes the ban to the database
    await sleep(100);

    state.down = false;
    await f.cache.refresh(); // rejoins here, before its next poll
    await sleep(300);
    expect(f.cache.find(z.apiIds[0]!)?.status).toBe(4);
  });

  it('hole 4: an older sweep never replaces a newer version, even after its server took the lease again', async () => {
    cad = await startFakeCad({ rateLimit: false, accounts: 40 });
    const shared = memoryShared();
    const z = cad.accounts.find((x) => x.status === 1 && x.apiIds.length > 0)!;
    const { store, state } = switchable(createMemoryStore(shared, realClock));
    // H reads its banned page first and early; its active page is slow on the way back.
    const h = start(shared, 'H', store, { statuses: ['banned', 'active'] });
    cad.fault('latency', { ms: 2500, late: true, route: 'accounts', after: 1, times: 1 });
    const hSweep = h.cache.refresh();
    await until(() => h.sharing.sweeping() && pageCalls() === 2, "H's active page asked");
    state.down = true; // H loses the database, and so its lease
    await until(() => h.log.lines.some((l) => l.includes('shared database lost')), 'H notices');
    cad.ban(z.uuid);
    shared.lease.expiresAt = 0;
    const b = start(shared, 'B');
    await b.cache.refresh(); // B takes the lease, sweeps (Z banned) and publishes
    expect(b.sharing.sweeping()).toBe(true);
    const bVersion = shared.current!;
    const bStarted = shared.versions.get(bVersion)!.info.startedAt;
    b.cache.stop();
    await b.sharing.stop(); // and stops: the lease is free
    b.forget();
    state.down = false;
    await until(() => h.sharing.sweeping(), 'H takes the free lease again');
    await hSweep;
    await sleep(200);
    // I2: the current version's sweep start never goes back; a server starting now refuses Z.
    expect(shared.versions.get(shared.current!)!.info.startedAt).toBeGreaterThanOrEqual(bStarted);
    const n = start(shared, 'N');
    await n.cache.refresh();
    expect(n.cache.find(z.apiIds[0]!)?.status).toBe(4);
  });

  // Suspicion: after a failed publish the holder's sweep reached the others only at its next sweep
  // (refreshMinutes later). What it found travels as soon as the database answers again.
  it('a sweep whose publish failed (database lost at the end) reaches the others when the holder rejoins', async () => {
    cad = await startFakeCad({ rateLimit: false, accounts: 40 });
    const shared = memoryShared();
    const { store, state } = switchable(createMemoryStore(shared, realClock));
    const a = start(shared, 'A', store);
    await a.cache.refresh();
    const b = start(shared, 'B');
    await b.cache.refresh();
    const z = cad.accounts.find((x) => x.status === 1 && x.apiIds.length > 0)!;
    cad.ban(z.uuid);
    cad.fault('latency', { ms: 600, late: true, route: 'accounts', after: 1, times: 1 });
    const before = pageCalls();
    const sweeping = a.cache.refresh();
    await until(() => pageCalls() === before + 2, "A's last page asked");
    state.down = true; // lost before the publish
    await until(() => a.log.lines.some((l) => l.includes('shared database lost')), 'A notices');
    await sweeping;
    expect(a.cache.find(z.apiIds[0]!)?.status).toBe(4);
    expect(b.cache.find(z.apiIds[0]!)?.status).toBe(1);
    state.down = false;
    const back = Date.now();
    await until(() => b.cache.find(z.apiIds[0]!)?.status === 4, 'B learns the ban A swept');
    expect(Date.now() - back).toBeLessThan(2000);
  });
});
