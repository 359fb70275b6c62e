// The negative cache over the real refresher and the fake CAD: an unknown ID costs one call per
// `connect.unknownRetrySeconds`; `fresh` (refreshPlayer, link-verified) skips it; a found ID is never held.
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeCad, type FakeCad } from '../../dev/fake-cad';
import { createAccountCache } from '../../src/core/account-cache';
import { STEAM64_FORM } from '../../src/core/account-index';
import { createNodeTransport } from '../../src/core/http/node-transport';
import { lookupForms } from '../../src/core/single-lookups';
import type { AccountCache, Clock } from '../../src/core/types';
import { captureLog, configFor, memoryFiles, realClock } from './helpers';

let cad: FakeCad;
let cache: AccountCache | undefined;
afterEach(async () => {
  cache?.stop();
  await cad?.close();
});

/** Real timers, but `now` can be moved forward: the retry interval passes without waiting a minute. */
function shiftedClock(): Clock & { skip(ms: number): void } {
  let offset = 0;
  return { now: () => realClock.now() + offset, monotonic: () => realClock.monotonic() + offset, setTimeout: realClock.setTimeout, skip: (ms) => void (offset += ms) };
}

const lookups = () => cad.requests.filter((r) => r.path.endsWith('get_account')).length;

describe('negative cache', () => {
  it('a stranger reconnecting five times costs one call until unknownRetrySeconds pass; fresh asks anyway', async () => {
    cad = await startFakeCad({ rateLimit: false, accounts: 0 });
    const clock = shiftedClock();
    cache = createAccountCache({ config: configFor(cad, { connect: { unknownRetrySeconds: 60 } }), transport: createNodeTransport(), clock, files: memoryFiles(), log: captureLog() });
    // A sweep first: it shows this community stores no prefixed IDs, so a lookup is one call (before any
    // sweep a lookup also tries the `license:` form, issue 10: single-lookups.ts lookupForms).
    await cache.refresh();
    for (let i = 0; i < 5; i++) expect(await cache.lookup('license:0123456789abcdef', 2000)).toBeNull();
    expect(lookups()).toBe(1);
    // The same ID in another spelling is the same stranger.
    expect(await cache.lookup('0123456789ABCDEF', 2000)).toBeNull();
    expect(lookups()).toBe(1);
    // They link in the CAD; refreshPlayer / the link-verified event ask with `fresh` and find them at once.
    const linked = cad.addAccount({ apiIds: ['0123456789abcdef'] });
    expect((await cache.lookup('license:0123456789abcdef', 2000, { fresh: true }))?.uuid).toBe(linked.uuid);
    expect(lookups()).toBe(2);
    // Another stranger: held for 60 s, asked again after.
    expect(await cache.lookup('fedcba', 2000)).toBeNull();
    clock.skip(59_000);
    expect(await cache.lookup('fedcba', 2000)).toBeNull();
    expect(lookups()).toBe(3);
    clock.skip(2000);
    expect(await cache.lookup('fedcba', 2000)).toBeNull();
    expect(lookups()).toBe(4);
  });

  it('a lookup the CAD did not answer is not remembered as unknown', async () => {
    cad = await startFakeCad({ rateLimit: false, accounts: 0 });
    cache = createAccountCache({ config: configFor(cad, { connect: { unknownRetrySeconds: 60 } }), transport: createNodeTransport(), clock: realClock, files: memoryFiles(), log: captureLog() });
    const hang = cad.fault('5xx', { route: 'account' });
    await expect(cache.lookup('flaky-id', 300)).rejects.toMatchObject({ kind: 'transient' });
    hang.clear();
    const linked = cad.addAccount({ apiIds: ['flaky-id'] });
    expect((await cache.lookup('flaky-id', 2000))?.uuid).toBe(linked.uuid);
  });

  it('unknownRetrySeconds 0 turns it off', async () => {
    cad = await startFakeCad({ rateLimit: false, accounts: 0 });
    cache = createAccountCache({ config: configFor(cad, { connect: { unknownRetrySeconds: 0 } }), transport: createNodeTransport(), clock: realClock, files: memoryFiles(), log: captureLog() });
    for (let i = 0; i < 3; i++) await cache.lookup('nobody', 2000);
    expect(lookups()).toBe(3);
  });
});

describe('lookup forms of one identifier', () => {
  it('a steam identifier is also asked in decimal once the sweeps showed decimal Steam IDs (or before any sweep)', () => {
    const hex = (76561198000123456n).toString(16);
    expect(lookupForms(`steam:${hex}`, new Set([STEAM64_FORM]))).toEqual([hex, '76561198000123456']);
    expect(lookupForms(`steam:${hex}`, null)).toEqual([hex, `steam:${hex}`, '76561198000123456', 'steam:76561198000123456']);
    expect(lookupForms(`steam:${hex}`, new Set([STEAM64_FORM, 'steam']))).toEqual([hex, `steam:${hex}`, '76561198000123456', 'steam:76561198000123456']);
    expect(lookupForms(`steam:${hex}`, new Set(['license']))).toEqual([hex]);
    // Not an individual account's hex, or not steam: no decimal form.
    expect(lookupForms('steam:1100001zzzzzzzz', null)).toEqual(['1100001zzzzzzzz', 'steam:1100001zzzzzzzz']);
    expect(lookupForms(`discord:${hex}`, new Set([STEAM64_FORM]))).toEqual([hex]);
  });
});
