// Shared mode (issue 21): the lease holder runs the ban watch for the community; what it finds is shared
// like a lookup answer, so a follower's online player sees the ban within pollSeconds, and the follower
// (its watch no more frequent than the holder's) reads no banned list of its own. Two real refreshers with real Sharing on the memory store, one fake
// CAD, at 50x time.
import { describe, expect, it } from 'vitest';
import { startFakeCad, type FakeCad } from '../../dev/fake-cad';
import { createAccountCache } from '../../src/core/account-cache';
import { createNodeTransport } from '../../src/core/http/node-transport';
import { createMemoryStore, memoryShared } from '../../src/core/shared/memory-store';
import { createSharing } from '../../src/core/shared/sharing';
import type { HttpTransport } from '../../src/core/types';
import { warpClock, warpTransport } from '../faults/warp';
import { captureLog, configFor, memoryFiles } from '../core/helpers';
import { runningAfterEach } from './memory-servers';

const WARP = 50;
let cad: FakeCad;
const running = runningAfterEach(() => cad);

const until = async (done: () => boolean, ms = 5000) => {
  for (let i = 0; i < ms / 5 && !done(); i++) await new Promise((r) => setTimeout(r, 5));
  return done();
};

describe('ban watch in shared mode', () => {
  it('the holder\'s watch finds the ban; the follower\'s online player sees it within pollSeconds, and the follower reads no banned list', async () => {
    const clock = warpClock(WARP);
    cad = await startFakeCad({ rateLimit: false, accounts: 80, seed: 8, now: clock.now });
    const shared = memoryShared();
    const pagesBy: Record<string, number[]> = { A: [], B: [] };
    const server = (name: string, online: () => Iterable<readonly string[]>) => {
      const config = configFor(cad, { refreshMinutes: 60, database: { enabled: true, leaseSeconds: 30, pollSeconds: 1 }, freshness: { banWatchSeconds: 10, onlineRefreshMinutes: 0 } });
      const log = captureLog();
      const inner = warpTransport(createNodeTransport(), WARP);
      const transport: HttpTransport = {
        request: (req) => {
          const status = (JSON.parse(req.body ?? '{}') as { data?: { status?: number }[] }).data?.[0]?.status;
          if (status === 4) pagesBy[name]!.push(clock.now());
          return inner.request(req);
        },
      };
      const sharing = createSharing({ store: createMemoryStore(shared, clock), config, clock, log, holderId: name });
      const cache = createAccountCache({ config, transport, clock, files: memoryFiles(), log, random: () => 0, online, ...sharing.cacheDeps });
      sharing.attach(cache);
      cache.start();
      running.push({ cache, sharing });
      return { cache, sharing };
    };
    const a = server('A', () => []);
    expect(await until(() => a.cache.info().ready && a.sharing.sweeping())).toBe(true);
    // The holder's first run noted: before any is, a follower runs its own (shared-watch.ts).
    expect(await until(() => shared.banWatchAt !== null)).toBe(true);
    const player = cad.accounts.find((x) => x.status === 1)!;
    const identifiers = cad.identitiesOf(player.uuid);
    const b = server('B', () => [identifiers]);
    expect(await until(() => b.cache.info().ready)).toBe(true);
    expect(b.sharing.sweeping()).toBe(false);
    let bannedOnB: number | null = null;
    b.cache.on('accountChanged', () => {
      if (bannedOnB === null && b.cache.standing(identifiers).banned) bannedOnB = clock.now();
    });
    const before = pagesBy.B!.length;
    cad.ban(player.uuid);
    expect(await until(() => bannedOnB !== null, 5000)).toBe(true);
    const watchedAt = a.cache.info().banWatchAt!;
    expect(a.cache.standing(identifiers).banned).toBe(true);
    expect(bannedOnB! - watchedAt).toBeLessThanOrEqual(1000 + 500); // pollSeconds, and a little for the write
    await new Promise((r) => setTimeout(r, 600)); // 30 s more: three of the watch's periods
    expect(pagesBy.B!.length).toBe(before); // the follower read no banned page
    expect(pagesBy.A!.length).toBeGreaterThan(2);
    expect(b.cache.info().banWatchAt).toBeNull();
  }, 20_000);

  // Round 6 hole 8: the watch shared only what changed the holder's own cache. A ban row gone from the
  // database (deleted by hand, a table emptied unnoticed) was never written again by it.
  it('the holder\'s watch writes again a ban it already holds that the database lacks', async () => {
    const clock = warpClock(WARP);
    cad = await startFakeCad({ rateLimit: false, accounts: 80, seed: 9, now: clock.now });
    const shared = memoryShared();
    // One server: a long lease (0.6 s real), so a loaded machine does not make it lapse between runs.
    const config = configFor(cad, { refreshMinutes: 60, database: { enabled: true, leaseSeconds: 30, pollSeconds: 1 }, freshness: { banWatchSeconds: 10, onlineRefreshMinutes: 0 } });
    const log = captureLog();
    const sharing = createSharing({ store: createMemoryStore(shared, clock), config, clock, log, holderId: 'A' });
    const cache = createAccountCache({ config, transport: warpTransport(createNodeTransport(), WARP), clock, files: memoryFiles(), log, random: () => 0, ...sharing.cacheDeps });
    sharing.attach(cache);
    cache.start();
    running.push({ cache, sharing });
    expect(await until(() => cache.info().ready && sharing.sweeping())).toBe(true);
    const z = cad.accounts.find((x) => x.status === 1 && x.apiIds.length > 0)!;
    cad.ban(z.uuid);
    const row = () => shared.lookups.get(z.uuid.toLowerCase())?.account.status;
    expect(await until(() => row() === 4, 10_000)).toBe(true); // the watch found it: shared like a lookup
    shared.lookups.delete(z.uuid.toLowerCase()); // the row deleted by hand (the table's mark stays)
    expect(await until(() => row() === 4, 3000)).toBe(true); // the next runs write it again
  }, 20_000);
});
