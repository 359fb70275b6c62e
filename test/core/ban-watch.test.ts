// The ban watch (core/cadences/ban-watch.ts) through the refresher, at 100x time over the fake CAD: a
// ban reaches the cache within banWatchSeconds, by the one merge rule, and nothing else is concluded
// from the banned list (an account leaving it is not assumed active).
import { describe, expect, it } from 'vitest';
import { startFakeCad, type FakeCad } from '../../dev/fake-cad';
import { generateAccounts } from '../../dev/fake-cad/generate';
import { createAccountCache } from '../../src/core/account-cache';
import { runEvery } from '../../src/core/cadences/ban-watch';
import { createNodeTransport } from '../../src/core/http/node-transport';
import type { AccountCache, AccountChange } from '../../src/core/types';
import { warpClock, warpTransport } from '../faults/warp';
import { captureLog, configFor, memoryFiles, stopAfterEach } from './helpers';

const WARP = 100;
let cad: FakeCad;
let cache: AccountCache | undefined;
stopAfterEach(() => ({ cache, cad }));

function makeCache(freshness: Record<string, number>, warp = WARP) {
  const clock = warpClock(warp);
  cache = createAccountCache({
    config: configFor(cad, { refreshMinutes: 60, refreshJitterSeconds: 0, snapshot: { enabled: false }, rateLimit: { v1PerSecond: 10, v2PerMinute: 600 }, freshness }),
    transport: warpTransport(createNodeTransport(), warp),
    clock,
    files: memoryFiles(),
    log: captureLog(),
    random: () => 0.5,
  });
  const changes: AccountChange[] = [];
  cache.on('accountChanged', (c) => changes.push(c));
  return { cache, clock, changes };
}

const until = async (done: () => boolean, ms = 5000) => {
  for (let i = 0; i < ms / 5 && !done(); i++) await new Promise((r) => setTimeout(r, 5));
  return done();
};
const bannedPages = (c: FakeCad) => c.requests.filter((r) => (r.body as { data?: { status?: number }[] })?.data?.[0]?.status === 4);

describe('ban watch', () => {
  it('a ban in the CAD reaches the cache within banWatchSeconds, without a sweep; getCacheInfo says when it ran', async () => {
    cad = await startFakeCad({ accounts: 60, seed: 3, rateLimit: false });
    // 25x, not 100x: the 5 s of slack below is 200 ms real, not 50 (under load a hiccup ate 50 ms).
    const { cache, clock, changes } = makeCache({ banWatchSeconds: 20, onlineRefreshMinutes: 0 }, 25);
    cache.start();
    expect(await until(() => cache.info().ready)).toBe(true);
    expect(cache.info().banWatchAt).toBeNull();
    const victim = cad.accounts.find((a) => a.status === 1)!;
    cad.ban(victim.uuid);
    const bannedAt = clock.now();
    expect(await until(() => cache.standing([`license:${victim.apiIds[0]}`]).banned)).toBe(true);
    expect(clock.now() - bannedAt).toBeLessThan(25_000);
    expect(changes.map((c) => [c.uuid, c.statusAfter])).toEqual([[victim.uuid, 4]]);
    expect(cache.info().banWatchAt).toBeGreaterThanOrEqual(bannedAt);
    expect(cache.info().lastRefreshAt).toBeLessThan(bannedAt); // no sweep brought it
  });

  it('an account gone from the banned list stays banned until a sweep or a lookup says what it is now', async () => {
    cad = await startFakeCad({ accounts: generateAccounts(40, 4).map((a, i) => ({ ...a, status: i < 3 ? 4 : 1 })), rateLimit: false });
    const { cache } = makeCache({ banWatchSeconds: 10, onlineRefreshMinutes: 0 });
    cache.start();
    await until(() => cache.info().ready);
    const pardoned = cad.accounts[0]!;
    cad.unban(pardoned.uuid);
    const watched = cache.info().banWatchAt;
    expect(await until(() => (cache.info().banWatchAt ?? 0) > (watched ?? 0) + 10_000)).toBe(true);
    expect(cache.find(pardoned.uuid)?.status).toBe(4);
    expect((await cache.lookup(pardoned.apiIds[0]!, 5000, { fresh: true }))?.status).toBe(1);
    expect(cache.find(pardoned.uuid)?.status).toBe(1);
  });

  it('a ban pushed onto a page already read (someone unbanned between two pages) is read on another pass', async () => {
    const accounts = generateAccounts(260, 5).map((a, i) => ({ ...a, status: i < 150 ? 4 : 1 }));
    cad = await startFakeCad({ accounts, rateLimit: false });
    const { cache, clock } = makeCache({ banWatchSeconds: 10, onlineRefreshMinutes: 0 });
    cache.start();
    await until(() => cache.info().ready);
    // The newcomer is banned at list position 100 (page 2); right after page 1 is answered someone on
    // page 1 is unbanned, so the newcomer moves to position 99, onto the page already read.
    const victim = cad.accounts[200]!;
    cad.accounts.splice(cad.accounts.indexOf(victim), 1);
    cad.accounts.splice(100, 0, victim);
    cad.ban(victim.uuid);
    let shiftedAt: number | null = null;
    cad.fault('rewrite', {
      route: 'accounts',
      times: 1,
      rewrite: (body: unknown) => {
        cad.unban(cad.accounts[5]!.uuid);
        shiftedAt = clock.now();
        return body;
      },
    });
    // The same run reads it (not the next one, banWatchSeconds later).
    expect(await until(() => shiftedAt !== null && (cache.info().banWatchAt ?? 0) > shiftedAt)).toBe(true);
    expect(cache.find(victim.uuid)?.status).toBe(4);
  });

  it('on a long banned list a new ban is found in about log2(pages) calls, and a quiet run reads two pages, not all of them', async () => {
    // 1,500 bans: 15 pages. Today's list is remembered; a ban shifts the pages after it by one.
    const accounts = generateAccounts(1600, 8).map((a, i) => ({ ...a, status: i < 1500 ? 4 : 1 }));
    cad = await startFakeCad({ accounts, rateLimit: false });
    const { cache } = makeCache({ banWatchSeconds: 10, onlineRefreshMinutes: 0 });
    cache.start();
    await until(() => cache.info().ready, 10_000);
    expect(await until(() => cache.info().banWatchAt !== null, 10_000)).toBe(true);
    const before = bannedPages(cad).length;
    const offsets = () => bannedPages(cad).slice(before).map((r) => (r.body as { data: { offset: number }[] }).data[0]!.offset);
    // Two whole runs after the first one (each starts at offset 0; the first one may still be reading).
    expect(await until(() => offsets().filter((o) => o === 0).length >= 3, 10_000)).toBe(true);
    const all = offsets();
    const runs = all.slice(all.indexOf(0)).join(',').split(/,(?=0\b)/).slice(0, 2);
    expect(runs.map((r) => r.split(',').length)).toEqual([2, 2]); // page 0 and one page in turn
    // Banned at list position 1,100 (page 11).
    const victim = cad.accounts[1550]!;
    cad.accounts.splice(cad.accounts.indexOf(victim), 1);
    cad.accounts.splice(1100, 0, victim);
    cad.ban(victim.uuid);
    const at = bannedPages(cad).length;
    expect(await until(() => cache.find(victim.uuid)?.status === 4, 10_000)).toBe(true);
    await until(() => !cache.info().refreshing && bannedPages(cad).length > at, 2000);
    expect(bannedPages(cad).length - at).toBeLessThanOrEqual(Math.ceil(Math.log2(16)) + 3);
  }, 30_000);

  it('runs start so that a ban is read within about banWatchSeconds: sooner on a long list, never closer than half of it', () => {
    // v1 (1 s pacer), 1,500 bans: finding a new ban takes 4 + 2 calls at a third of the pacer, 18 s.
    expect(runEvery(60_000, 1500, 1000)).toBe(42_000);
    expect(runEvery(60_000, 80, 1000)).toBe(54_000); // one page: 2 calls
    expect(runEvery(60_000, 1500, 6000)).toBe(30_000); // v2: 108 s to find it, so half of banWatchSeconds
    expect(runEvery(600_000, 1500, 6000)).toBe(492_000);
  });

  it('0 turns it off: only sweeps read the banned list', async () => {
    cad = await startFakeCad({ accounts: 30, seed: 6, rateLimit: false });
    const { cache } = makeCache({ banWatchSeconds: 0, onlineRefreshMinutes: 0 });
    cache.start();
    await until(() => cache.info().ready);
    const afterSweep = bannedPages(cad).length;
    await new Promise((r) => setTimeout(r, 300)); // 30 s at 100x
    expect(bannedPages(cad).length).toBe(afterSweep);
    expect(cache.info().banWatchAt).toBeNull();
  });

  it('a run that reads many pages stretches the watch so it takes at most a third of the calls', async () => {
    // 5 pages at 1 call/s. After an unban the list is read whole (page 0, then 5 pages): a third of the
    // calls puts the next run 18 s later, although banWatchSeconds says 10; quiet runs read 2 pages: 6 s
    // (runs would start every 5 s: half of banWatchSeconds, since finding a new ban takes 15 s).
    const clock = warpClock(WARP);
    cad = await startFakeCad({ accounts: generateAccounts(520, 7).map((a, i) => ({ ...a, status: i < 480 ? 4 : 1 })), rateLimit: false, now: clock.now });
    cache = createAccountCache({
      config: configFor(cad, { refreshMinutes: 60, snapshot: { enabled: false }, rateLimit: { v1PerSecond: 1, v2PerMinute: 60 }, freshness: { banWatchSeconds: 10, onlineRefreshMinutes: 0 } }),
      transport: warpTransport(createNodeTransport(), WARP),
      clock,
      files: memoryFiles(),
      log: captureLog(),
      random: () => 0.5,
    });
    cache.start();
    await until(() => cache!.info().ready, 10_000);
    await until(() => cache!.info().banWatchAt !== null, 10_000);
    const firstPages = bannedPages(cad).length;
    cad.unban(cad.accounts[0]!.uuid);
    await until(() => bannedPages(cad).length >= firstPages + 15, 10_000);
    const asked = bannedPages(cad)
      .slice(firstPages)
      .map((r) => ({ offset: (r.body as { data: { offset: number }[] }).data[0]!.offset, at: r.at }));
    // The first run after the unban (a run may be half way when it happens): page 0 (the total went
    // down), then the list whole from offset 0: 6 calls, so the next run starts 18 s after it (a retry
    // on a loaded machine may add a call, never a run).
    const watched = asked.slice(asked.findIndex((r) => r.offset === 0));
    const next = watched.findIndex((r, i) => i > 1 && r.offset === 0 && watched[i - 1]!.offset !== 0);
    expect(next).toBeGreaterThanOrEqual(6);
    expect(watched[next]!.at - watched[0]!.at).toBeGreaterThanOrEqual(18_000 - 1500);
    // Quiet runs after it: 2 calls every 6 s, sooner than banWatchSeconds and still a third of the calls.
    const quiet = watched.slice(next);
    const span = quiet.at(-1)!.at - quiet[0]!.at;
    expect(quiet.length).toBeLessThanOrEqual(span / 3000 + 2);
    expect(quiet.filter((r) => r.offset === 0).length).toBeGreaterThan(span / 10_000 + 1);
  }, 20_000);
});
