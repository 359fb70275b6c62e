// Issue 20, hole 6: servers on one API key without a working shared budget (the database down, or no
// database sharing at all: a main and a whitelist server). Together they overrun the key's rate and
// meet 429s; a 429 must pause a sweep, which then resumes from the page it reached, never throw the
// whole sweep away (one server then never completed a sweep, and never saw a new ban).
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeCad, type FakeCad } from '../../dev/fake-cad';
import { createAccountCache } from '../../src/core/account-cache';
import { createNodeTransport } from '../../src/core/http/node-transport';
import { captureLog, configFor, memoryFiles, realClock } from '../core/helpers';

let cad: FakeCad | undefined;
const stops: (() => void)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) stop();
  await cad?.close();
  cad = undefined;
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
