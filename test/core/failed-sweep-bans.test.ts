// A sweep that fails part-way (the CAD errors on a later page, past its retries) is not swapped in: the
// accounts its pages never reached say nothing. But the bans its pages did read are observations like any
// other (bans are enforced from every observation), so they reach the cache by the one merge rule, as a
// stopped sweep's do in shared mode (bans-read.ts). Here one server, no database.
import { describe, expect, it } from 'vitest';
import { startFakeCad, type FakeCad } from '../../dev/fake-cad';
import { generateAccounts } from '../../dev/fake-cad/generate';
import { createAccountCache } from '../../src/core/account-cache';
import { createNodeTransport } from '../../src/core/http/node-transport';
import type { AccountCache, AccountChange } from '../../src/core/types';
import { captureLog, configFor, memoryFiles, realClock, stopAfterEach } from './helpers';

let cad: FakeCad;
let cache: AccountCache | undefined;
stopAfterEach(() => ({ cache, cad }));

describe('a sweep that fails after reading a ban', () => {
  it('keeps the ban its pages read (the player is refused), and nothing else from the failed sweep', async () => {
    // 40 active accounts first, then 210 banned: the banned list is three pages, read after the active one.
    cad = await startFakeCad({ rateLimit: false, accounts: generateAccounts(250, 5).map((a, i) => ({ ...a, status: i < 40 ? 1 : 4 })) });
    const log = captureLog();
    cache = createAccountCache({ config: configFor(cad, { refreshMinutes: 60, requestTimeoutSeconds: 1 }), transport: createNodeTransport(), clock: realClock, files: memoryFiles(), log, random: () => 0 });
    const changes: AccountChange[] = [];
    cache.on('accountChanged', (c) => changes.push(c));
    cache.start();
    await cache.refresh();
    expect(cache.info().ready).toBe(true);

    // z is first in the CAD's order, so once banned it is on the first banned page; a renamed account is
    // on the active page the failed sweep also read, and must not be taken from it.
    const z = cad.accounts[0]!;
    const renamed = cad.accounts[1]!;
    cad.ban(z.uuid);
    cad.updateAccount(renamed.uuid, { username: 'RenamedByFailedSweep' });
    // The active page and the first banned page answer; every later page fails, retries included.
    cad.fault('5xx', { status: 500, route: 'accounts', after: 2 });
    const result = await cache.refresh().then(
      () => 'ok',
      () => 'failed',
    );
    expect(result).toBe('failed');
    expect(cache.find(z.apiIds[0]!)?.status).toBe(4);
    expect(cache.standing([`license:${z.apiIds[0]}`]).banned).toBe(true);
    expect(changes.map((c) => [c.uuid, c.statusAfter])).toEqual([[z.uuid, 4]]);
    // Only the ban: the failed sweep's other accounts are not swapped in.
    expect(cache.find(renamed.apiIds[0]!)?.username).not.toBe('RenamedByFailedSweep');
  }, 60_000);
});
