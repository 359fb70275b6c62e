// Every fault mode of the fake CAD during a sweep, at the first page and at a middle page, with the
// shipped pacing (v1: 1 call/s; v2: 10/min), backoff and timeouts running in warped time over real HTTP:
// the last good cache stays identical, the failure is reported once with its class, the next sweep recovers.
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeCad, type FakeCad, type FaultMode, type FaultOptions } from '../../dev/fake-cad';
import { createAccountCache } from '../../src/core/account-cache';
import { createNodeTransport } from '../../src/core/http/node-transport';
import type { AccountCache, CadError } from '../../src/core/types';
import { captureLog, configFor, memoryFiles } from '../core/helpers';
import { hasPermission, permissionIndex } from '../../src/core/permissions';
import { warpClock, warpTransport } from './warp';

const WARP = 50;
const SHIPPED_PACE = { rateLimit: { v1PerSecond: 1, v2PerMinute: 10 } };
// The smallest size cap (a page of 100 accounts is ~60 KB): at 50x warp the 15 s request timeout is 0.3 s of
// real time, and streaming the default 20 MB cap through a loaded machine in that time lost the race, so
// hugeBody failed as a timeout ('transient') instead of as the cap ('invalidResponse').
const SMALL_CAP = { maxResponseMegabytes: 1 };

let cad: FakeCad | undefined;
let cache: AccountCache | undefined;
afterEach(async () => {
  cache?.stop();
  await cad?.close();
  cache = cad = undefined;
});

async function world(version: 1 | 2 = 1) {
  const clock = warpClock(WARP);
  // The fake CAD's real limiter (v1 1/s burst 5, v2 10/min) on the same warped clock.
  cad = await startFakeCad({ accounts: 450, seed: 8, now: clock.now });
  const files = memoryFiles();
  const log = captureLog();
  cache = createAccountCache({
    config: configFor(cad, { refreshMinutes: 60, ...SHIPPED_PACE, ...SMALL_CAP }, version),
    transport: warpTransport(createNodeTransport(), WARP),
    clock,
    files,
    log,
  });
  const failures: { message: string; kind: string }[] = [];
  cache.on('refreshFailed', (message, err: CadError) => failures.push({ message, kind: err.kind }));
  await cache.refresh();
  return { cad, cache, files, log, failures };
}

/** Everything a caller can observe of the cache (the given accounts, the info, the snapshot), hashed. */
function observe(c: AccountCache, uuids: string[], files: { files: Map<string, string> }) {
  // lastError is the one thing a failure may change: it says what went wrong.
  const { nextRefreshAt: _next, refreshing: _r, lastError: _e, ...info } = c.info();
  const text = JSON.stringify({ info, accounts: uuids.map((u) => c.find(u) ?? null), snapshot: files.files.get('cache/snapshot.json') });
  return createHash('sha256').update(text).digest('hex');
}

/** CAD-side changes a successful sweep would pick up, so a half-applied failed sweep would show. */
function changeTheCad(fake: FakeCad) {
  const officer = fake.accounts.find((a) => a.status === 1 && a.permissions.police)!;
  const civilian = fake.accounts.find((a) => a.status === 1 && !a.permissions.police)!;
  fake.revoke(officer.uuid, 'police');
  fake.ban(civilian.uuid);
  return { officer, civilian, added: fake.addAccount({ status: 1 }) };
}

type Case = [FaultMode, FaultOptions, CadError['kind']];
const FAILING: Case[] = [
  ['5xx', {}, 'transient'],
  ['429', { retryAfter: 2 }, 'rateLimited'],
  ['html', {}, 'transient'],
  ['truncatedJson', {}, 'transient'],
  ['wrongShape', {}, 'invalidResponse'],
  ['reset', {}, 'transient'],
  ['hang', {}, 'transient'],
  ['hugeBody', { bytes: 50 * 1024 * 1024 }, 'invalidResponse'],
  ['hostileTotal', {}, 'invalidResponse'],
];
const PAGES = { 'the first page': 0, 'a middle page': 2 };

describe.each(Object.entries(PAGES))('a fault at %s of a sweep', (_where, after) => {
  it.each(FAILING)('%s: last good cache identical, one %s report, next sweep recovers', async (mode, opts, kind) => {
    const { cad, cache, files, failures } = await world();
    const uuids = cad.accounts.map((a) => a.uuid);
    const before = observe(cache, uuids, files);
    const { officer, civilian, added } = changeTheCad(cad);
    cad.fault(mode, { after, route: 'accounts', ...opts });

    const err = (await cache.refresh().catch((e: unknown) => e)) as CadError;
    expect(err.kind).toBe(kind);
    expect(observe(cache, uuids, files)).toBe(before);
    expect(failures).toHaveLength(1);
    expect(failures[0]!.message).toContain(`(${kind})`);
    expect(failures[0]!.message).toMatch(/Keeping the last good cache \(\d+ accounts\)/);

    cad.clearFaults();
    const summary = await cache.refresh();
    expect(summary.changed).toBe(2);
    expect(hasPermission(cache.find(officer.uuid)!, permissionIndex('police'))).toBe(false);
    expect(cache.find(civilian.uuid)!.status).toBe(4);
    expect(cache.find(added.uuid)).toBeDefined();
    expect(failures).toHaveLength(1);
  }, 20_000);
});

describe('faults a sweep rides out', () => {
  it.each<[FaultMode, FaultOptions]>([
    ['5xx', { times: 2 }],
    ['reset', { times: 1 }],
    ['429', { times: 1, retryAfter: 3 }],
    ['latency', { ms: 150 }],
  ])('%s %o at a middle page: ridden out, the sweep succeeds, nothing reported', async (mode, opts) => {
    const { cad, cache, failures } = await world();
    const minimum = (await cache.refresh()).calls;
    changeTheCad(cad);
    cad.fault(mode, { after: 2, route: 'accounts', ...opts });
    const summary = await cache.refresh();
    expect(summary.changed).toBe(2);
    expect(summary.calls).toBe(minimum + (opts.times ?? 0));
    expect(failures).toEqual([]);
  }, 20_000);

  it('accounts inserted at the front mid-sweep (total moves): nobody is missed', async () => {
    const { cad, cache } = await world();
    cad.fault('totalChange', { after: 1, times: 1, route: 'accounts', insert: 7 });
    const summary = await cache.refresh();
    for (const a of cad.accounts.filter((x) => x.status === 1 || x.status === 4)) expect(cache.find(a.uuid), a.username).toBeDefined();
    expect(summary.added).toBe(7);
  }, 20_000);

  it('the shipped pacing never draws a 429 from the real limiter, on v1 and v2', async () => {
    for (const version of [1, 2] as const) {
      cache?.stop();
      await cad?.close();
      const { cad: fake, cache: fresh } = await world(version);
      await fresh.refresh();
      expect(fake.requests.filter((r) => r.status === 429)).toEqual([]);
      expect(fake.requests.every((r) => r.version === version)).toBe(true);
    }
  }, 20_000);
});

describe('the same on API v2', () => {
  it.each(FAILING.filter(([mode]) => ['5xx', '429', 'wrongShape', 'hang'].includes(mode)))('%s at a middle page', async (mode, opts, kind) => {
    const { cad, cache, files, failures } = await world(2);
    const uuids = cad.accounts.map((a) => a.uuid);
    const before = observe(cache, uuids, files);
    changeTheCad(cad);
    cad.fault(mode, { after: 2, route: 'accounts', ...opts });
    await expect(cache.refresh()).rejects.toMatchObject({ kind });
    expect(observe(cache, uuids, files)).toBe(before);
    expect(failures.map((f) => f.kind)).toEqual([kind]);
  }, 20_000);
});
