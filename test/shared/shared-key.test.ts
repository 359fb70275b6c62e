// Issue 20, hole 6: servers on one API key without a working shared budget (the database down, or no
// database sharing at all: a main and a whitelist server). Together they overrun the key's rate and
// meet 429s; a 429 must pause a sweep, which then resumes from the page it reached, never throw the
// whole sweep away (one server then never completed a sweep, and never saw a new ban).
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeCad, type FakeCad } from '../../dev/fake-cad';
import { createAccountCache } from '../../src/core/account-cache';
import { createNodeTransport } from '../../src/core/http/node-transport';
import { createMemoryStore, memoryShared } from '../../src/core/shared/memory-store';
import { captureLog, configFor, memoryFiles, realClock } from '../core/helpers';
import { memoryServers, switchable, until } from './memory-servers';

let cad: FakeCad | undefined;
const start = memoryServers(() => cad);
const stops: (() => void)[] = [];
afterEach(() => {
  for (const stop of stops.splice(0)) stop();
});

describe('five servers alone on one key (hole 6)', () => {
  it('each completes its sweep through the 429s, and sees a ban made meanwhile', async () => {
    // The key allows 3 calls/s (burst 2); each server paces itself at 3/s: together 15/s.
    cad = await startFakeCad({ rateLimit: { v1: { perSecond: 3, burst: 2 } }, accounts: 300, seed: 3 });
    const z = cad.accounts.find((x) => x.status === 1 && x.apiIds.length > 0)!;
    cad.ban(z.uuid);
    const servers = [0, 1, 2, 3, 4].map(() => {
      const config = configFor(cad!, { refreshMinutes: 60, rateLimit: { v1PerSecond: 3, v2PerMinute: 180 } });
      const cache = createAccountCache({ config, transport: createNodeTransport(), clock: realClock, files: memoryFiles(), log: captureLog(), random: Math.random });
      stops.push(() => cache.stop());
      return cache;
    });
    // Each server refreshes until its sweep completes (the resource's own timer would resume it 30 s later).
    const completed = await Promise.all(
      servers.map(async (c) => {
        for (let attempt = 1; attempt <= 5; attempt++) {
          if (await c.refresh().then(() => true, () => false)) return attempt;
        }
        return null;
      }),
    );
    expect(cad.requests.some((r) => r.status === 429)).toBe(true); // the key was overrun
    expect(completed.every((n) => n !== null)).toBe(true);
    for (const c of servers) expect(c.find(z.apiIds[0]!)?.status).toBe(4);
    // A rate-limited sweep went on from the page it reached: no page was read twice by one server.
    const pages = Math.ceil(cad.accounts.filter((x) => x.status === 1).length / 100) + Math.ceil(cad.accounts.filter((x) => x.status === 4).length / 100);
    expect(cad.requests.filter((r) => r.path.endsWith('get_accounts') && r.status === 200)).toHaveLength(5 * pages);
  }, 60_000);
});

describe('a server alone with the database down (hole 6)', () => {
  it('takes its share of the key: one call per (servers seen lately) intervals', async () => {
    cad = await startFakeCad({ rateLimit: false, accounts: 400, seed: 4 });
    const shared = memoryShared();
    const pace = { rateLimit: { v1PerSecond: 10, v2PerMinute: 600 } }; // one call every 100 ms
    const { store, state } = switchable(createMemoryStore(shared, realClock));
    const a = start(shared, 'A', store, pace);
    await a.cache.refresh();
    const b = start(shared, 'B', undefined, pace);
    const c = start(shared, 'C', undefined, pace);
    await Promise.all([b.cache.refresh(), c.cache.refresh()]);
    await until(() => shared.roster.size === 3, 'three servers in the roster');
    await new Promise((r) => setTimeout(r, 300)); // each has checked in and counted the others

    state.down = true;
    await until(() => a.log.lines.some((l) => l.includes('shared database lost')), 'A runs alone');
    expect(a.log.lines.find((l) => l.includes('shared database lost'))).toMatch(/1\/3 of the key's rate \(3 servers seen lately\)/);
    const from = cad.requests.length;
    await a.cache.refresh(); // alone: its own sweep; B and C sweep nothing meanwhile
    const times = cad.requests.slice(from).filter((r) => r.path.endsWith('get_accounts')).map((r) => r.at);
    expect(times.length).toBeGreaterThanOrEqual(4);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(270); // 3 x 100 ms, less the timer's slack
  }, 20_000);

  it('meets a 429: pauses as the CAD asks, then goes on at half its share for a while', async () => {
    cad = await startFakeCad({ rateLimit: false, accounts: 400, seed: 4 });
    const shared = memoryShared();
    const pace = { rateLimit: { v1PerSecond: 10, v2PerMinute: 600 } }; // one call every 100 ms
    const { store, state } = switchable(createMemoryStore(shared, realClock));
    const a = start(shared, 'A', store, pace);
    await a.cache.refresh();
    const b = start(shared, 'B', undefined, pace);
    await b.cache.refresh();
    await until(() => shared.roster.size === 2, 'two servers in the roster');
    await new Promise((r) => setTimeout(r, 300)); // each has checked in and counted the other

    state.down = true;
    await until(() => a.log.lines.some((l) => l.includes('shared database lost')), 'A runs alone');
    cad.fault('429', { route: 'accounts', times: 1, retryAfter: 1 });
    const from = cad.requests.length;
    await a.cache.refresh(); // alone: 1/2 of the key (200 ms), halved after the 429 (400 ms)
    const pages = cad.requests.slice(from).filter((r) => r.path.endsWith('get_accounts'));
    expect(pages[0]?.status).toBe(429);
    const times = pages.slice(1).map((r) => r.at);
    expect(times.length).toBeGreaterThanOrEqual(4);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(370); // 2 x 2 x 100 ms, less the timer's slack
    expect(a.log.lines.filter((l) => l.includes('answered 429 while this server runs alone'))).toHaveLength(1);
  }, 20_000);
});
