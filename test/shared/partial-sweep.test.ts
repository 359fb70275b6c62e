// A sweep stopped between two pages (this server lost the sweep lease, or came back from running alone
// to follow another server): the bans its pages already read are observations like any other. They are
// merged here by the one rule and written for the other servers as lookup answers; nothing else is
// concluded from a sweep that did not reach every account (red team round 6, holes 7 and 9).
import { describe, expect, it } from 'vitest';
import { startFakeCad, type FakeCad } from '../../dev/fake-cad';
import { createMemoryStore, memoryShared } from '../../src/core/shared/memory-store';
import { realClock } from '../core/helpers';
import { memoryServers, switchable, until } from './memory-servers';

let cad: FakeCad | undefined;
const start = memoryServers(() => cad);

/** A community with three pages of bans; Z (active) is banned later and listed on the first banned page. */
async function community() {
  cad = await startFakeCad({ rateLimit: false, accounts: 40, seed: 69 });
  const z = cad.accounts.find((x) => x.status === 1 && x.apiIds.length > 0)!;
  for (let i = 0; i < 205; i++) cad.addAccount({ status: 4 });
  return { cad, z };
}

describe('a sweep stopped between two pages keeps the bans it read', () => {
  it('the holder loses the lease after a page read a ban: the ban is merged here and written for the others; the unread accounts change nothing', async () => {
    const { cad, z } = await community();
    const shared = memoryShared();
    const a = start(shared, 'A');
    await a.cache.refresh();
    const accountsBefore = a.cache.info().accounts;
    await until(() => a.sharing.sweeping(), 'A holds the lease');
    cad.ban(z.uuid);
    const removed = cad.accounts.find((x) => x.status === 4)!;
    cad.resetRequests();
    // The active page and the first banned page at once, the second banned page slow.
    cad.fault('latency', { ms: 800, route: 'accounts', after: 2, times: 1 });
    const sweep = a.cache.refresh();
    await until(() => cad.requests.some((r) => r.fault === 'latency'), 'A reads its slow page');
    // Another server took the lease meanwhile (A's database stalled past leaseSeconds).
    shared.lease = { holder: 'ghost', token: shared.lease.token + 1, expiresAt: Date.now() + 60_000 };
    await sweep.catch(() => null);
    expect(a.log.lines.filter((l) => l.includes('stopped this sweep'))).toHaveLength(1);
    expect(a.cache.find(z.apiIds[0]!)?.status).toBe(4);
    expect(shared.lookups.get(z.uuid.toLowerCase())?.account.status).toBe(4);
    // Unknown is not "no": the accounts its pages never reached are all still held.
    expect(a.cache.info().accounts).toBe(accountsBefore);
    expect(a.cache.find(removed.uuid)?.status).toBe(4);
  });

  it('a follower back from running alone while its own sweep is between two pages: the ban its pages read is merged and written', async () => {
    const { cad, z } = await community();
    const shared = memoryShared();
    const a = start(shared, 'A');
    await a.cache.refresh();
    await until(() => a.sharing.sweeping(), 'A holds the lease');
    const link = switchable(createMemoryStore(shared, realClock));
    const b = start(shared, 'B', link.store);
    await b.cache.refresh();
    expect(b.sharing.mode()).toBe('shared');

    link.state.down = true;
    await until(() => b.sharing.mode() === 'alone', 'B runs alone');
    cad.ban(z.uuid);
    cad.resetRequests();
    cad.fault('latency', { ms: 800, route: 'accounts', after: 2, times: 1 });
    const sweep = b.cache.refresh();
    await until(() => cad.requests.some((r) => r.fault === 'latency'), 'B reads its slow page');
    link.state.down = false;
    await until(() => b.sharing.mode() === 'shared', 'B is back');
    await sweep.catch(() => null);
    expect(b.log.lines.filter((l) => l.includes('stopped this sweep'))).toHaveLength(1);
    expect(b.cache.find(z.apiIds[0]!)?.status).toBe(4);
    await until(() => shared.lookups.get(z.uuid.toLowerCase())?.account.status === 4, 'the ban is written for the others');
    await until(() => a.cache.find(z.apiIds[0]!)?.status === 4, 'A merges it');
  });
});
