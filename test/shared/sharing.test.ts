// The coordinator on the memory store (fast, no database): what the lease and the fencing token mean
// for the refresher. A holder that lost the lease while it swept does not publish over the new
// holder's version; a follower with nothing new makes no CAD call and raises no event; lookup answers
// travel. The same rules on a real MariaDB: two-servers, database-faults and multi-server tests.
import { describe, expect, it } from 'vitest';
import { startFakeCad, type FakeCad } from '../../dev/fake-cad';
import { createMemoryStore, memoryShared, type MemoryShared } from '../../src/core/shared/memory-store';
import type { SharedStore } from '../../src/core/shared/store';
import { realClock } from '../core/helpers';
import { memoryServers, switchable, until } from './memory-servers';

let cad: FakeCad | undefined;
const start = memoryServers(() => cad);

function server(shared: MemoryShared, name: string, store?: SharedStore) {
  const started = start(shared, name, store);
  const events: string[] = [];
  started.cache.on('refreshed', () => events.push('refreshed'));
  return { ...started, events };
}

const sweepCalls = () => cad!.requests.filter((r) => r.path.endsWith('get_accounts')).length;

describe('sharing over the memory store', () => {
  it('a holder that lost the lease during its sweep does not publish it', async () => {
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
    // A stops paging once it sees the lease changed hands (one sweeper while the database is up, I3),
    // or, past its last page, keeps its result here only; either way B's version stands.
    expect(a.log.lines.some((l) => l.includes('stopped this sweep') || l.includes('not published'))).toBe(true);
    expect(shared.current).toBe(bVersion);
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

  it('back from running alone, a server merges an older shared version account by account: its own newer observations stay, what its sweep dropped stays dropped, a ban read after its sweep began arrives', async () => {
    cad = await startFakeCad({ rateLimit: false, accounts: 60 });
    const shared = memoryShared();
    const active = cad.accounts.filter((a) => a.status === 1 && a.apiIds.length > 0);
    // Z banned since (B's own sweep sees it); R removed from the CAD since; U unbanned since; Y banned
    // after B's sweep, read by the older version's slow page after that.
    const [z, r, u, y] = active;
    cad.ban(u!.uuid);
    const probe = server(memoryShared(), 'probe');
    await probe.cache.refresh();
    const listed = cad.accounts.filter((a) => a.status === 1 || a.status === 4).map((a) => probe.cache.find(a.uuid)!).filter(Boolean);
    cad.unban(u!.uuid);
    cad.ban(z!.uuid);
    cad.removeAccount(r!.uuid);

    // B starts while the database is away: it sweeps alone.
    const { store, state } = switchable(createMemoryStore(shared, realClock));
    state.down = true;
    const b = server(shared, 'B', store);
    await b.cache.refresh();
    expect([b.cache.find(z!.apiIds[0]!)?.status, b.cache.find(r!.apiIds[0]!) ?? null, b.cache.find(u!.apiIds[0]!)?.status]).toEqual([4, null, 1]);
    expect(b.log.lines.some((l) => l.includes('shared database unreachable'))).toBe(true);

    // Meanwhile another server publishes a version whose sweep began an hour ago (before B's), whose
    // last page read Y banned after B's sweep.
    cad.ban(y!.uuid);
    const old = createMemoryStore(shared, realClock);
    const lease = await old.takeLease('X', null, 60_000);
    const yBanned = { ...listed.find((a) => a.uuid === y!.uuid)!, status: 4, observedAt: Date.now() };
    const accounts = listed.map((a) => (a.uuid === y!.uuid ? yBanned : a));
    await old.publish('X', lease.token, { startedAt: Date.now() - 3_600_000, byStatus: {}, accounts });
    await old.releaseLease('X', lease.token);

    // The database is back: B does not load that version whole, but merges it observation by observation.
    state.down = false;
    await until(() => b.log.lines.some((l) => l.includes('shared database is back')), 'B rejoins');
    await until(() => b.log.lines.some((l) => l.includes('older than this server')) || b.cache.find(y!.apiIds[0]!)?.status === 4, 'B merges the older version');
    expect({
      z: b.cache.find(z!.apiIds[0]!)?.status,
      r: b.cache.find(r!.apiIds[0]!) ?? null,
      u: b.cache.find(u!.apiIds[0]!)?.status,
      y: b.cache.find(y!.apiIds[0]!)?.status,
    }).toEqual({ z: 4, r: null, u: 1, y: 4 });
    expect(b.log.lines.filter((l) => l.includes('loaded shared version'))).toEqual([]);
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
