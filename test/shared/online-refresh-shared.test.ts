// Shared mode (issue 21): the lease holder runs the online refresh for the community, over the online
// players of every server (each server publishes the accounts of its online players through the
// database). A follower's online player whose account was revoked in the CAD sees it within
// onlineRefreshMinutes + pollSeconds through the holder's lookup, and the follower spends no call of the
// key on it (the key is not spent twice). Alone (database down), a server refreshes its own players.
// Two real refreshers with real Sharing on the memory store, one fake CAD, at 50x time; each server has
// a transport of its own, so every call is counted against the server that made it.
import { describe, expect, it } from 'vitest';
import { startFakeCad, type FakeCad } from '../../dev/fake-cad';
import { createAccountCache } from '../../src/core/account-cache';
import { createNodeTransport } from '../../src/core/http/node-transport';
import { PERMISSIONS } from '../../src/core/permissions';
import { createMemoryStore, memoryShared, type MemoryShared } from '../../src/core/shared/memory-store';
import { createSharing, type Sharing } from '../../src/core/shared/sharing';
import type { SharedStore } from '../../src/core/shared/store';
import type { AccountCache, CachedAccount, Clock, HttpTransport } from '../../src/core/types';
import { warpClock, warpTransport } from '../faults/warp';
import { captureLog, configFor, memoryFiles } from '../core/helpers';
import { runningAfterEach, switchable } from './memory-servers';

const WARP = 50;
/** onlineRefreshMinutes (1), a check every 15 s at most, pollSeconds (1), and 10 s for the calls and a loaded machine (0.2 s real at 50x). */
const DUE_WITHIN = 60_000 + 15_000 + 1000 + 10_000;
let cad: FakeCad;
const running = runningAfterEach(() => cad);

const until = async (done: () => boolean, ms = 5000) => {
  for (let i = 0; i < ms / 5 && !done(); i++) await new Promise((r) => setTimeout(r, 5));
  return done();
};
const holds = (account: CachedAccount | undefined, flag: string) => {
  const bit = PERMISSIONS.indexOf(flag as (typeof PERMISSIONS)[number]);
  const word = bit < 30 ? account!.w0 : bit < 60 ? account!.w1 : account!.w2;
  return (word & (1 << bit % 30)) !== 0;
};

interface Server {
  cache: AccountCache;
  sharing: Sharing;
  /** GET_ACCOUNT calls this server made, by when (warped ms). */
  lookups: number[];
}

function server(clock: Clock, shared: MemoryShared, name: string, online: () => Iterable<readonly string[]>, onlineRefreshMinutes = 1, store?: SharedStore, version: 1 | 2 = 1): Server {
  const config = configFor(
    cad,
    {
    refreshMinutes: 60,
    refreshJitterSeconds: 0,
    snapshot: { enabled: false },
    rateLimit: { v1PerSecond: 1, v2PerMinute: 10 },
    database: { enabled: true, leaseSeconds: 30, pollSeconds: 1 },
    freshness: { banWatchSeconds: 0, onlineRefreshMinutes },
    },
    version,
  );
  const log = captureLog();
  const lookups: number[] = [];
  const inner = warpTransport(createNodeTransport(), WARP);
  const transport: HttpTransport = {
    request: (req) => {
      // v1 .../general/get_account, v2 .../v2/general/accounts/account?communityUserId=...
      if (/get_account$|\/accounts\/account\?/i.test(req.url)) lookups.push(clock.now());
      return inner.request(req);
    },
  };
  const sharing = createSharing({ store: store ?? createMemoryStore(shared, clock), config, clock, log, holderId: name });
  const cache = createAccountCache({ config, transport, clock, files: memoryFiles(), log, random: () => 0.5, online, ...sharing.cacheDeps });
  sharing.attach(cache);
  cache.start();
  running.push({ cache, sharing });
  return { cache, sharing, lookups };
}

/** A holder A with nobody online and a follower B with one online player whose account holds a permission. */
async function community(followerRefreshMinutes = 1, version: 1 | 2 = 1) {
  const clock = warpClock(WARP);
  // 1,200 accounts: a sweep costs 13 calls, so one online account is refreshed by a lookup, not a sweep.
  cad = await startFakeCad({ rateLimit: false, accounts: 1200, seed: 11, now: clock.now });
  const shared = memoryShared();
  const a = server(clock, shared, 'A', () => [], 1, undefined, version);
  expect(await until(() => a.cache.info().ready && a.sharing.sweeping(), 10_000)).toBe(true);
  const player = cad.accounts.find((x) => x.status === 1 && x.apiIds.length > 0 && PERMISSIONS.some((p) => x.permissions[p]))!;
  const flag = PERMISSIONS.find((p) => player.permissions[p])!;
  const identifiers = cad.identitiesOf(player.uuid);
  const b = server(clock, shared, 'B', () => [identifiers], followerRefreshMinutes, undefined, version);
  expect(await until(() => b.cache.info().ready, 5000)).toBe(true);
  expect(b.sharing.sweeping()).toBe(false);
  return { clock, a, b, player, flag, identifiers };
}

describe('online refresh in shared mode', () => {
  it("the holder refreshes a follower's online player: a revoke reaches the follower within onlineRefreshMinutes + pollSeconds, and the follower spends no call", async () => {
    const { clock, a, b, player, flag } = await community();
    let revokedOnB: number | null = null;
    b.cache.on('accountChanged', () => {
      if (revokedOnB === null && !holds(b.cache.find(player.uuid), flag)) revokedOnB = clock.now();
    });
    const observedAt = b.cache.find(player.uuid)!.observedAt;
    cad.revoke(player.uuid, flag);
    expect(await until(() => revokedOnB !== null, 6000)).toBe(true);
    // The account is at most onlineRefreshMinutes old (a check every 15 s at most), then one poll to the follower.
    expect(revokedOnB! - observedAt).toBeLessThanOrEqual(DUE_WITHIN);
    expect(b.lookups).toEqual([]);
    expect(a.lookups.length).toBeGreaterThanOrEqual(1);
    expect(holds(a.cache.find(player.uuid), flag)).toBe(false);
    // Three more periods: one lookup a period, by the holder only (the key is not spent twice).
    const from = clock.now();
    await new Promise((r) => setTimeout(r, 3600));
    const periods = (clock.now() - from) / 60_000;
    expect(b.lookups).toEqual([]);
    const later = a.lookups.filter((at) => at >= from).length;
    expect(later).toBeGreaterThanOrEqual(Math.floor(periods) - 1);
    expect(later).toBeLessThanOrEqual(Math.ceil(periods) + 1);
  }, 30_000);

  it.each([1, 2] as const)('a follower whose own online refresh is off still has its players refreshed by the holder (API v%i)', async (version) => {
    const { clock, a, b, player, flag } = await community(0, version);
    const observedAt = b.cache.find(player.uuid)!.observedAt;
    cad.revoke(player.uuid, flag);
    expect(await until(() => !holds(b.cache.find(player.uuid), flag), 10_000)).toBe(true);
    // v2: one call in 6 s (10 a minute): a few pacer intervals for the lookup's turn.
    expect(clock.now() - observedAt).toBeLessThanOrEqual(DUE_WITHIN + (version === 2 ? 45_000 : 0));
    expect(b.lookups).toEqual([]);
    expect(a.lookups.length).toBeGreaterThanOrEqual(1);
  }, 30_000);

  it('alone (the database down), a follower refreshes its own online players again', async () => {
    const clock = warpClock(WARP);
    cad = await startFakeCad({ rateLimit: false, accounts: 1200, seed: 11, now: clock.now });
    const shared = memoryShared();
    const a = server(clock, shared, 'A', () => []);
    expect(await until(() => a.cache.info().ready && a.sharing.sweeping(), 10_000)).toBe(true);
    const player = cad.accounts.find((x) => x.status === 1 && x.apiIds.length > 0 && PERMISSIONS.some((p) => x.permissions[p]))!;
    const flag = PERMISSIONS.find((p) => player.permissions[p])!;
    const { store, state } = switchable(createMemoryStore(shared, clock));
    const b = server(clock, shared, 'B', () => [cad.identitiesOf(player.uuid)], 1, store);
    expect(await until(() => b.cache.info().ready && b.sharing.mode() === 'shared', 5000)).toBe(true);
    state.down = true;
    expect(await until(() => b.sharing.mode() === 'alone', 2000)).toBe(true);
    cad.revoke(player.uuid, flag);
    expect(await until(() => !holds(b.cache.find(player.uuid), flag), 6000)).toBe(true);
    expect(b.lookups.length).toBeGreaterThanOrEqual(1);
  }, 30_000);
});
