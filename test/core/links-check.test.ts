// v2 connect misses ask POST /v2/general/links/check first (its own 30/min budget): a player newly
// linked to an account the cache already holds costs none of the 10/min accounts budget, and from then
// on their ID leads to that account; only an account the cache does not hold needs the account call.
import { describe, expect, it } from 'vitest';
import { startFakeCad, type FakeCad } from '../../dev/fake-cad';
import { createAccountCache } from '../../src/core/account-cache';
import { createNodeTransport } from '../../src/core/http/node-transport';
import type { AccountCache } from '../../src/core/types';
import { captureLog, configFor, memoryFiles, realClock, stopAfterEach } from './helpers';

let cad: FakeCad;
let cache: AccountCache | undefined;
stopAfterEach(() => ({ cache, cad }));

const accountCalls = (c: FakeCad) => c.requests.filter((r) => r.path.startsWith('/v2/general/accounts'));
const linkChecks = (c: FakeCad) => c.requests.filter((r) => r.path === '/v2/general/links/check');

async function sweptV2(version: 1 | 2 = 2) {
  cad = await startFakeCad({ rateLimit: false, accounts: 30, seed: 4 });
  cache = createAccountCache({ config: configFor(cad, { refreshMinutes: 60 }, version), transport: createNodeTransport(), clock: realClock, files: memoryFiles(), log: captureLog(), random: () => 0 });
  await cache.refresh();
  cad.resetRequests();
  return cache;
}

describe('v2 connect misses: links/check first', () => {
  it('a player newly linked to an account the cache holds costs one link check and no account call; the ID leads there from then on', async () => {
    const cache = await sweptV2();
    const held = cad.accounts.find((a) => a.status === 1)!;
    cad.updateAccount(held.uuid, { communityUserId: 'newly-linked-license' }); // linked after the sweep
    const found = await cache.lookup('license:newly-linked-license', 5000);
    expect(found?.uuid).toBe(held.uuid);
    expect(linkChecks(cad).map((r) => r.body)).toEqual([{ communityUserId: 'newly-linked-license' }]);
    expect(accountCalls(cad)).toEqual([]);
    expect(cache.standing(['license:newly-linked-license']).account?.uuid).toBe(held.uuid);
  });

  it('an account the cache does not hold yet needs the account call after the link check', async () => {
    const cache = await sweptV2();
    const fresh = cad.addAccount({ status: 1, communityUserId: 'brand-new' });
    expect((await cache.lookup('license:brand-new', 5000))?.uuid).toBe(fresh.uuid);
    expect(linkChecks(cad)).toHaveLength(1);
    expect(accountCalls(cad)).toHaveLength(1);
  });

  it('a link check the CAD refuses (429, down) falls back to the account call within the same deadline', async () => {
    const cache = await sweptV2();
    const held = cad.accounts.find((a) => a.status === 1)!;
    cad.fault('5xx', { route: 'links' });
    expect((await cache.lookup(`license:${held.communityUserId}`, 5000))?.uuid).toBe(held.uuid);
    expect(linkChecks(cad).map((r) => r.status)).toEqual([503]);
    expect(accountCalls(cad)).toHaveLength(1);
  });

  it('a lookup that asks for what the CAD says now (fresh: refreshPlayer, the online refresh) is never answered from the cache', async () => {
    const cache = await sweptV2();
    const held = cad.accounts.find((a) => a.status === 1)!;
    cad.ban(held.uuid);
    expect((await cache.lookup(`license:${held.communityUserId}`, 5000, { fresh: true }))?.status).toBe(4);
    expect((await cache.lookup(`license:${held.communityUserId}`, 5000, { fresh: true, priority: 'cadence' }))?.status).toBe(4);
    expect(linkChecks(cad)).toEqual([]);
    expect(accountCalls(cad)).toHaveLength(2);
  });

  // Round 6 suspicion: the check's answer replaced the held account's communityUserId with the ID asked.
  // An answer about one ID is no answer about another: a player online with the first ID lost the
  // account (its jobs and permissions with it) though the CAD had said nothing about that ID.
  it('another ID the check finds on a held account is added: a player online with the first ID keeps it until the CAD answers about the account', async () => {
    const cache = await sweptV2();
    const held = cad.accounts.find((a) => a.status === 1)!;
    const first = `license:${held.communityUserId}`;
    expect(cache.standing([first]).account?.uuid).toBe(held.uuid);
    cad.updateAccount(held.uuid, { communityUserId: 'second-id' });
    expect((await cache.lookup('license:second-id', 5000))?.uuid).toBe(held.uuid);
    expect(accountCalls(cad)).toEqual([]);
    expect([cache.standing([first]).account?.uuid, cache.standing(['license:second-id']).account?.uuid]).toEqual([held.uuid, held.uuid]);
    // The CAD's own answer about the account (the next sweep) settles which ID it is linked to.
    await cache.refresh();
    expect([cache.standing([first]).account?.uuid, cache.standing(['license:second-id']).account?.uuid]).toEqual([undefined, held.uuid]);
  });

  it('v1 never asks it', async () => {
    const cache = await sweptV2(1);
    await cache.lookup('license:nobody-at-all', 5000);
    expect(linkChecks(cad)).toEqual([]);
  });
});
