// Issue 20's suspicions about shared mode, each settled by a test (memory store: the store's backend
// does not matter to these).
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeCad, type FakeCad } from '../../dev/fake-cad';
import { createAccountCache } from '../../src/core/account-cache';
import { cachedAccount } from '../../src/core/account-record';
import { createNodeTransport } from '../../src/core/http/node-transport';
import { createMemoryStore, memoryShared, type MemoryShared } from '../../src/core/shared/memory-store';
import { createSharing } from '../../src/core/shared/sharing';
import { createSlicer } from '../../src/core/slices';
import { saveSnapshot, snapshotOwner } from '../../src/core/snapshot';
import type { Clock, FileStore } from '../../src/core/types';
import { captureLog, configFor, memoryFiles, realClock } from '../core/helpers';
import { until } from './memory-servers';

let cad: FakeCad | undefined;
const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
  await cad?.close();
  cad = undefined;
});

function server(shared: MemoryShared, name: string, opts: { files?: FileStore; clock?: Clock } = {}) {
  const clock = opts.clock ?? realClock;
  const config = configFor(cad!, { refreshMinutes: 60, database: { enabled: true, leaseSeconds: 1, pollSeconds: 0.1 } });
  const log = captureLog();
  const sharing = createSharing({ store: createMemoryStore(shared, realClock), config, clock, log, holderId: name });
  const cache = createAccountCache({ config, transport: createNodeTransport(), clock, files: opts.files ?? memoryFiles(), log, random: () => 0, ...sharing.cacheDeps });
  sharing.attach(cache);
  stops.push(async () => {
    cache.stop();
    await sharing.stop();
  });
  return { cache, sharing, log, config };
}

describe('shared mode suspicions (issue 20)', () => {
  it('one far-future observedAt (a snapshot saved with a wrong clock) neither spreads through stamps nor outlives a later ban', async () => {
    cad = await startFakeCad({ rateLimit: false, accounts: 30 });
    const shared = memoryShared();
    const z = cad.accounts.find((x) => x.status === 1 && x.apiIds.length > 0)!;
    const h = server(shared, 'H');
    await h.cache.refresh();
    expect(h.sharing.sweeping()).toBe(true);

    // A's snapshot dates Z a year ahead; A then looks Z up (active) and shares the answer.
    const future = Date.now() + 365 * 86_400_000;
    const files = memoryFiles();
    const owner = snapshotOwner(h.config.apiUrl, h.config.apiVersion, h.config.communityID);
    const zSeen = cachedAccount(z.uuid, z.username, null, z.apiIds, 1, z.joined, z.lastLogin, 0, 0, 0, future);
    await saveSnapshot(files, h.config.snapshot.file, owner, [zSeen], future, createSlicer(realClock));
    const a = server(shared, 'A', { files });
    a.cache.start();
    await until(() => a.cache.info().source === 'api', 'A loads the shared version');
    expect((await a.cache.lookup(z.apiIds[0]!, 2000, { fresh: true }))?.status).toBe(1);
    await until(() => [...shared.lookups.values()].some((l) => l.account.uuid === z.uuid.toLowerCase()), 'the answer is shared');
    expect([...shared.lookups.values()].every((l) => l.observedAt < Date.now() + 60_000)).toBe(true);

    // Z is banned; the holder's next sweep sees it; a server starting now refuses Z, and so does A.
    cad.ban(z.uuid);
    await h.cache.refresh();
    const n = server(shared, 'N');
    await n.cache.refresh();
    expect(n.cache.find(z.apiIds[0]!)?.status).toBe(4);
    await until(() => a.cache.find(z.apiIds[0]!)?.status === 4, 'A loads the ban');
  });

  it('a fresh lookup does not join an older one in flight (its answer was made before the link)', async () => {
    cad = await startFakeCad({ rateLimit: false, accounts: 10 });
    const config = configFor(cad, { refreshMinutes: 60 });
    const cache = createAccountCache({ config, transport: createNodeTransport(), clock: realClock, files: memoryFiles(), log: captureLog(), random: () => 0 });
    stops.push(async () => cache.stop());
    await cache.refresh();
    // The first lookup's answer is made at once (nobody holds the ID yet) and arrives 600 ms later.
    cad.fault('latency', { ms: 600, late: true, route: 'account', times: 1 });
    const first = cache.lookup('newly-linked-id', 5000);
    await until(() => cad!.requests.some((r) => r.path.endsWith('get_account')), 'the first lookup asked');
    const linked = cad.addAccount({ status: 4, apiIds: ['newly-linked-id'] }); // linked (and banned) meanwhile
    const fresh = await cache.lookup('newly-linked-id', 5000, { fresh: true });
    expect(fresh?.uuid).toBe(linked.uuid);
    expect(await first).toBeNull();
    expect(cache.find('newly-linked-id')?.status).toBe(4);
  });

  it('a server whose clock is 10 minutes behind: its lookup answers are not pruned as older than a sweep they are newer than', async () => {
    cad = await startFakeCad({ rateLimit: false, accounts: 30 });
    const shared = memoryShared();
    const z = cad.accounts.find((x) => x.status === 1 && x.apiIds.length > 0)!;
    const h = server(shared, 'H');
    await h.cache.refresh();
    const behind: Clock = { now: () => Date.now() - 600_000, monotonic: realClock.monotonic, setTimeout: realClock.setTimeout };
    const f = server(shared, 'F', { clock: behind });
    await f.cache.refresh();
    await new Promise((r) => setTimeout(r, 300)); // F has polled: it knows the database's time

    // H's sweep begins; its last page is made at once and arrives late; Z is banned meanwhile and F finds it.
    cad.fault('latency', { ms: 600, late: true, route: 'accounts', after: 1, times: 1 });
    const pages = () => cad!.requests.filter((r) => r.path.endsWith('get_accounts')).length;
    const before = pages();
    const sweeping = h.cache.refresh();
    await until(() => pages() === before + 2, "H's last page asked");
    cad.ban(z.uuid);
    expect((await f.cache.lookup(z.apiIds[0]!, 2000, { fresh: true }))?.status).toBe(4);
    await sweeping; // published: lookups older than its sweep's start are pruned
    const n = server(shared, 'N');
    await n.cache.refresh();
    expect(n.cache.find(z.apiIds[0]!)?.status).toBe(4);
  });
});
