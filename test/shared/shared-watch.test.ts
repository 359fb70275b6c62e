// The ban watch in shared mode: the lease holder runs it with its own freshness settings, and every run
// (any server's) is noted in the database. A follower whose own banWatchSeconds have passed since the
// last noted run runs the watch itself: a holder with the watch off (or slower) no longer leaves the
// community unwatched (red team round 6, hole 2). Real refreshers and Sharing on the memory store, one
// fake CAD, at 20x time.
import { describe, expect, it } from 'vitest';
import { startFakeCad, type FakeCad } from '../../dev/fake-cad';
import { createAccountCache } from '../../src/core/account-cache';
import { createNodeTransport } from '../../src/core/http/node-transport';
import { createMemoryStore, memoryShared, type MemoryShared } from '../../src/core/shared/memory-store';
import { createSharing } from '../../src/core/shared/sharing';
import type { Clock, HttpTransport } from '../../src/core/types';
import { warpClock, warpTransport } from '../faults/warp';
import { captureLog, configFor, memoryFiles } from '../core/helpers';
import { runningAfterEach } from './memory-servers';

const WARP = 20;
let cad: FakeCad;
const running = runningAfterEach(() => cad);
const until = async (done: () => boolean, ms = 8000) => {
  for (let i = 0; i < ms / 5 && !done(); i++) await new Promise((r) => setTimeout(r, 5));
  return done();
};

function servers(clock: Clock) {
  const shared: MemoryShared = memoryShared();
  const bannedPagesBy: Record<string, number> = {};
  const server = (name: string, banWatchSeconds: number) => {
    const config = configFor(cad, { refreshMinutes: 60, database: { enabled: true, leaseSeconds: 5, pollSeconds: 1 }, freshness: { banWatchSeconds, onlineRefreshMinutes: 0 } });
    const inner = warpTransport(createNodeTransport(), WARP);
    bannedPagesBy[name] = 0;
    const transport: HttpTransport = {
      request: (req) => {
        const status = (JSON.parse(req.body ?? '{}') as { data?: { status?: number }[] }).data?.[0]?.status;
        if (status === 4) bannedPagesBy[name]! += 1;
        return inner.request(req);
      },
    };
    const sharing = createSharing({ store: createMemoryStore(shared, clock), config, clock, log: captureLog(), holderId: name });
    const cache = createAccountCache({ config, transport, clock, files: memoryFiles(), log: captureLog(), random: () => 0, ...sharing.cacheDeps });
    sharing.attach(cache);
    cache.start();
    running.push({ cache, sharing });
    return { cache, sharing };
  };
  return { shared, server, bannedPagesBy };
}

describe('the ban watch in shared mode', () => {
  it('a holder with the watch off: a follower set to 10 s runs it itself and finds the ban, which reaches the holder', async () => {
    const clock = warpClock(WARP);
    cad = await startFakeCad({ rateLimit: false, accounts: 30, seed: 62, now: clock.now });
    const z = cad.accounts.find((x) => x.status === 1 && x.apiIds.length > 0)!;
    const { server } = servers(clock);
    const a = server('A', 0);
    expect(await until(() => a.cache.info().ready && a.sharing.sweeping())).toBe(true);
    const b = server('B', 10);
    expect(await until(() => b.cache.info().ready)).toBe(true);
    cad.ban(z.uuid);
    const banned = clock.now();
    expect(await until(() => b.cache.find(z.apiIds[0]!)?.status === 4)).toBe(true);
    expect(clock.now() - banned).toBeLessThanOrEqual(10_000 + 2000);
    expect(await until(() => a.cache.find(z.apiIds[0]!)?.status === 4)).toBe(true);
    expect(b.cache.info().banWatchAt).not.toBeNull();
  }, 20_000);

  it('a holder watching every 10 s: a follower set to 10 s reads no banned list of its own', async () => {
    const clock = warpClock(WARP);
    cad = await startFakeCad({ rateLimit: false, accounts: 30, seed: 62, now: clock.now });
    const { shared, server, bannedPagesBy } = servers(clock);
    const a = server('A', 10);
    expect(await until(() => a.cache.info().ready && a.sharing.sweeping())).toBe(true);
    // Once the holder's first run is noted (before any is, a follower runs its own: nothing says one ran).
    expect(await until(() => shared.banWatchAt !== null)).toBe(true);
    const b = server('B', 10);
    expect(await until(() => b.cache.info().ready)).toBe(true);
    const start = clock.now();
    await until(() => clock.now() - start > 60_000, 10_000); // six of the watch's periods
    expect(bannedPagesBy.A).toBeGreaterThan(4);
    expect({ pages: bannedPagesBy.B, ran: b.cache.info().banWatchAt }).toEqual({ pages: 0, ran: null });
  }, 20_000);
});
