// The coordinator on the memory store (fast, no database): what the lease and the fencing token mean
// for the refresher. A holder that lost the lease while it swept does not publish over the new
// holder's version; a follower with nothing new makes no CAD call and raises no event; lookup answers
// travel. The same rules on a real MariaDB: two-servers, database-faults and multi-server tests.
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeCad, type FakeCad } from '../../dev/fake-cad';
import { createAccountCache } from '../../src/core/account-cache';
import { createNodeTransport } from '../../src/core/http/node-transport';
import { createMemoryStore, memoryShared, type MemoryShared } from '../../src/core/shared/memory-store';
import { createSharing, type Sharing } from '../../src/core/shared/sharing';
import { captureLog, configFor, memoryFiles, realClock } from '../core/helpers';

let cad: FakeCad | undefined;
const running: { stop(): void; sharing: Sharing }[] = [];
afterEach(async () => {
  for (const r of running.splice(0)) {
    r.stop();
    await r.sharing.stop();
  }
  await cad?.close();
  cad = undefined;
});

function server(shared: MemoryShared, name: string) {
  const config = configFor(cad!, { refreshMinutes: 60, database: { enabled: true, leaseSeconds: 1, pollSeconds: 0.1 } });
  const log = captureLog();
  const sharing = createSharing({ store: createMemoryStore(shared, realClock), config, clock: realClock, log, holderId: name });
  const cache = createAccountCache({ config, transport: createNodeTransport(), clock: realClock, files: memoryFiles(), log, random: () => 0, ...sharing.cacheDeps });
  sharing.attach(cache);
  const events: string[] = [];
  cache.on('refreshed', () => events.push('refreshed'));
  running.push({ stop: () => cache.stop(), sharing });
  return { cache, sharing, log, events };
}

const sweepCalls = () => cad!.requests.filter((r) => r.path.endsWith('get_accounts')).length;
const until = async (predicate: () => boolean, what: string) => {
  const deadline = Date.now() + 5000;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('sharing over the memory store', () => {
  it('a holder that lost the lease during its sweep keeps its result but does not publish it', async () => {
    cad = await startFakeCad({ rateLimit: false, accounts: 120 });
    cad.fault('latency', { ms: 400, route: 'accounts' });
    const shared = memoryShared();
    const a = server(shared, 'A');
    const first = a.cache.refresh();
    await until(() => a.sharing.sweeping(), 'A holds the lease');
    // B takes over while A's pages are slow (as if A had stalled past its lease).
    shared.lease.expiresAt = 0;
    const b = createMemoryStore(shared, realClock);
    const taken = await b.takeLease('B', null, 60_000);
    const bVersion = await b.publish('B', taken.token, { startedAt: Date.now(), byStatus: {}, accounts: [] });
    await first;
    expect(a.cache.info().accounts).toBeGreaterThan(100); // A serves its own sweep...
    expect(shared.current).toBe(bVersion); // ...but B's version stands
    expect(a.log.lines.some((l) => l.includes('lost the sweep lease') || l.includes('another server took'))).toBe(true);
  });

  it('a follower loads a new version once, with no CAD call, and nothing at all while nothing changed', async () => {
    cad = await startFakeCad({ rateLimit: false, accounts: 120 });
    const shared = memoryShared();
    const a = server(shared, 'A');
    await a.cache.refresh();
    const calls = sweepCalls();
    const b = server(shared, 'B');
    await b.cache.refresh();
    expect(b.cache.info().accounts).toBe(a.cache.info().accounts);
    expect(b.events).toEqual(['refreshed']);
    await b.cache.refresh();
    await b.cache.refresh();
    expect(b.events).toEqual(['refreshed']); // 'unchanged': no swap, no event
    expect(sweepCalls()).toBe(calls);

    // A lookup answered on B reaches A through the store, without a second CAD call.
    const fresh = cad.addAccount({ status: 1 });
    expect((await b.cache.lookup(fresh.apiIds[0]!, 2000))?.uuid).toBe(fresh.uuid);
    await until(() => a.cache.find(fresh.apiIds[0]!)?.uuid === fresh.uuid, 'A absorbs the lookup');
    expect(cad.requests.filter((r) => r.path.endsWith('get_account'))).toHaveLength(1);
  });

  it('a 429 on one server pauses the calls of the other (one key, one budget)', async () => {
    cad = await startFakeCad({ rateLimit: false, accounts: 20 });
    const shared = memoryShared();
    const a = server(shared, 'A');
    const b = server(shared, 'B');
    await a.cache.refresh();
    await b.cache.refresh();
    const [x, y] = [cad.addAccount({ status: 1 }), cad.addAccount({ status: 1 })];
    cad.fault('429', { times: 1, retryAfter: 1, route: 'account' });
    const lookupA = a.cache.lookup(x.apiIds[0]!, 5000);
    await until(() => shared.bucket.pausedUntil > Date.now() + 500, 'the pause reaches the shared bucket');
    const pausedUntil = shared.bucket.pausedUntil;
    expect((await b.cache.lookup(y.apiIds[0]!, 5000))?.uuid).toBe(y.uuid);
    const bCall = cad.requests.filter((r) => r.path.endsWith('get_account') && r.status === 200).find((r) => JSON.stringify(r.body).includes(y.apiIds[0]!));
    expect(bCall!.at).toBeGreaterThanOrEqual(pausedUntil - 5);
    expect((await lookupA)?.uuid).toBe(x.uuid);
  });
});
