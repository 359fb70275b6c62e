// The refresher over the fake CAD: atomic swaps, faults that leave the last good cache alone,
// single-flight, lookups, snapshots, both API versions.
import { describe, expect, it } from 'vitest';
import { startFakeCad, type FakeCad } from '../../dev/fake-cad';
import { createAccountCache } from '../../src/core/account-cache';
import { createNodeTransport } from '../../src/core/http/node-transport';
import type { AccountCache } from '../../src/core/types';
import { generateAccounts } from '../../dev/fake-cad/generate';
import { renderAccount } from '../../dev/fake-cad/render';
import { warpClock, warpTransport } from '../faults/warp';
import { captureLog, configFor, memoryFiles, realClock, stopAfterEach } from './helpers';

let cad: FakeCad;
let cache: (AccountCache & { scheduler: { started: number } }) | undefined;
stopAfterEach(() => ({ cache, cad }));

function makeCache(overrides: Record<string, unknown> = {}, version: 1 | 2 = 1, files = memoryFiles()) {
  const log = captureLog();
  cache = createAccountCache({ config: configFor(cad, { refreshMinutes: 60, ...overrides }, version), transport: createNodeTransport(), clock: realClock, files, log, random: () => 0 });
  const failures: string[] = [];
  cache.on('refreshFailed', (message) => failures.push(message));
  return { cache, log, files, failures };
}

// Every transient/invalid fault mode at the first and a middle page: test/faults/sweep-faults.test.ts.
describe('fatal answers', () => {
  it('a fatal answer (bad key) stops the loop with one clear error and a hint, never the key', async () => {
    cad = await startFakeCad({ rateLimit: false, accounts: 10 });
    const { cache, failures } = makeCache({ apiKey: 'WRONG-KEY-123456' });
    const err = await cache.refresh().catch((e) => e);
    expect(err.kind).toBe('fatal');
    expect(failures).toEqual([expect.stringMatching(/INVALID API KEY.*sonoran_apiKey.*stopped/)]);
    expect(failures[0]).not.toContain('WRONG-KEY');
    expect(cache.info().nextRefreshAt).toBeNull();
    await expect(cache.refresh()).rejects.toMatchObject({ kind: 'fatal' });
  });

  it('a wrong apiUrl ("Backend Service Reached") is fatal with a URL hint', async () => {
    cad = await startFakeCad({ rateLimit: false });
    makeCache({ apiUrl: `${cad.url}/extra` });
    const err = await cache!.refresh().catch((e) => e);
    expect([err.kind, err.hint]).toEqual(['fatal', expect.stringContaining('sonoran_apiUrl')]);
  });
});

describe('refresh', () => {
  it('is single-flight: a refresh during a sweep joins it', async () => {
    cad = await startFakeCad({ rateLimit: false, accounts: 120 });
    const { cache } = makeCache();
    const [a, b] = await Promise.all([cache.refresh(), cache.refresh()]);
    expect(a).toBe(b);
    expect(cad.requests).toHaveLength(a.calls);
  });

  it('reports accounts per status, added / removed / changed, and a diff per account', async () => {
    cad = await startFakeCad({ rateLimit: false, accounts: 80, seed: 2 });
    const { cache } = makeCache();
    const first = await cache.refresh();
    expect(first.added).toBe(first.accounts);
    const target = cad.accounts.find((a) => a.status === 1 && a.permissions.police)!;
    cad.revoke(target.uuid, 'police');
    cad.grant(target.uuid, 'admin');
    cad.removeAccount(cad.accounts.find((a) => a.status === 1 && a.uuid !== target.uuid)!.uuid);
    cad.addAccount({ status: 4 });
    const second = await cache.refresh();
    expect([second.added, second.removed, second.changed]).toEqual([1, 1, 1]);
    expect(second.changes.find((c) => c.uuid === target.uuid)).toMatchObject({ granted: ['admin'], revoked: ['police'], statusBefore: 1, statusAfter: 1 });
  });

  it('works the same over API v2 (Bearer auth, communityUserId)', async () => {
    cad = await startFakeCad({ rateLimit: false, accounts: 60 });
    const { cache } = makeCache({}, 2);
    await cache.refresh();
    const a = cad.accounts.find((x) => x.status === 1)!;
    expect(cache.find(a.identities.license)?.uuid).toBe(a.uuid);
    expect(cad.requests.every((r) => r.version === 2 && r.headers.authorization === `Bearer ${cad.apiKey}`)).toBe(true);
  });
});

describe('single lookups', () => {
  it('coalesce per ID, find a just-linked account, merge it, and say not found as null', async () => {
    cad = await startFakeCad({ rateLimit: false, accounts: 10 });
    const { cache } = makeCache();
    await cache.refresh();
    const changes: string[] = [];
    cache.on('accountChanged', (c) => changes.push(c.uuid));
    const fresh = cad.addAccount({ status: 1, apiIds: ['newly-linked'] });
    cad.resetRequests();
    const [a, b] = await Promise.all([cache.lookup('license:NEWLY-LINKED', 2000), cache.lookup('newly-linked', 2000)]);
    expect(a?.uuid).toBe(fresh.uuid);
    expect(b?.uuid).toBe(fresh.uuid);
    expect(cad.requests).toHaveLength(1);
    expect(cache.find('newly-linked')?.uuid).toBe(fresh.uuid);
    expect(changes).toEqual([fresh.uuid]);
    expect(await cache.lookup('nobody-at-all', 2000)).toBeNull();
  });

  it('go ahead of sweep pages in the shared scheduler', async () => {
    cad = await startFakeCad({ rateLimit: false, accounts: 1000 });
    const { cache } = makeCache({ rateLimit: { v1PerSecond: 20 } });
    const sweep = cache.refresh();
    await new Promise((r) => setTimeout(r, 120));
    await cache.lookup(cad.accounts[0]!.apiIds[0]!, 5000);
    await sweep;
    const order = cad.requests.map((r) => (r.path.endsWith('get_account') ? 'lookup' : 'page'));
    expect(order.indexOf('lookup')).toBeLessThan(5);
  });

  it('an account found by a lookup while a sweep runs survives the swap', async () => {
    cad = await startFakeCad({ rateLimit: false, accounts: 500 });
    const { cache } = makeCache({ statuses: ['active'], rateLimit: { v1PerSecond: 20 } });
    // Banned: the sweep (active only) never lists it, so only the lookup knows it.
    const linked = cad.addAccount({ status: 4, apiIds: ['linked-mid-sweep'] });
    const sweep = cache.refresh();
    await new Promise((r) => setTimeout(r, 60));
    expect((await cache.lookup('linked-mid-sweep', 5000))?.uuid).toBe(linked.uuid);
    await sweep;
    expect(cache.find('linked-mid-sweep')?.uuid).toBe(linked.uuid);
  });

  it('a caller giving up does not cancel the retries another caller still waits for', async () => {
    cad = await startFakeCad({ rateLimit: false, accounts: 3 });
    const { cache } = makeCache();
    const linked = cad.addAccount({ status: 1, apiIds: ['patient-one'] });
    cad.fault('5xx', { times: 1, route: 'account' }); // first attempt fails, the retry (after >= 250 ms) works
    const impatient = cache.lookup('patient-one', 100);
    const patient = cache.lookup('license:patient-one', 5000);
    await expect(impatient).rejects.toMatchObject({ kind: 'transient' });
    expect((await patient)?.uuid).toBe(linked.uuid);
  });

  it('reject on timeout when the CAD hangs', async () => {
    cad = await startFakeCad({ rateLimit: false, accounts: 3 });
    const { cache } = makeCache();
    cad.fault('hang', { route: 'account' });
    await expect(cache.lookup('whoever', 300)).rejects.toMatchObject({ kind: 'transient' });
  });
});

describe('snapshot', () => {
  it('a ban a lookup brings between sweeps is written to the snapshot at once: a restart with the CAD away still refuses it', async () => {
    cad = await startFakeCad({ rateLimit: false, accounts: 30 });
    const first = makeCache();
    const z = cad.accounts.find((x) => x.status === 1 && x.apiIds.length > 0)!;
    const other = cad.accounts.find((x) => x.status === 1 && x.apiIds.length > 0 && x.uuid !== z.uuid)!;
    await first.cache.refresh();
    const savedAt = (JSON.parse(first.files.files.get('cache/snapshot.json')!) as { savedAt: number }).savedAt;
    cad.ban(z.uuid);
    expect((await first.cache.lookup(z.apiIds[0]!, 2000))?.status).toBe(4);
    await new Promise((r) => setTimeout(r, 50));
    const text = first.files.files.get('cache/snapshot.json')!;
    // Still as old as its sweep; only the ban is newer.
    expect((JSON.parse(text) as { savedAt: number }).savedAt).toBe(savedAt);
    first.cache.stop();
    cad.fault('hang');
    const second = makeCache({ requestTimeoutSeconds: 1 }, 1, memoryFiles({ 'cache/snapshot.json': text }));
    second.cache.start();
    expect(second.cache.find(z.apiIds[0]!)?.status).toBe(4);
    expect(second.cache.find(other.apiIds[0]!)?.status).toBe(1);
  });

  it('an ordinary lookup answer does not rewrite the snapshot (only a new ban does)', async () => {
    cad = await startFakeCad({ rateLimit: false, accounts: 10 });
    const { cache: c, files } = makeCache();
    await c.refresh();
    const before = files.files.get('cache/snapshot.json');
    const fresh = cad.addAccount({ status: 1 });
    expect((await c.lookup(fresh.apiIds[0]!, 2000))?.uuid).toBe(fresh.uuid);
    await new Promise((r) => setTimeout(r, 50));
    expect(files.files.get('cache/snapshot.json')).toBe(before);
  });

  it('round-trips: a restart is ready at once from the file, before any sweep', async () => {
    cad = await startFakeCad({ rateLimit: false, accounts: 40 });
    const first = makeCache();
    await first.cache.refresh();
    const text = first.files.files.get('cache/snapshot.json')!;
    expect(text).not.toContain(cad.apiKey);
    first.cache.stop();
    cad.fault('hang');
    const second = makeCache({ requestTimeoutSeconds: 1 }, 1, memoryFiles({ 'cache/snapshot.json': text }));
    const ready: string[] = [];
    second.cache.on('ready', (info) => ready.push(info.source));
    second.cache.start();
    expect(second.cache.info()).toMatchObject({ ready: true, source: 'snapshot', accounts: first.cache.info().accounts });
    expect(ready).toEqual(['snapshot']);
    const a = cad.accounts.find((x) => x.status === 1)!;
    expect(second.cache.find(a.apiIds[0]!)?.uuid).toBe(a.uuid);
  });

  it.each([
    ['corrupt', '{"format":1,"owner":'],
    ['foreign', JSON.stringify({ format: 1, owner: 'someone-else', savedAt: 1, accounts: [] })],
    ['another format', JSON.stringify({ format: 99 })],
  ])('a %s snapshot is ignored with a warning', async (_what, text) => {
    cad = await startFakeCad({ rateLimit: false, accounts: 5 });
    cad.fault('hang');
    const { cache, log } = makeCache({ requestTimeoutSeconds: 1 }, 1, memoryFiles({ 'cache/snapshot.json': text }));
    cache.start();
    expect(cache.info()).toMatchObject({ ready: false, source: 'empty' });
    expect(log.lines.filter((l) => l.startsWith('warn: snapshot'))).toHaveLength(1);
  });
});

describe('what the cache says about itself', () => {
  it('nextRefreshAt is a whole millisecond timestamp, whatever the jitter', async () => {
    cad = await startFakeCad({ rateLimit: false, accounts: 5 });
    cache = createAccountCache({ config: configFor(cad, { refreshMinutes: 7, refreshJitterSeconds: 30 }), transport: createNodeTransport(), clock: realClock, files: memoryFiles(), log: captureLog(), random: () => 0.123456789 });
    await cache.refresh();
    const next = cache.info().nextRefreshAt!;
    expect(Number.isInteger(next)).toBe(true);
    expect(next - Date.now()).toBeGreaterThan(6 * 60_000);
  });

  it('a failed first sweep does not claim a last good cache it never had', async () => {
    cad = await startFakeCad({ rateLimit: false, accounts: 5 });
    const { cache, failures } = makeCache();
    cad.fault('hostileTotal', { route: 'accounts' });
    await cache.refresh().catch(() => undefined);
    expect(failures).toEqual([expect.stringContaining('Nothing cached yet: no sweep has succeeded and no snapshot was loaded.')]);
    expect(failures[0]).not.toContain('last good cache');
  });
});

describe('issue 10: newest information wins', () => {
  it('way 3: a lookup answered before the page that lists a ban does not undo the ban at the swap', async () => {
    cad = await startFakeCad({ rateLimit: false, accounts: generateAccounts(500, 4).map((a) => ({ ...a, status: 1 })) });
    const { cache } = makeCache({ rateLimit: { v1PerSecond: 20 } });
    const target = cad.accounts[0]!; // listed on the first active page, before the lookup
    const sweep = cache.refresh();
    await new Promise((r) => setTimeout(r, 60));
    expect((await cache.lookup(target.apiIds[0]!, 5000))?.status).toBe(1);
    cad.ban(target.uuid); // the banned pages are read after this
    const summary = await sweep;
    expect(summary.changes.find((c) => c.uuid === target.uuid)?.statusAfter).toBe(4);
    expect(cache.find(target.apiIds[0]!)?.status).toBe(4);
    expect(cache.standing([`license:${target.identities.license.slice(8)}`]).banned).toBe(true);
  });

  it('upper-case uuids from the CAD: a second sweep reports nothing added, removed or changed', async () => {
    cad = await startFakeCad({ rateLimit: false, accounts: generateAccounts(30, 6).map((a) => ({ ...a, uuid: a.uuid.toUpperCase() })) });
    const { cache } = makeCache();
    await cache.refresh();
    const second = await cache.refresh();
    expect([second.added, second.removed, second.changed]).toEqual([0, 0, 0]);
    expect(cache.find(cad.accounts[0]!.uuid)?.uuid).toBe(cad.accounts[0]!.uuid.toLowerCase());
  });
});

describe('issue 10 way 7: CAD down at start with an empty cache', () => {
  it('the failed first sweep is retried after 5 s, then 10 s, capped at refreshMinutes; lookups work meanwhile', async () => {
    const WARP = 50;
    cad = await startFakeCad({ rateLimit: false, accounts: 30 });
    cad.fault('reset', { route: 'accounts' });
    const clock = warpClock(WARP);
    const log = captureLog();
    cache = createAccountCache({
      config: configFor(cad, { refreshMinutes: 1 }),
      transport: warpTransport(createNodeTransport(), WARP),
      clock,
      files: memoryFiles(),
      log,
      random: () => 0.5,
    });
    const waits: number[] = [];
    cache.on('refreshFailed', () => waits.push(cache!.info().nextRefreshAt! - clock.now()));
    cache.start();
    const until = async (done: () => boolean) => {
      for (let i = 0; i < 1000 && !done(); i++) await new Promise((r) => setTimeout(r, 5));
    };
    await until(() => waits.length >= 1);
    // The next try is set right after the failure is reported: 5 s (jitter 0 with random 0.5), not ~10 minutes.
    const someone = cad.accounts.find((a) => a.status === 1)!;
    expect((await cache.lookup(someone.apiIds[0]!, 5000))?.uuid).toBe(someone.uuid);
    await until(() => waits.length >= 4);
    const [first, second, third, fourth] = waits.map((w) => Math.round(w / 1000));
    expect([first, second, third]).toEqual([5, 10, 20]);
    expect(fourth).toBeLessThanOrEqual(60);
    cad.clearFaults();
    await until(() => cache!.info().source === 'api');
    expect(cache.info()).toMatchObject({ ready: true, source: 'api' });
  }, 20_000);
});

describe('issue 10: a skip offset paging cannot see does not let a ban lapse', () => {
  it('a banned account one sweep did not list stays banned; a second sweep in a row without it lets it go', async () => {
    cad = await startFakeCad({ rateLimit: false, accounts: generateAccounts(150, 9).map((a, i) => ({ ...a, status: i < 140 ? 4 : 1 })) });
    const { cache } = makeCache();
    await cache.refresh();
    const victim = cad.accounts.filter((a) => a.status === 4)[120]!;
    // Between two pages one account was removed and another added: total holds, nothing repeats, the
    // pass looks complete, and the victim was never listed.
    const stranger = renderAccount(generateAccounts(1, 77, 90_000)[0]!, 1);
    cad.fault('rewrite', {
      route: 'accounts',
      times: 1,
      after: 2,
      rewrite: (body: { accounts: { uuid: string }[] }) => ({ ...body, accounts: body.accounts.map((a) => (a.uuid === victim.uuid ? { ...stranger, status: 1 } : a)) }),
    });
    const second = await cache.refresh();
    expect(cad.requests.some((r) => r.fault === 'rewrite')).toBe(true);
    expect(cache.find(victim.apiIds[0]!)?.status).toBe(4);
    expect(second.removed).toBe(0);
    await cache.refresh(); // listed again: nothing missed any more
    cad.removeAccount(victim.uuid); // really gone now: kept for one sweep, then let go
    expect((await cache.refresh()).removed).toBe(0);
    expect(cache.find(victim.uuid)?.status).toBe(4);
    expect((await cache.refresh()).removed).toBe(1);
    expect(cache.find(victim.uuid)).toBeUndefined();
  });
});
