// The online refresh (core/cadences/online-refresh.ts) through the refresher, at 100x time over the fake
// CAD: accounts of online players not seen for onlineRefreshMinutes are looked up one by one, most
// stale first; where one sweep costs fewer calls than those lookups, the sweep is pulled forward instead.
import { describe, expect, it } from 'vitest';
import { startFakeCad, type FakeCad } from '../../dev/fake-cad';
import { generateAccounts } from '../../dev/fake-cad/generate';
import { createAccountCache } from '../../src/core/account-cache';
import { createNodeTransport } from '../../src/core/http/node-transport';
import { PERMISSIONS } from '../../src/core/permissions';
import type { AccountCache, CachedAccount } from '../../src/core/types';
import { warpClock, warpTransport } from '../faults/warp';
import { captureLog, configFor, memoryFiles, stopAfterEach } from './helpers';

const WARP = 100;
let cad: FakeCad;
let cache: AccountCache | undefined;
stopAfterEach(() => ({ cache, cad }));

async function setUp(accounts: number, onlineCount: number, onlineRefreshMinutes: number, banWatchSeconds = 0, bans?: number) {
  const clock = warpClock(WARP);
  const population = bans === undefined ? accounts : generateAccounts(accounts, 11).map((a, i) => ({ ...a, status: i < bans ? 4 : a.status === 4 ? 1 : a.status }));
  cad = await startFakeCad({ accounts: population, seed: 11, rateLimit: false, now: clock.now });
  const online = cad.accounts.filter((a) => a.status === 1 && PERMISSIONS.some((p) => a.permissions[p])).slice(0, onlineCount);
  cache = createAccountCache({
    config: configFor(cad, { refreshMinutes: 60, refreshJitterSeconds: 0, snapshot: { enabled: false }, rateLimit: { v1PerSecond: 1, v2PerMinute: 10 }, freshness: { banWatchSeconds, onlineRefreshMinutes } }),
    transport: warpTransport(createNodeTransport(), WARP),
    clock,
    files: memoryFiles(),
    log: captureLog(),
    random: () => 0.5,
    online: () => online.map((a) => cad.identitiesOf(a.uuid)),
  });
  let sweeps = 0;
  cache.on('refreshed', () => void (sweeps += 1));
  cache.start();
  await until(() => cache!.info().ready, 20_000);
  return { cache, clock, online, sweeps: () => sweeps };
}

const until = async (done: () => boolean, ms = 5000) => {
  for (let i = 0; i < ms / 5 && !done(); i++) await new Promise((r) => setTimeout(r, 5));
  return done();
};
const singleLookups = (c: FakeCad) => c.requests.filter((r) => r.path.endsWith('get_account'));
const flagOf = (a: { permissions: Record<string, boolean> }) => PERMISSIONS.find((p) => a.permissions[p])!;
const holds = (account: CachedAccount | undefined, flag: string) => {
  const bit = PERMISSIONS.indexOf(flag as (typeof PERMISSIONS)[number]);
  const word = bit < 30 ? account!.w0 : bit < 60 ? account!.w1 : account!.w2;
  return (word & (1 << bit % 30)) !== 0;
};

describe('online refresh', () => {
  it('a revoke on an online player\'s account shows within about onlineRefreshMinutes, by single lookups, no sweep', async () => {
    const { cache, clock, online, sweeps } = await setUp(1200, 4, 1);
    const target = online[2]!;
    const flag = flagOf(target);
    cad.revoke(target.uuid, flag);
    const at = clock.now();
    expect(await until(() => !holds(cache.find(target.uuid), flag), 3000)).toBe(true);
    expect(clock.now() - at).toBeLessThan(90_000);
    expect(sweeps()).toBe(1);
    // Each online account looked up once a minute or so, not more; nobody else.
    const asked = singleLookups(cad).map((r) => (r.body as { data: { apiId: string }[] }).data[0]!.apiId);
    const onlineIds = new Set(online.flatMap((a) => cad.identitiesOf(a.uuid).map((id) => id.slice(id.indexOf(':') + 1))));
    expect(asked.length).toBeGreaterThanOrEqual(1);
    expect(asked.every((id) => onlineIds.has(id))).toBe(true);
    expect(asked.length).toBeLessThanOrEqual(online.length * Math.ceil((clock.now() - at) / 60_000 + 1));
  }, 20_000);

  it('most stale first: the account seen longest ago is looked up first', async () => {
    const { cache, online } = await setUp(1200, 3, 1);
    // A lookup now makes online[0] fresh; the other two were seen by the sweep, earlier.
    await cache.lookup(cad.identitiesOf(online[0]!.uuid)[0]!, 5000, { fresh: true });
    cad.resetRequests();
    expect(await until(() => singleLookups(cad).length >= 3, 3000)).toBe(true);
    const order = singleLookups(cad).slice(0, 3).map((r) => (r.body as { data: { apiId: string }[] }).data[0]!.apiId);
    const whose = (id: string) => online.findIndex((a) => a.apiIds.includes(id) || cad.identitiesOf(a.uuid).some((x) => x.endsWith(id)));
    expect(whose(order[2]!)).toBe(0);
  }, 20_000);

  it('pulls the sweep forward instead where one sweep costs fewer calls than the lookups', async () => {
    const { online, sweeps } = await setUp(60, 5, 1); // a sweep is 2 calls; 5 online players would be 5
    const target = online[0]!;
    cad.revoke(target.uuid, flagOf(target));
    expect(await until(() => sweeps() >= 2, 3000)).toBe(true);
    expect(singleLookups(cad)).toEqual([]);
  }, 20_000);

  it('waits while the ban watch reads the banned list: a ban goes before a revoke', async () => {
    await setUp(1500, 6, 1, 20, 450); // 5 banned pages (2 a run once read whole), 6 online players due every minute
    await until(() => singleLookups(cad).length >= 6, 5000);
    await new Promise((r) => setTimeout(r, 1000)); // 100 s more: a few watch runs and lookups
    const bannedPage = (r: FakeCad['requests'][number]) => (r.body as { data?: { status?: number; offset?: number }[] })?.data?.[0]?.status === 4;
    const sweepsDone = cad.requests.findIndex((r) => !bannedPage(r) && r.path.endsWith('get_account')); // first lookup: the first sweep is over
    const after = cad.requests.slice(sweepsDone);
    // Between a run's first page (offset 0) and its last (page 0 and a page in turn on a list that holds
    // still) no lookup starts. A run ends with its last banned page before the next run's offset 0.
    const isBanned = after.map(bannedPage);
    const starts = after.flatMap((r, i) => (isBanned[i] && (r.body as { data: { offset: number }[] }).data[0]!.offset === 0 ? [i] : []));
    let runs = 0;
    for (let n = 0; n + 1 < starts.length; n++) {
      let last = starts[n + 1]! - 1;
      while (!isBanned[last]) last -= 1;
      if (last > starts[n]!) runs += 1;
      expect(after.slice(starts[n], last).filter((r) => r.path.endsWith('get_account'))).toEqual([]);
    }
    expect(runs).toBeGreaterThanOrEqual(2);
  }, 20_000);

  it('0 turns it off', async () => {
    const { sweeps } = await setUp(1200, 4, 0);
    await new Promise((r) => setTimeout(r, 1500)); // 2.5 min at 100x
    expect(singleLookups(cad)).toEqual([]);
    expect(sweeps()).toBe(1);
  }, 20_000);
});
